import type { Me } from '../../shared/api/models';

/** A user of the provider workspace: holds the service-provider role. */
export const isServiceProvider = (me: Me) => me.grants.some((g) => g.role === 'service_provider');
