// The kernel: shared mechanisms handed to every module. No business rules here.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database, Db } from './db/index.js';
import type { Clock } from './clock.js';
import type { Vault } from './vault/index.js';
import type { AuditLog } from './audit/index.js';
import type { Authz } from './authz/index.js';
import type { EventBus } from './events/index.js';
import type { Outbox } from './events/outbox.js';
import type { Scheduler } from './jobs/index.js';
import type { Notifications, SmsSender } from './notify/index.js';
import type { FileStore } from './files/index.js';
import type { Checkpoints } from './audit/checkpoints.js';
import type { Metrics } from './metrics.js';

export interface Kernel {
  config: Config;
  database: Database;
  db: Db;
  clock: Clock;
  log: Logger;
  vault: Vault;
  audit: AuditLog;
  /** Signed checkpoints of hash-chained logs (the audit log; the exchange message log registers its own chain). */
  checkpoints: Checkpoints;
  authz: Authz;
  events: EventBus;
  /** Events recorded in a transaction and published after it commits (at least once). */
  outbox: Outbox;
  jobs: Scheduler;
  notify: Notifications;
  sms: SmsSender;
  files: FileStore;
  /** Prometheus metrics of this node (kernel/metrics.ts); modules add theirs by name. */
  metrics: Metrics;
}
