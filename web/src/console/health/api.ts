// Types of the health contract (docs/api/health.md), named from the generated OpenAPI types.
import type { ApiOk, ItemOf } from '../../shared/api';

export type PanelItem = ItemOf<ApiOk<'/api/v1/health/patients'>>;
export type HealthAlert = ItemOf<ApiOk<'/api/v1/health/alerts'>>;
export type Reading = ItemOf<ApiOk<'/api/v1/health/patients/{id}/readings'>>;
export type Bands = NonNullable<ApiOk<'/api/v1/health/patients/{id}/readings'>['bands']>;
export const kinds = ['bp', 'glucose', 'hr', 'spo2', 'temp', 'weight'] as const;
export type Kind = (typeof kinds)[number];

export const severityColor: Record<string, string> = { urgent: 'red', high: 'orange' };
export const levelColor: Record<string, string> = { urgent: 'red', high: 'orange', normal: 'green' };
