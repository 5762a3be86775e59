// The modules of the app, in registration order. The identity module provides the actor resolver.
import type { Module } from '../kernel/app.js';
import { identityModule } from './identity/index.js';
import { registryModule } from './registry/index.js';
import { auditModule } from './audit/index.js';
import { devicesModule } from './devices/index.js';
import { alarmsModule } from './alarms/index.js';
import { workordersModule } from './workorders/index.js';
import { accessModule } from './access/index.js';
import { incidentsModule } from './incidents/index.js';
import { billingModule } from './billing/index.js';
import { servicesModule } from './services/index.js';
import { participationModule } from './participation/index.js';
import { councilModule } from './council/index.js';
import { healthModule } from './health/index.js';
import { exchangeModule } from './exchange/index.js';

export const modules: Module[] = [
  identityModule,
  registryModule,
  auditModule,
  devicesModule,
  alarmsModule,
  workordersModule,
  accessModule,
  incidentsModule,
  billingModule,
  servicesModule,
  participationModule,
  councilModule,
  healthModule,
  exchangeModule,
];
