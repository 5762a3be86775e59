// The in-process stream of stored telemetry, device status changes and device events.
// One EventEmitter per kernel; the alarms module subscribes to it.
import { EventEmitter } from 'node:events';
import type { Kernel } from '../../kernel/index.js';

export interface Reading {
  deviceId: string;
  deviceTypeCode: string;
  communityId: string;
  placePath: string;
  key: string;
  ts: number;
  value: number;
}

export interface DeviceStatusChange {
  deviceId: string;
  status: 'online' | 'offline';
  at: string;
}

export interface DeviceEvent {
  deviceId: string;
  type: string;
  payload: unknown;
  ts: number;
}

const hubs = new WeakMap<Kernel, EventEmitter>();

/**
 * 'accepted' (Reading[]): readings as soon as they pass validation, before they are stored (a
 * reading sent twice comes twice); 'readings' (Reading[]): readings stored for the first time;
 * 'status' (DeviceStatusChange); 'event' (DeviceEvent).
 */
export function telemetryHub(k: Kernel): EventEmitter {
  let h = hubs.get(k);
  if (!h) {
    h = new EventEmitter();
    h.setMaxListeners(100);
    hubs.set(k, h);
  }
  return h;
}
