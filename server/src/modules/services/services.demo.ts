// Demo household-service providers of the first demo community (花家地社区): housekeeping,
// appliance repair and elderly care, each with services, weekly hours and the whole community as
// its service area. The demo 'provider' login (郑丽) works for the housekeeping company.
import type { Kernel } from '../../kernel/index.js';
import type { PlaceRow } from '../registry/index.js';
import { IdentityService } from '../identity/index.js';
import { ProvidersService } from './providers.service.js';

const SYSTEM = {
  userId: 'usr_system',
  kind: 'staff' as const,
  name: '系统',
  residentId: null,
  sessionId: null,
  via: 'token' as const,
  grants: [{ role: 'platform_admin' as const, placeId: null, scopePath: '/' }],
};

type Hours = { weekday: number; start: string; end: string; capacity: number }[];
const days = (list: number[], start: string, end: string, capacity: number): Hours => list.map((weekday) => ({ weekday, start, end, capacity }));
const WEEK = [1, 2, 3, 4, 5, 6, 7];
const WORKDAYS = [1, 2, 3, 4, 5];

const plan = [
  {
    category: 'housekeeping' as const,
    nameZh: '好帮手家政',
    nameEn: 'Good Helper Housekeeping',
    description: '持证家政员，自带清洁工具',
    member: 'provider',
    services: [
      {
        nameZh: '日常保洁（2小时）',
        nameEn: 'Regular cleaning (2 h)',
        priceFen: 12000,
        durationMinutes: 120,
        freeCancelHours: 24,
        cancelFeeFen: 3000,
        hours: [...days([1, 2, 3, 4, 5, 6], '09:00', '17:00', 3), ...days([7], '09:00', '13:00', 1)],
      },
      {
        nameZh: '深度保洁（4小时）',
        nameEn: 'Deep cleaning (4 h)',
        priceFen: 30000,
        durationMinutes: 240,
        freeCancelHours: 48,
        cancelFeeFen: 8000,
        hours: days(WEEK, '09:00', '17:00', 1),
      },
    ],
  },
  {
    category: 'appliance_repair' as const,
    nameZh: '安心家电维修',
    nameEn: 'Safe Appliance Repair',
    description: '空调、洗衣机、热水器上门服务',
    member: null,
    services: [
      {
        nameZh: '空调清洗',
        nameEn: 'Air-conditioner cleaning',
        priceFen: 15000,
        durationMinutes: 60,
        freeCancelHours: 12,
        cancelFeeFen: 2000,
        hours: days(WEEK, '09:00', '18:00', 2),
      },
      {
        nameZh: '家电上门检测',
        nameEn: 'Appliance inspection at home',
        priceFen: 5000,
        durationMinutes: 60,
        freeCancelHours: 2,
        cancelFeeFen: 0,
        hours: days(WEEK, '09:00', '18:00', 2),
      },
    ],
  },
  {
    category: 'elderly_care' as const,
    nameZh: '康乐居家养老',
    nameEn: 'Kangle Home Elderly Care',
    description: '助浴、陪诊、居家照护',
    member: null,
    services: [
      {
        nameZh: '助浴服务',
        nameEn: 'Bathing assistance',
        priceFen: 10000,
        durationMinutes: 90,
        freeCancelHours: 24,
        cancelFeeFen: 2000,
        hours: days(WORKDAYS, '08:30', '17:30', 2),
      },
      {
        nameZh: '陪同就医（3小时）',
        nameEn: 'Hospital escort (3 h)',
        priceFen: 20000,
        durationMinutes: 180,
        freeCancelHours: 24,
        cancelFeeFen: 5000,
        hours: days(WORKDAYS, '08:00', '17:00', 1),
      },
    ],
  },
];

export async function seedDemoServices(k: Kernel, community: PlaceRow): Promise<void> {
  const svc = new ProvidersService(k);
  const identity = new IdentityService(k);
  for (const p of plan) {
    const provider = await svc.create(
      SYSTEM,
      { communityId: community.id, category: p.category, nameZh: p.nameZh, nameEn: p.nameEn, description: p.description, areaIds: [community.id] },
      '127.0.0.1',
      'zh-CN',
    );
    for (const s of p.services) {
      const { hours, ...body } = s;
      const created = await svc.addService(SYSTEM, provider.id, { category: p.category, ...body }, '127.0.0.1', 'zh-CN');
      await svc.setHours(SYSTEM, provider.id, created.id, { hours }, '127.0.0.1', 'zh-CN');
    }
    const user = p.member ? await identity.repo.userByUsername(p.member) : null;
    if (user) await svc.addMember(SYSTEM, provider.id, { userId: user.id }, '127.0.0.1', 'zh-CN');
  }
}
