// Types and hooks of the devices contract (docs/api/devices.md).
import { useQuery } from '@tanstack/react-query';
import { api, type ApiOk, type ItemOf } from '../../shared/api';
import { pickLabel } from '../../shared/i18n';

// The answers of the device routes, named from the generated OpenAPI types.
export type DeviceType = ItemOf<ApiOk<'/api/v1/device-types'>>;
export type TelemetryKey = DeviceType['telemetry'][number];
export type DeviceList = ApiOk<'/api/v1/devices'>;
export type Device = ItemOf<DeviceList>;
export type DeviceDetail = ApiOk<'/api/v1/devices/{id}'>;
export type LatestValue = DeviceDetail['latest'][number];
export type TelemetryAnswer = ApiOk<'/api/v1/devices/{id}/telemetry'>;
export type TelemetrySeries = TelemetryAnswer['series'][number];
export type TelemetryPoint = TelemetrySeries['points'][number];

export function useDeviceTypes() {
  return useQuery({
    queryKey: ['device-types'],
    queryFn: async () => {
      const r = await api.get('/api/v1/device-types');
      return r.items;
    },
    staleTime: 300_000,
  });
}

export function typeLabel(types: DeviceType[] | undefined, code: string | null | undefined): string {
  const x = types?.find((t) => t.code === code);
  return x ? pickLabel({ zh: x.nameZh, en: x.nameEn }) : (code ?? '');
}

export function keyText(k: Pick<TelemetryKey, 'key' | 'zh' | 'en'>): string {
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
