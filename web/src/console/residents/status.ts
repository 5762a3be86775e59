import type { TFunction } from 'i18next';

/** Resident statuses the list can filter by (contract assumption: active / moved_out / deceased). */
export const residentStatuses = ['active', 'moved_out', 'deceased'];

export function statusOptions(t: TFunction) {
  return residentStatuses.map((s) => ({ value: s, label: t(`residentStatus.${s}`) }));
}
