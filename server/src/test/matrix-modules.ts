// The modules that contribute rows to the authorization matrix.
import type { MatrixRows } from './matrix.js';
import { devicesMatrix } from '../modules/devices/devices.authz-rows.js';
import { alarmsMatrixRows } from '../modules/alarms/alarms.authz-rows.js';
import { workordersMatrix } from '../modules/workorders/workorders.authz-rows.js';

export const moduleMatrices: MatrixRows[] = [devicesMatrix, alarmsMatrixRows, workordersMatrix];
