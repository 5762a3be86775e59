// Types and hooks of the devices contract (docs/api/devices.md).
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { pickLabel } from '../../shared/i18n';

export interface TelemetryKey {
  key: string;
  unit?: string | null;
  min?: number | null;
  max?: number | null;
  zh?: string;
  en?: string;
}

export interface DeviceType {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  builtin?: boolean;
  heartbeatS?: number;
  telemetry: TelemetryKey[];
}

export interface LatestValue extends TelemetryKey {
  value: number | null;
  /** ms since the epoch */
  ts: number | string;
  outOfRange?: boolean;
}

export interface Device {
  id: string;
  name: string;
  typeCode: string;
  typeName?: string;
  communityId?: string;
  placeId: string;
  placePath?: string | null;
  placeName?: string | null;
  publicArea?: string | null;
  status: 'online' | 'offline' | string;
  lastSeenAt?: string | null;
  rejectedCount?: number;
  lastError?: string | null;
  lastErrorAt?: string | null;
  throttledUntil?: string | null;
  secretRotatedAt?: string | null;
  createdAt?: string;
  /** Only on the detail answer (and on list rows if the server includes it). */
  latest?: LatestValue[];
}

export interface DeviceDetail extends Device {
  type: DeviceType;
  latest: LatestValue[];
}

export interface DeviceList {
  items: Device[];
  total: number;
  page: number;
  pageSize: number;
  totals?: { total: number; online: number; offline: number };
}

export interface TelemetryPoint {
  ts: number;
  min: number;
  max: number;
  avg: number;
  count: number;
}

export interface TelemetrySeries extends TelemetryKey {
  points: TelemetryPoint[];
}

export interface TelemetryAnswer {
  deviceId: string;
  from: number;
  to: number;
  resolution: string;
  series: TelemetrySeries[];
}

export function useDeviceTypes() {
  return useQuery({
    queryKey: ['device-types'],
    queryFn: async () => {
      const r = await api.get<{ items: DeviceType[] }>('/api/v1/device-types');
      return r.items;
    },
    staleTime: 300_000,
  });
}

export function latestList(d: Pick<Device, 'latest'> | undefined): LatestValue[] {
  return d?.latest ?? [];
}

export function typeLabel(types: DeviceType[] | undefined, code: string | undefined): string {
  const x = types?.find((t) => t.code === code);
  return x ? pickLabel({ zh: x.nameZh, en: x.nameEn }) : (code ?? '');
}

export function keyText(k: TelemetryKey): string {
  return pickLabel({ zh: k.zh ?? k.key, en: k.en ?? k.key }, k.key);
}

export function keyLabel(types: DeviceType[] | undefined, type: string | undefined, key: string): string {
  const k = types?.find((t) => t.code === type)?.telemetry.find((x) => x.key === key);
  return k ? keyText(k) : key;
}

/** Where a device is: its place, and the named public area if any. */
export function placeText(d: Device): string {
  return [d.placeName, d.publicArea].filter(Boolean).join(' · ');
}

export const statusColor: Record<string, string> = { online: 'success', offline: 'error' };
