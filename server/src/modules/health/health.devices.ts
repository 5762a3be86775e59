// Home devices → readings. The devices module's ingest hub hands over every reading it accepts
// (telemetryHub 'accepted'); a reading of a device bound to a patient becomes that patient's
// reading. A blood-pressure measurement arrives as three keys with one timestamp and is recorded
// once they are together. This module never reads the devices module's tables.
import type { Kernel } from '../../kernel/index.js';
import type { Reading } from '../devices/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { healthOf } from './health.context.js';
import { recordReading, type RecordReadingInput } from './health.readings.js';
import type { GlucoseContext } from './health.tables.js';

const contexts: GlucoseContext[] = ['random', 'fasting', 'after_meal'];

/** Group one batch of accepted telemetry into health readings of bound devices. */
export function readingsOf(k: Kernel, batch: Reading[]): RecordReadingInput[] {
  const bindings = healthOf(k).bindings;
  const groups = new Map<string, { patientId: string; type: string; deviceId: string; ts: number; v: Record<string, number> }>();
  for (const r of batch) {
    const patientId = bindings.get(r.deviceId);
    if (!patientId) continue;
    const key = `${r.deviceId}|${r.ts}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { patientId, type: r.deviceTypeCode, deviceId: r.deviceId, ts: r.ts, v: {} }));
    g.v[r.key] = r.value;
  }
  const out: RecordReadingInput[] = [];
  for (const g of groups.values()) {
    const base = { patientId: g.patientId, deviceId: g.deviceId, ts: g.ts, source: 'device' as const };
    if (g.type === 'bp_monitor' && g.v.systolic != null && g.v.diastolic != null)
      out.push({ ...base, kind: 'bp', systolic: g.v.systolic, diastolic: g.v.diastolic, pulse: g.v.pulse });
    else if (g.type === 'glucometer' && g.v.glucose != null)
      out.push({ ...base, kind: 'glucose', value: g.v.glucose, context: contexts[g.v.glucose_context ?? 0] ?? 'random' });
    else if (g.type === 'oximeter') {
      if (g.v.spo2 != null) out.push({ ...base, kind: 'spo2', value: g.v.spo2 });
      if (g.v.pulse != null) out.push({ ...base, kind: 'hr', value: g.v.pulse });
    } else if (g.type === 'scale' && g.v.weight != null) out.push({ ...base, kind: 'weight', value: g.v.weight });
  }
  return out;
}

/**
 * Record the readings of bound devices. A reading sent twice (the hub's 'accepted' may repeat one)
 * is recorded once: the last (device, time) pairs are remembered.
 */
export function deviceReadingsHandler(k: Kernel) {
  const seen = new Set<string>();
  return async (batch: Reading[]) => {
    for (const input of readingsOf(k, batch)) {
      const key = `${input.deviceId}|${input.ts}|${input.kind}`;
      if (seen.has(key)) continue;
      if (seen.size > 200_000) seen.clear();
      seen.add(key);
      try {
        await recordReading(k, input);
      } catch (err) {
        if (err instanceof AppError) k.log.warn({ deviceId: input.deviceId, code: err.code, fields: err.fields }, 'health: device reading refused');
        else k.log.error({ err, deviceId: input.deviceId }, 'health: device reading not recorded');
      }
    }
  };
}
