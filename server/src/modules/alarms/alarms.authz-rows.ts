// The alarms routes in the authorization matrix (server/src/test/authz-matrix.test.ts).
// Columns: admin gov staff property tech guard doctor officer provider resident.
import type { MatrixRows } from '../../test/matrix.js';
import type { Kernel } from '../../kernel/index.js';
import type { World } from '../../test/fixtures.js';
import { newId } from '../../kernel/ids.js';
import { AlarmsRepository, openKey, type AlarmRow, type RuleRow } from './alarms.repository.js';

async function seed(k: Kernel, community: { id: string }, place: { path: string }) {
  const repo = new AlarmsRepository(k.db);
  const now = new Date().toISOString();
  const deviceId = newId('dev');
  const rule: RuleRow = {
    id: newId('rul'),
    rule_key: `dev:${deviceId}:matrix`,
    device_type_code: 'elevator',
    device_id: deviceId,
    place_path: place.path,
    code: 'matrix',
    name: 'matrix',
    enabled: 1,
    definition: JSON.stringify({ type: 'condition', create: { minor: { condition: { key: 'x', op: '>', value: 1 } } } }),
    schedule: null,
    create_work_order: 0,
    work_order_category: null,
    built_in: 0,
    created_at: now,
    updated_at: now,
  };
  await repo.insertRule(rule);
  const alarm: AlarmRow = {
    id: newId('alm'),
    rule_id: rule.id,
    device_id: deviceId,
    device_name: 'matrix',
    device_type_code: 'elevator',
    community_id: community.id,
    place_path: place.path,
    severity: 'minor',
    status: 'active',
    open_key: openKey(deviceId, rule.id),
    started_at: now,
    last_value: 2,
    details: '{}',
    acknowledged_at: null,
    acknowledged_by: null,
    acknowledged_by_name: null,
    ack_note: null,
    cleared_at: null,
    cleared_by: null,
    cleared_by_name: null,
    clear_reason: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertAlarmIfNone(alarm);
  return { alarm: alarm.id, rule: rule.id };
}

const alarmPath =
  (suffix = '') =>
  (ids: Record<string, string>) => ({ path: `/api/v1/alarms/${ids.alarm}${suffix}` });

export const matrix: MatrixRows = {
  async setup(k: Kernel, w: World) {
    return { own: await seed(k, w.c1, w.estate1), other: await seed(k, w.c2, w.estate2) };
  },
  rows: {
    'GET /api/v1/alarms': { own: 'oooooodddd', other: null },
    'GET /api/v1/alarms/:id': { own: 'oooooodddd', other: 'oonnnndddd', request: alarmPath() },
    // repeated acknowledgements/clears answer 409, which counts as allowed here
    'POST /api/v1/alarms/:id/acknowledge': { own: 'oddooodddd', other: 'oddnnndddd', request: (ids) => ({ ...alarmPath('/acknowledge')(ids), body: {} }) },
    'POST /api/v1/alarms/:id/clear': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ ...alarmPath('/clear')(ids), body: { reason: 'matrix' } }),
    },
    'GET /api/v1/alarm-rules': { own: 'oooodddddd', other: null },
    'GET /api/v1/alarm-rules/:id': { own: 'oooodddddd', other: 'oonndddddd', request: (ids) => ({ path: `/api/v1/alarm-rules/${ids.rule}` }) },
    // a type rule is platform-wide: only a platform admin creates one (per-device overrides: alarms.test.ts)
    'POST /api/v1/alarm-rules': {
      own: 'oddddddddd',
      other: null,
      request: () => ({
        body: {
          deviceTypeCode: 'gateway',
          code: `m_${Math.random().toString(36).slice(2, 8)}`,
          name: 'matrix',
          definition: { type: 'no_data', seconds: 600, severity: 'warning' },
        },
      }),
    },
    'PATCH /api/v1/alarm-rules/:id': {
      own: 'oddodddddd',
      other: 'oddndddddd',
      request: (ids) => ({ path: `/api/v1/alarm-rules/${ids.rule}`, body: { name: 'matrix 2' } }),
    },
  },
};

/** The old name, until the matrix test reads `matrix` through the manifest. */
export const alarmsMatrixRows = matrix;
export default matrix;
