// Composition root: builds the kernel and the HTTP app, registers the modules. No business rules.
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { LogController } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase, type Database } from './kernel/db/index.js';
import { migrate } from './kernel/db/migrator.js';
import { migrations } from './migrations/index.js';
import { systemClock, type Clock } from './kernel/clock.js';
import { loadKeyring, Vault } from './kernel/vault/index.js';
import { AuditLog } from './kernel/audit/index.js';
import { startCheckpoints } from './kernel/audit/verify.js';
import { Authz, declarePermissions } from './kernel/authz/index.js';
import { installErrorHandling, sendProblem } from './kernel/http/errors.js';
import { installContract, swaggerTransform, type RouteContract } from './kernel/http/contract.js';
import { pickLang, registerMessages } from './kernel/http/i18n.js';
import { installInputHygiene } from './kernel/http/hygiene.js';
import { installAuth, type ActorResolver } from './kernel/http/auth.js';
import { rateLimitKey } from './kernel/http/rate-limit.js';
import { createEventBus } from './kernel/events/index.js';
import { Outbox, OUTBOX_JOB } from './kernel/events/outbox.js';
import { Scheduler } from './kernel/jobs/index.js';
import { Notifications, OutboxSms, registerNotificationRoutes } from './kernel/notify/index.js';
import { FileStore } from './kernel/files/index.js';
import { registerFileJobs } from './kernel/files/jobs.js';
import { privateDir } from './kernel/private-fs.js';
import type { Kernel } from './kernel/index.js';
import type { App } from './kernel/app.js';
import { modules } from './modules/index.js';
import { projectRoot } from './kernel/paths.js';
import { databaseMetrics, installMetrics, Metrics } from './kernel/metrics.js';

export type { App } from './kernel/app.js';

export interface BuildOptions {
  config: Config;
  database?: Database;
  clock?: Clock;
  logger?: Logger;
  /** Start scheduled jobs (off in tests that drive jobs by hand). */
  startJobs?: boolean;
  /** Requests per minute per signed-in account, or per address when anonymous (default 1200). */
  rateLimit?: number;
  /** Check every JSON response against its declared schema (tests; kernel/http/contract.ts). */
  validateResponses?: boolean;
}

export const webDist = path.join(projectRoot, 'web/dist');

/** The API routes of each built app, as they registered (for the contract test). */
export const contracts = new WeakMap<App, RouteContract[]>();

export async function buildApp(opts: BuildOptions): Promise<{ app: App; kernel: Kernel }> {
  const { config } = opts;
  const log = opts.logger ?? pino({ level: config.logLevel });
  const clock = opts.clock ?? systemClock;
  privateDir(config.dataDir); // 0700: database, key file and uploads are for this account only
  const database = opts.database ?? openDatabase({ url: config.databaseUrl, sqliteFile: path.join(config.dataDir, 'linli.db') });
  await migrate(database, migrations);

  const { keyring, created, source } = loadKeyring({ masterKey: config.masterKey, dataDir: config.dataDir });
  if (created) log.warn(`vault: created a new key file ${source} (mode 0600). Back it up: without it the personal data cannot be read.`);
  const vault = new Vault(keyring);
  const authz = new Authz();
  const events = await createEventBus({ natsUrl: config.natsUrl, nodeId: config.nodeId, log });
  const outbox = new Outbox(database.db, events, clock, log);
  const notify = new Notifications(database.db, clock, events, outbox);
  const audit = new AuditLog(database, clock);
  const jobs = new Scheduler(database, clock, config.nodeId, log);
  // signed checkpoints of the audit log's head (kernel/audit/checkpoints.ts)
  const checkpoints = startCheckpoints({ config, database, clock, log, jobs, audit });
  const metrics = new Metrics(config.nodeId);
  databaseMetrics(metrics, database);
  const kernel: Kernel = {
    config,
    database,
    db: database.db,
    clock,
    log,
    vault,
    audit,
    checkpoints,
    authz,
    events,
    outbox,
    jobs,
    notify,
    sms: new OutboxSms(database.db, clock, vault, log),
    files: new FileStore(path.join(config.dataDir, 'files'), database.db, clock, vault),
    metrics,
  };

  const app = Fastify({
    loggerInstance: log,
    // no per-request logs: their URLs would carry phone and ID numbers from search queries
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For only behind a proxy we run; otherwise anyone could pick their own address
    // and slip past per-address sign-in limits
    trustProxy: config.trustProxy,
    // long ids reach schema validation (422) instead of the router's bare 414
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: (err, req, reply) => sendProblem(reply, pickLang(req.headers['accept-language']), 400, 'validation.invalid'),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // before any route: documents problem+json errors on every route, lists routes for the contract test
  contracts.set(app, installContract(app, { validate: opts.validateResponses ?? false }));
  installErrorHandling(app);
  installInputHygiene(app);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // per account when signed in, per address otherwise (kernel/http/rate-limit.ts); registered
  // before installAuth so that its hook runs before the auth gate's
  await app.register(rateLimit, { max: opts.rateLimit ?? 1200, timeWindow: '1 minute', keyGenerator: rateLimitKey });
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Linli API', version: '0.1.0', description: 'Linli (邻里) smart-community platform' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'linli_session' }, token: { type: 'http', scheme: 'bearer' } } },
    },
    // multipart and raw bodies, documented by their routes (kernel/http/contract.ts)
    transform: swaggerTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  let resolver: ActorResolver = async () => null;
  installAuth(app, authz, () => resolver);

  installMetrics(app, metrics, config.metricsToken);
  app.get('/healthz', { config: { auth: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { auth: 'public' } }, async (_req, reply) => {
    try {
      await database.ping();
      return { status: 'ready', database: database.dialect };
    } catch (e) {
      return reply.status(503).send({ status: 'unavailable', database: database.dialect, error: (e as Error).message });
    }
  });

  registerNotificationRoutes(app, kernel);
  // events a node recorded in a transaction but died before publishing
  kernel.jobs.register({ name: OUTBOX_JOB, everyMs: 5_000, run: async () => void (await kernel.outbox.sweep()) });
  // uploads past their retention; files stored in clear before encryption (kernel/files/jobs.ts)
  registerFileJobs(kernel);
  // the record of past job runs is kept two days
  kernel.jobs.register({
    name: 'jobs.prune',
    everyMs: 3_600_000,
    run: async ({ now }) => void (await kernel.jobs.prune(new Date(now.getTime() - 2 * 86_400_000))),
  });
  for (const m of modules) {
    if (m.permissions) declarePermissions(m.permissions, m.name);
    if (m.messages) registerMessages(m.messages);
    const r = await m.register(app, kernel);
    if (r?.actorResolver) resolver = r.actorResolver;
  }

  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    // SPA: any non-API GET that is not a file gets the app shell
    const api = ['/api/', '/ngsi-ld/', '/fhir/', '/hooks/'].some((p) => req.url.startsWith(p));
    if (hasWeb && req.method === 'GET' && !api) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, req.lang ?? 'zh-CN', 404, 'http.route_not_found');
  });

  app.addHook('onClose', async () => {
    kernel.jobs.stop();
    await checkpoints.stop();
    await events.close();
    if (!opts.database) await database.close();
  });
  if (opts.startJobs) kernel.jobs.start();
  return { app, kernel };
}
