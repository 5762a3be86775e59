// Validation of device messages for the ingest pipeline (ingest.ts): timestamps, telemetry
// readings, events and status. Pure and synchronous; a rejected message throws Reject.
import type { DeviceEvent, Reading } from './hub.js';
import type { CachedDevice } from './ingest.devices.js';

export const FUTURE_MS = 5 * 60_000;
export const PAST_MS = 7 * 24 * 3_600_000;
const MAX_READINGS_PER_MESSAGE = 1000;

/** An accepted reading. It is also the Reading announced before and after storage and the row
 * stored: one object per reading all the way (garbage collection was 16 % of the ingest process). */
export type Queued = Reading;

export class Reject extends Error {
  /** `field`: where in the message the problem is (`values.pressure`, `1.ts`, `body`). */
  constructor(
    public reason: string,
    public detail = '',
    public n = 1,
    public field = 'body',
  ) {
    super(reason);
  }
}

export function parseTs(v: unknown, now: number): number {
  if (v === undefined || v === null) return now;
  let ts: number;
  if (typeof v === 'number') ts = v;
  else if (typeof v === 'string' && v.length <= 40) ts = Date.parse(v);
  else throw new Reject('bad_ts', String(v).slice(0, 40));
  if (!Number.isFinite(ts)) throw new Reject('bad_ts', String(v).slice(0, 40));
  ts = Math.round(ts);
  if (ts > now + FUTURE_MS) throw new Reject('ts_future', new Date(ts).toISOString());
  if (ts < now - PAST_MS) throw new Reject('ts_past', new Date(ts).toISOString());
  return ts;
}

/**
 * Validate a telemetry message (one reading object or an array of them): each valid value is
 * handed to `accept`, each invalid one (or item) to `bad`. Throws Reject when the whole message is
 * malformed.
 */
export function validateTelemetry(d: CachedDevice, body: unknown, now: number, accept: (q: Queued) => void, bad: (e: Reject) => void): void {
  const items = Array.isArray(body) ? body : [body];
  if (!items.length || items.length > MAX_READINGS_PER_MESSAGE) throw new Reject('bad_shape', `${items.length} readings`);
  for (const [i, item] of items.entries()) {
    const at = (f: string) => (Array.isArray(body) ? `${i}.${f}` : f);
    if (!item || typeof item !== 'object' || Array.isArray(item) || !item.values || typeof item.values !== 'object' || Array.isArray(item.values)) {
      bad(new Reject('bad_shape', 'expected {"ts": …, "values": {…}}', 1, at('values')));
      continue;
    }
    if (item.deviceId !== undefined && item.deviceId !== d.id) {
      bad(new Reject('bad_shape', 'deviceId does not match the credential', 1, at('deviceId')));
      continue;
    }
    const entries = Object.entries(item.values as Record<string, unknown>);
    let ts: number;
    try {
      ts = parseTs(item.ts, now);
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      e.n = Math.max(1, entries.length);
      e.field = at('ts');
      bad(e);
      continue;
    }
    for (const [key, raw] of entries) {
      if (!d.keys.has(key)) {
        bad(new Reject('unknown_key', key.slice(0, 60), 1, at(`values.${key.slice(0, 60)}`)));
        continue;
      }
      const value = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        bad(new Reject('not_numeric', `${key}=${JSON.stringify(raw)?.slice(0, 40)}`, 1, at(`values.${key.slice(0, 60)}`)));
        continue;
      }
      accept({ deviceId: d.id, deviceTypeCode: d.typeCode, communityId: d.communityId, placePath: d.placePath, key, ts, value });
    }
  }
}

/** Validate an event message: {"type": "…", "ts"?: …, …}. */
export function validateEvent(d: CachedDevice, body: unknown, now: number): DeviceEvent {
  const b = body as Record<string, unknown>;
  if (!b || typeof b !== 'object' || Array.isArray(b) || typeof b.type !== 'string' || !b.type || b.type.length > 60) {
    throw new Reject('bad_shape', 'expected {"type": "…", …}');
  }
  // An event is not lost for its time (a door forced open, a camera alarm): one whose ts is
  // unreadable or out of range gets the receipt time; its own "ts" stays in the payload for the
  // consumer to judge (incidents/camera-time.ts keeps it as the camera's claimed time).
  let ts: number;
  try {
    ts = parseTs(b.ts, now);
  } catch (e) {
    if (!(e instanceof Reject)) throw e;
    ts = now;
  }
  return { deviceId: d.id, type: b.type, payload: b, ts };
}

/** Validate a status message: "online" | "offline", bare or as {"status": …}. */
export function validateStatus(body: unknown): 'online' | 'offline' {
  const s = typeof body === 'string' ? body : (body as { status?: unknown } | null)?.status;
  if (s === 'online' || s === 'offline') return s;
  throw new Reject('bad_shape', 'expected {"status": "online" | "offline"}');
}
