// The events the devices module publishes, with their payloads (declared once, here).
import { defineEvent } from '../../kernel/events/index.js';

export interface DeviceChanged {
  deviceId: string;
}

/** Published (to every node) after a device is created, updated or its secret rotated. */
export const DEVICE_CHANGED = defineEvent<DeviceChanged>('devices.device.changed');
