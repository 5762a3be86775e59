// Named answers of the API the web shares across features, all derived from the generated OpenAPI
// types (schema.d.ts) — no hand-written copy of a server DTO. Feature-specific answers are named
// the same way next to their feature (`ApiOk<'/api/v1/…', 'get'>`).
import type { ApiOk, ItemOf } from './types';

export type { Page } from './types';

export type Me = ApiOk<'/api/v1/auth/me'>['user'];
export type Grant = Me['grants'][number];
export type AuthAnswer = ApiOk<'/api/v1/auth/login', 'post'>;

export type Codes = ApiOk<'/api/v1/codes'>;
export type Code = Codes['idTypes'][number];

/** A node of the place tree (children nest the same shape). */
export type PlaceNode = ApiOk<'/api/v1/places/tree'>[number];
export type Place = ApiOk<'/api/v1/places/{id}'>;
/** A place as lists and writes answer it (no ancestors). */
export type PlaceRow = ItemOf<ApiOk<'/api/v1/places'>>;

export type ResidentView = ApiOk<'/api/v1/residents/{id}'>;
export type ResidentRow = ItemOf<ApiOk<'/api/v1/residents'>>;
export type ResidentHouse = ResidentView['houses'][number];
export type Residency = ApiOk<'/api/v1/residents/{id}'>['residencies'][number];
export type AccessEntry = ItemOf<ApiOk<'/api/v1/me/access-log'>>;

export type ImportUpload = ApiOk<'/api/v1/imports', 'post'>;
export type ImportField = ImportUpload['fields'][number];
export type ImportJob = ApiOk<'/api/v1/imports/{id}'>;

export type UserRow = ItemOf<ApiOk<'/api/v1/users'>>;
export type AuditRow = ItemOf<ApiOk<'/api/v1/audit'>>;
export type CheckpointPage = ApiOk<'/api/v1/audit/checkpoints'>;
export type CheckpointRow = ItemOf<CheckpointPage>;
export type CheckpointKey = CheckpointPage['keys'][number];
export type SessionRow = ItemOf<ApiOk<'/api/v1/auth/sessions'>>;
export type NotificationRow = ItemOf<ApiOk<'/api/v1/notifications'>>;
