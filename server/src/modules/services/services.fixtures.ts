// Test and demo helpers: a provider with one service and weekly hours, built through the service.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { ProvidersService } from './providers.service.js';
import type { Category } from './services.states.js';

export interface ProviderPlan {
  communityId: string;
  areaIds: string[];
  category?: Category;
  nameZh?: string;
  nameEn?: string;
  service?: {
    nameZh?: string;
    nameEn?: string;
    priceFen?: number;
    durationMinutes?: number;
    freeCancelHours?: number;
    cancelFeeFen?: number;
    category?: Category;
  };
  /** Weekly hours; default every day 09:00–17:00 with 2 places per slot. */
  hours?: { weekday: number; start: string; end: string; capacity: number }[];
  memberUserIds?: string[];
}

export const everyDay = (start = '09:00', end = '17:00', capacity = 2) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end, capacity }));

export async function buildProvider(k: Kernel, by: Actor, plan: ProviderPlan) {
  const svc = new ProvidersService(k);
  const category = plan.category ?? 'housekeeping';
  const p = await svc.create(
    by,
    { communityId: plan.communityId, category, nameZh: plan.nameZh ?? '好帮手家政', nameEn: plan.nameEn ?? 'Good Helper Housekeeping', areaIds: plan.areaIds },
    '127.0.0.1',
    'zh-CN',
  );
  const s = plan.service ?? {};
  const service = await svc.addService(
    by,
    p.id,
    {
      category: s.category ?? category,
      nameZh: s.nameZh ?? '日常保洁',
      nameEn: s.nameEn ?? 'Regular cleaning',
      priceFen: s.priceFen ?? 12000,
      durationMinutes: s.durationMinutes ?? 120,
      freeCancelHours: s.freeCancelHours ?? 24,
      cancelFeeFen: s.cancelFeeFen ?? 3000,
    },
    '127.0.0.1',
    'zh-CN',
  );
  await svc.setHours(by, p.id, service.id, { hours: plan.hours ?? everyDay() }, '127.0.0.1', 'zh-CN');
  for (const userId of plan.memberUserIds ?? []) await svc.addMember(by, p.id, { userId }, '127.0.0.1', 'zh-CN');
  return { providerId: p.id, serviceId: service.id };
}
