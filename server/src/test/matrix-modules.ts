// The modules that contribute rows to the authorization matrix.
import type { MatrixRows } from './matrix.js';
import { devicesMatrix } from '../modules/devices/devices.authz-rows.js';
import { alarmsMatrixRows } from '../modules/alarms/alarms.authz-rows.js';
import { workordersMatrix } from '../modules/workorders/workorders.authz-rows.js';
import { accessMatrix } from '../modules/access/access.authz-rows.js';
import { incidentsMatrix } from '../modules/incidents/incidents.authz-rows.js';
import { billingMatrix } from '../modules/billing/billing.authz-rows.js';
import { servicesMatrix } from '../modules/services/services.authz-rows.js';
import { participationMatrix } from '../modules/participation/participation.authz-rows.js';
import { councilMatrix } from '../modules/council/council.authz-rows.js';
import { registryMatrix } from '../modules/registry/registry.authz-rows.js';

export const moduleMatrices: MatrixRows[] = [devicesMatrix, alarmsMatrixRows, workordersMatrix, accessMatrix, incidentsMatrix, billingMatrix, servicesMatrix, participationMatrix, councilMatrix, registryMatrix];
