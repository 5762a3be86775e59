// Configuration: read from environment variables once, validated, frozen.
// A bad value stops the process with a message naming the variable.
import { isTimeZone } from './kernel/time.js';
import path from 'node:path';
import { ConfigError } from './kernel/config-error.js';
import { loadPaymentConfig, type PaymentConfig } from './modules/billing/billing.config.js';
import { listenHost } from './listen-host.js';
import { loadAuditConfig, type AuditConfig } from './kernel/audit/audit.config.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null; // null = embedded SQLite in dataDir
  mqttPort: number; // 0 = embedded broker off
  mqttUrl: string | null;
  mqttAuthSecret: string | null; // shared secret of the HTTP auth/ACL endpoints brokers call; null = endpoints refuse
  natsUrl: string | null;
  masterKey: string | null;
  logLevel: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  seedDemo: boolean;
  demoSimulate: boolean; // run the demo device simulator in `npm start` when the demo is seeded
  secureCookies: boolean;
  trustProxy: boolean;
  timeZone: string;
  nodeId: string;
  payment: PaymentConfig; // LINLI_PAY_* (billing); none set = sandbox gateway
  audit: AuditConfig; // LINLI_AUDIT_* (signed checkpoints of the audit log)
  importRetentionDays: number; // import spreadsheets and rejected-row reports are purged this many days after upload
  metricsToken: string | null; // GET /metrics from elsewhere than loopback needs this bearer token; null = loopback only
}

export { ConfigError };

function int(env: Record<string, string | undefined>, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function url(env: Record<string, string | undefined>, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${u.protocol}//"`);
  }
  return raw;
}

/** A shared secret a broker sends in a header or in the userinfo of a URL (Basic auth): at least
 * 32 characters, URL-safe (e.g. `openssl rand -hex 32`). */
function sharedSecret(env: Record<string, string | undefined>, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (raw.length < 32) throw new ConfigError(name, `must be at least 32 characters (e.g. openssl rand -hex 32), got ${raw.length}`);
  if (!/^[A-Za-z0-9._~-]+$/.test(raw)) throw new ConfigError(name, 'may hold only letters, digits and . _ ~ - (it goes into URLs and headers)');
  return raw;
}

function bool(env: Record<string, string | undefined>, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const logLevel = env.LINLI_LOG_LEVEL || 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(logLevel)) throw new ConfigError('LINLI_LOG_LEVEL', `must be one of ${levels.join(', ')}`);
  const masterKey = env.LINLI_MASTER_KEY || null;
  const timeZone = env.LINLI_TIME_ZONE || 'Asia/Shanghai';
  if (!isTimeZone(timeZone)) throw new ConfigError('LINLI_TIME_ZONE', `unknown time zone "${timeZone}"`);
  return Object.freeze({
    port: int(env, 'LINLI_PORT', 8080, 0, 65535),
    host: listenHost(env.LINLI_HOST), // 127.0.0.1 unless set (listen-host.ts)
    dataDir: path.resolve(env.LINLI_DATA_DIR || './data'),
    databaseUrl: url(env, 'LINLI_DATABASE_URL', ['postgres:', 'postgresql:']),
    mqttPort: int(env, 'LINLI_MQTT_PORT', 1883, 0, 65535),
    mqttUrl: url(env, 'LINLI_MQTT_URL', ['mqtt:', 'mqtts:', 'ws:', 'wss:']),
    mqttAuthSecret: sharedSecret(env, 'LINLI_MQTT_AUTH_SECRET'),
    natsUrl: url(env, 'LINLI_NATS_URL', ['nats:', 'tls:']),
    masterKey,
    logLevel,
    sessionIdleMinutes: int(env, 'LINLI_SESSION_IDLE_MINUTES', 30, 1, 7 * 24 * 60),
    sessionMaxHours: int(env, 'LINLI_SESSION_MAX_HOURS', 12, 1, 24 * 90),
    seedDemo: bool(env, 'LINLI_SEED_DEMO', true),
    demoSimulate: bool(env, 'LINLI_DEMO_SIMULATE', true),
    secureCookies: bool(env, 'LINLI_SECURE_COOKIES', false),
    trustProxy: bool(env, 'LINLI_TRUST_PROXY', false),
    timeZone,
    nodeId: env.LINLI_NODE_ID || `node-${process.pid}`,
    payment: loadPaymentConfig(env),
    audit: loadAuditConfig(env),
    importRetentionDays: int(env, 'LINLI_IMPORT_RETENTION_DAYS', 7, 1, 365),
    metricsToken: sharedSecret(env, 'LINLI_METRICS_TOKEN'),
  });
}
