// The HTTP app and module types every module is written against. They live in the kernel so
// modules never import the composition root (app.ts imports the modules).
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kernel } from './index.js';
import type { ActorResolver } from './http/auth.js';
import type { PermissionTable } from './authz/index.js';
import type { Messages } from './http/i18n.js';
import type { EventToken } from './events/index.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What a module's demo seed builds on (seed/seed.ts makes it). */
export interface DemoContext {
  /** The demo's first community (花家地社区), where the module demos live, and the street above it. */
  communityId: string;
  streetId: string;
  /** The demo resident who signs in to the portal. */
  residentId: string;
  /** Demo accounts' password (seed/seed.ts DEMO_PASSWORD). */
  password: string;
  /** Today in the community's time zone (YYYY-MM-DD). */
  today: string;
  /** Demo staff user ids by username (officer, gov, doctor…). */
  userIds: Record<string, string>;
}

/**
 * A module's manifest: what it brings to the app, declared as data so that app.ts, the
 * authorization-matrix test and docs/architecture.md read one source (no side-effect imports).
 * app.ts declares the permissions and messages before `register` runs.
 */
export interface Module {
  name: string;
  /** One line on what the module does (docs/architecture.md lists it). */
  summary?: string;
  /** `import.meta.url` of the module's index.ts: where `matrix` is found. */
  url?: string;
  /** Which role may do what on the module's subjects (kernel/authz). */
  permissions?: PermissionTable;
  /** The module's message catalog (problem titles, notifications), zh-CN and en. */
  messages?: Messages;
  /** The events it publishes and those it subscribes to (typed tokens, kernel/events). */
  publishes?: EventToken<unknown>[];
  subscribes?: EventToken<unknown>[];
  /** Names of the scheduled jobs it registers. */
  jobs?: string[];
  /** File beside index.ts whose `matrix` export holds the module's authorization-matrix rows (tests only). */
  matrix?: string;
  /** Its page under docs/. */
  docs?: string;
  /** Adds the module's part of the demo community (seed/seed.ts calls these in module order, once,
   * into an empty database, after the places, residents and demo accounts exist). */
  seed?: (k: Kernel, demo: DemoContext) => Promise<void>;
  /** Registers routes, jobs and event handlers. */
  register(app: App, kernel: Kernel): Promise<void | { actorResolver?: ActorResolver }>;
}
