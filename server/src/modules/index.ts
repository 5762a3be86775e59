// The modules of the app, in registration order. The identity module provides the actor resolver.
import type { Module } from './module.js';
import { identityModule } from './identity/index.js';
import { registryModule } from './registry/index.js';
import { auditModule } from './audit/index.js';
import { devicesModule } from './devices/index.js';
import { alarmsModule } from './alarms/index.js';
import { workordersModule } from './workorders/index.js';

export const modules: Module[] = [identityModule, registryModule, auditModule, devicesModule, alarmsModule, workordersModule];
