// Meter readings from the property module's smart meters: for each water or electricity fee item
// of a community, every meter of the matching type placed at a house (`water_meter` /
// `electricity_meter`, key `total`, the cumulative count) gives the house's reading for the period
// — the meter's value as it stood when the period ended (midnight of the 1st of the next month in
// the community's time zone). Readings go through the same checks as entered ones (lower than the
// previous one or an implausible jump: flagged for review, not billed). A reading staff entered or
// imported for that house and month is kept; telemetry never overwrites it. Meters on a building
// or a public area are not a household's and are left out. Devices are read only through
// devices/index.ts.
import type { Kernel } from '../../kernel/index.js';
import { systemActor, type Actor } from '../../kernel/authz/index.js';
import { zonedTime } from '../../kernel/time.js';
import { AppError } from '../../kernel/http/errors.js';
import { listDevices, valueAt } from '../devices/index.js';
import { places } from '../registry/index.js';
import type { Fees } from './billing.fees.js';
import { ReadsRepository } from './billing.reads.repository.js';
import type { FeeKind } from './billing.tables.js';

const meterType: Record<string, string> = { water: 'water_meter', electricity: 'electricity_meter' };
const metered: FeeKind[] = ['water', 'electricity'];

/** Midnight starting the month after `period` (YYYY-MM) in `timeZone`, as ms since the epoch. */
export function periodEnd(period: string, timeZone: string): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10); // the 1st of the next month (months are 0-based: m is next)
  return zonedTime(next, timeZone).getTime();
}

export interface TelemetryReadingsResult {
  period: string;
  recorded: number;
  flagged: number;
  /** a meter with no reading up to the end of the period */
  noData: number;
  /** kept: staff entered or imported a reading for that house and month */
  keptManual: number;
  /** the house's bill for that month exists already */
  billed: number;
}

export async function readingsFromTelemetry(k: Kernel, fees: Fees, actor: Actor, communityId: string, period: string): Promise<TelemetryReadingsResult> {
  const community = await fees.community(actor, communityId, 'create', 'MeterReading');
  const end = periodEnd(period, community.time_zone ?? k.config.timeZone);
  const out: TelemetryReadingsResult = { period, recorded: 0, flagged: 0, noData: 0, keptManual: 0, billed: 0 };
  const q = new ReadsRepository(k.db);
  // the readings are the meters', recorded by the system actor on the staff member's request (audited below)
  const meters = systemActor('billing.telemetry-readings');
  const items = await q.activeItemsOfKinds(communityId, metered);
  for (const item of items) {
    const seen = new Set<string>(); // one meter per house and item: the first one found
    for (const d of await listDevices(k, { typeCode: meterType[item.kind], communityId })) {
      const place = await places.getPlace(k, d.placeId);
      if (!place || place.kind !== 'house' || seen.has(place.id)) continue;
      seen.add(place.id);
      const source = await q.readingSource(place.id, item.id, period);
      if (source && source !== 'telemetry') {
        out.keptManual++;
        continue;
      }
      const v = await valueAt(k, d.id, 'total', end - 1);
      if (!v) {
        out.noData++;
        continue;
      }
      try {
        const r = await fees.recordReading(meters, { houseId: place.id, feeItemId: item.id, period, reading: v.value }, 'telemetry');
        if (r.status === 'flagged') out.flagged++;
        else out.recorded++;
      } catch (e) {
        if (e instanceof AppError && e.status === 409) out.billed++;
        else throw e;
      }
    }
  }
  await k.audit.record({
    actorId: actor.userId,
    actorName: actor.name,
    action: 'billing.readings.telemetry',
    targetType: 'Community',
    targetId: communityId,
    scopePath: community.path,
    detail: { ...out },
  });
  return out;
}
