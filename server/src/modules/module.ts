import type { App } from '../app.js';
import type { Kernel } from '../kernel/index.js';
import type { ActorResolver } from '../kernel/http/auth.js';

/** A module registers its routes, jobs and event handlers on the app. */
export interface Module {
  name: string;
  register(app: App, kernel: Kernel): Promise<void | { actorResolver?: ActorResolver }>;
}
