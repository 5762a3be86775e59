// The HTTP app and module types every module is written against. They live in the kernel so
// modules never import the composition root (app.ts imports the modules).
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kernel } from './index.js';
import type { ActorResolver } from './http/auth.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A module registers its routes, jobs and event handlers on the app. */
export interface Module {
  name: string;
  register(app: App, kernel: Kernel): Promise<void | { actorResolver?: ActorResolver }>;
}
