// Types of the HTTP API contract (docs/api-outline.md).
export interface Grant {
  id: string;
  role: string;
  placeId: string;
  placeName: string;
  scopePath: string;
}

export interface Me {
  id: string;
  kind: 'staff' | 'resident';
  name: string;
  username?: string;
  residentId?: string | null;
  lang?: string;
  grants: Grant[];
  permissions: [string, string][];
}

export interface AuthAnswer {
  user: Me;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Code {
  code: string;
  zh: string;
  en: string;
  /** Tags computed by the server (e.g. from birth date); never set by hand. */
  derived?: boolean;
}

export interface Codes {
  idTypes: Code[];
  genders: Code[];
  ethnicities: Code[];
  relations: Code[];
  residentRoles: Code[];
  residentTags: Code[];
  houseUses: Code[];
  regionLevels: Code[];
  placeKinds: Code[];
}

export interface PlaceNode {
  id: string;
  kind: string;
  name: string;
  code?: string | null;
  childCount?: number;
  children?: PlaceNode[];
}

export interface Place {
  id: string;
  kind: string;
  parentId: string | null;
  name: string;
  code?: string | null;
  regionLevel?: string | null;
  floor?: number | null;
  areaM2?: number | null;
  houseUse?: string | null;
  path?: string;
  ancestors?: { id: string; kind: string; name: string }[];
}

export interface ResidentHouse {
  residencyId: string;
  houseId: string;
  houseLabel: string;
  role: string;
  relation?: string | null;
  moveIn: string;
}

export interface ResidentView {
  id: string;
  communityId: string;
  name: string;
  idType: string;
  idNumberMasked: string;
  gender?: string | null;
  birthDate?: string | null;
  age?: number | null;
  ethnicity?: string | null;
  phoneMasked?: string | null;
  tags: string[];
  status: string;
  houses: ResidentHouse[];
  note?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Residency {
  id: string;
  residentId: string;
  houseId: string;
  houseLabel: string;
  householdId: string;
  role: string;
  relation?: string | null;
  moveIn: string;
  moveOut?: string | null;
  moveOutReason?: string | null;
}

export interface AccessEntry {
  at: string;
  actorName: string;
  action: string;
  detail?: unknown;
}

export interface ImportField {
  name: string;
  zh: string;
  en: string;
  required: boolean;
}

export interface ImportUpload {
  id: string;
  kind: 'residents' | 'houses';
  fileName: string;
  headers: string[];
  sample: string[][];
  totalRows: number;
  mapping: Record<string, string | null>;
  fields: ImportField[];
}

export interface ImportJob {
  id: string;
  kind: string;
  fileName: string;
  status: 'uploaded' | 'running' | 'done' | 'failed';
  dryRun: boolean;
  totalRows: number;
  processedRows: number;
  imported: number;
  unchanged: number;
  rejected: number;
  error?: string | null;
  reportUrl?: string | null;
}

export interface UserRow {
  id: string;
  kind: 'staff' | 'resident';
  username: string;
  displayName: string;
  disabled: boolean;
  grants: Grant[];
}

export interface AuditRow {
  seq: number;
  at: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  ip?: string | null;
  detail?: unknown;
}

/** A signed checkpoint of the audit log's head (GET /api/v1/audit/checkpoints). */
export interface CheckpointRow {
  chain: string;
  seq: number;
  headHash: string;
  at: string;
  keyId: string;
  signature: string;
}

export interface CheckpointKey {
  keyId: string;
  algorithm: 'Ed25519';
  publicKey: string;
  active: boolean;
}

export interface CheckpointPage extends Page<CheckpointRow> {
  chain: string;
  head: number;
  keys: CheckpointKey[];
}

export interface SessionRow {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip?: string | null;
  userAgent?: string | null;
  current: boolean;
}

export interface NotificationRow {
  id: string;
  title?: string;
  body?: string;
  text?: string;
  createdAt?: string;
  readAt?: string | null;
  read?: boolean;
}
