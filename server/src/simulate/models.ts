// Telemetry models of the demo devices: realistic values with daily curves and noise, using the
// telemetry keys of the built-in device types (migration 0004), and the faults the simulator
// injects. Pure (a random source and the time are handed in), so it is testable on its own.

export type Values = Record<string, number>;
export type Rng = () => number;

export type FaultKind = 'elevator_stuck' | 'pump_low_pressure' | 'meter_silent';

export interface DeviceModel {
  /** the next reading at `now` (ms), or null when the device is silent */
  next(now: number, dtS: number): Values | null;
  /** start a fault lasting `ms`; false when this device cannot have it */
  fault?(kind: FaultKind, now: number, ms: number): boolean;
  /** a fault is active */
  faulted(now: number): boolean;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** approximately normal noise (sum of uniforms), mean 0, standard deviation `sd` */
export function noise(rng: Rng, sd: number): number {
  return (rng() + rng() + rng() + rng() - 2) * sd * 1.732;
}

/** hour of the day (0–24, fractional) in China Standard Time (UTC+8, no daylight saving) */
export function localHour(now: number): number {
  return (((now / 3_600_000 + 8) % 24) + 24) % 24;
}

/** daily demand curve 0.2–1: low at night, peaks around 07:30 and 19:30 */
export function demand(now: number): number {
  const h = localHour(now);
  const peak = (c: number, w: number) => Math.exp(-((h - c) ** 2) / (2 * w * w));
  return clamp(0.2 + 0.8 * Math.max(peak(7.5, 1.3), peak(19.5, 1.8), 0.45 * peak(13, 2.5)), 0.2, 1);
}

/** a stable number in [0, 1) from a string (device id), so totals start at different values */
export function hashUnit(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

export const ELEVATOR_FAULT_CODE = 37; // stopped outside the door zone (stuck between floors)

export function elevatorModel(id: string, rng: Rng, topFloor = 18): DeviceModel {
  let pos = 1 + Math.floor(hashUnit(id) * topFloor); // floor position, fractional while moving
  let target = pos;
  let load = 0;
  let doorTicks = 0;
  let faultUntil = 0;
  return {
    faulted: (now) => now < faultUntil,
    fault(kind, now, ms) {
      if (kind !== 'elevator_stuck' || now < faultUntil) return false;
      faultUntil = now + ms;
      doorTicks = 0;
      if (Number.isInteger(pos)) pos = clamp(pos + (target >= pos ? 0.5 : -0.5), 1, topFloor); // between floors
      return true;
    },
    next(now, dtS) {
      if (now < faultUntil) {
        return { floor: round(pos, 1), speed: 0, door_open: 0, load_kg: load, fault_code: ELEVATOR_FAULT_CODE };
      }
      if (!Number.isInteger(pos) && pos === target) target = Math.round(pos); // recovered: level off
      let speed = 0;
      let door = 0;
      if (doorTicks > 0) {
        door = 1;
        doorTicks--;
      } else if (pos === target) {
        // idle: sometimes called to another floor, sometimes boarding here
        if (rng() < 0.35 + 0.4 * demand(now)) {
          target = rng() < 0.5 ? 1 : 1 + Math.floor(rng() * topFloor);
          if (target === pos) {
            doorTicks = 1;
            door = 1;
            load = pos === 1 ? Math.round(clamp(load + 65 * Math.floor(rng() * 6), 0, 1000)) : Math.round(load * rng());
          }
        }
      } else {
        const step = ((1.6 + noise(rng, 0.05)) * dtS) / 3; // 3 m per floor
        speed = round(clamp(1.6 + noise(rng, 0.05), 0.5, 2.5), 2);
        if (Math.abs(target - pos) <= step) {
          pos = target;
          doorTicks = 1;
          door = 1;
          speed = 0;
          load = pos === 1 ? Math.round(load * rng() * 0.3) : Math.round(clamp(load + 65 * Math.floor(rng() * 5) - 65 * Math.floor(rng() * 3), 0, 1000));
        } else pos += Math.sign(target - pos) * step;
      }
      const floor = Number.isInteger(pos) ? pos : Math.round(pos);
      return { floor, speed, door_open: door, load_kg: load, fault_code: 0 };
    },
  };
}

export function pumpModel(_id: string, rng: Rng): DeviceModel {
  let faultUntil = 0;
  let temp = 38;
  return {
    faulted: (now) => now < faultUntil,
    fault(kind, now, ms) {
      if (kind !== 'pump_low_pressure' || now < faultUntil) return false;
      faultUntil = now + ms;
      return true;
    },
    next(now) {
      const d = demand(now);
      const low = now < faultUntil;
      const flow = low ? 4 + noise(rng, 0.5) : 8 + 18 * d + noise(rng, 0.6);
      const pressure = low ? 0.1 + noise(rng, 0.012) : 0.31 - 0.03 * d + noise(rng, 0.006);
      temp += (36 + 10 * d - temp) * 0.05 + noise(rng, 0.1);
      return { pressure: round(clamp(pressure, 0.02, 0.6), 3), flow: round(Math.max(0, flow), 1), running: 1, temperature: round(temp, 1) };
    },
  };
}

function silentMeter(inner: (now: number, dtS: number) => Values): DeviceModel {
  let silentUntil = 0;
  return {
    faulted: (now) => now < silentUntil,
    fault(kind, now, ms) {
      if (kind !== 'meter_silent' || now < silentUntil) return false;
      silentUntil = now + ms;
      return true;
    },
    next(now, dtS) {
      const v = inner(now, dtS); // totals keep counting while silent
      return now < silentUntil ? null : v;
    },
  };
}

export function waterMeterModel(id: string, rng: Rng): DeviceModel {
  let total = 2000 + hashUnit(id) * 8000; // m³
  return silentMeter((now, dtS) => {
    const m3h = 0.4 + 3.2 * demand(now) * (0.8 + 0.4 * rng()); // a building's draw
    total += (m3h * dtS) / 3600;
    return { total: round(total, 3) };
  });
}

export function electricityMeterModel(id: string, rng: Rng): DeviceModel {
  let total = 50_000 + hashUnit(id) * 200_000; // kWh
  return silentMeter((now, dtS) => {
    const power = 15 + 55 * demand(now) + noise(rng, 1.5); // kW
    total += (Math.max(0, power) * dtS) / 3600;
    return { total: round(total, 2), power: round(Math.max(0, power), 2), voltage: round(220 + noise(rng, 2), 1) };
  });
}

export function smokeModel(id: string, rng: Rng): DeviceModel {
  const battery = Math.round(80 + hashUnit(id) * 19);
  return {
    faulted: () => false,
    next: () => ({ obscuration: round(Math.abs(noise(rng, 0.05)), 2), battery }),
  };
}

export function envModel(_id: string, rng: Rng): DeviceModel {
  return {
    faulted: () => false,
    next(now) {
      const h = localHour(now);
      const day = Math.sin(((h - 9) / 24) * 2 * Math.PI); // warmest ~15:00, coolest ~03:00
      const d = demand(now);
      return {
        temperature: round(14 + 7 * day + noise(rng, 0.2), 1),
        humidity: round(clamp(55 - 18 * day + noise(rng, 1), 10, 98), 1),
        pm25: round(Math.max(3, 28 + 22 * d + noise(rng, 3)), 0),
        co2: round(420 + 90 * d + noise(rng, 8), 0),
      };
    },
  };
}

/** A camera sends no readings of its own, only a heartbeat a minute (its type's is 120 s) so it shows online. */
export function cameraModel(): DeviceModel {
  let lastBeat = -Infinity;
  return {
    faulted: () => false,
    next(now) {
      if (now - lastBeat < 60_000) return null;
      lastBeat = now;
      return { online: 1 };
    },
  };
}

/** The kinds of camera event the simulator posts, most often the least alarming. */
export const simulatedCameraKinds = ['motion', 'motion', 'loitering', 'intrusion', 'tailgating'] as const;

/** A home blood-pressure monitor (health module): one measurement every 30 min; about one in ten
 * patients' series drift high (stable per device). */
export function bpMonitorModel(id: string, rng: Rng): DeviceModel {
  const u = hashUnit(id);
  const drift = u < 0.1;
  const base = drift ? 146 : 118 + u * 16;
  let last = -Infinity;
  return {
    faulted: () => false,
    next(now) {
      if (now - last < 30 * 60_000) return null;
      last = now;
      const sys = round(base + (drift ? ((now / 86_400_000) % 7) * 2 : 0) + noise(rng, 5), 0);
      return { systolic: sys, diastolic: round(sys * 0.62 + noise(rng, 3), 0), pulse: round(70 + noise(rng, 6), 0) };
    },
  };
}

/** A home glucometer (health module): a fasting or after-meal value every 2 h. */
export function glucometerModel(id: string, rng: Rng): DeviceModel {
  const high = hashUnit(id) < 0.15;
  let last = -Infinity;
  return {
    faulted: () => false,
    next(now) {
      if (now - last < 2 * 3_600_000) return null;
      last = now;
      const fasting = localHour(now) < 9;
      const g = (fasting ? 5.4 : 7.6) + (high ? 2 : 0) + noise(rng, 0.5);
      return { glucose: round(clamp(g, 2, 30), 1), glucose_context: fasting ? 1 : 2 };
    },
  };
}

export function modelFor(typeCode: string, id: string, rng: Rng): DeviceModel | null {
  switch (typeCode) {
    case 'camera':
      return cameraModel();
    case 'elevator':
      return elevatorModel(id, rng);
    case 'water_pump':
      return pumpModel(id, rng);
    case 'water_meter':
      return waterMeterModel(id, rng);
    case 'electricity_meter':
      return electricityMeterModel(id, rng);
    case 'smoke_detector':
      return smokeModel(id, rng);
    case 'env_sensor':
      return envModel(id, rng);
    case 'bp_monitor':
      return bpMonitorModel(id, rng);
    case 'glucometer':
      return glucometerModel(id, rng);
    default:
      return null;
  }
}

/** which device types can have which fault */
export const faultOf: Record<string, FaultKind | undefined> = {
  elevator: 'elevator_stuck',
  water_pump: 'pump_low_pressure',
  water_meter: 'meter_silent',
  electricity_meter: 'meter_silent',
};
