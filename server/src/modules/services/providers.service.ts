// Providers, their services, weekly hours and member accounts (managed by community staff and
// property managers), and the catalog residents browse: what is offered at their house, and when.
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import type { Tx } from '../../kernel/db/index.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../kernel/http/errors.js';
import type { Lang } from '../../kernel/http/i18n.js';
import { newId } from '../../kernel/ids.js';
import { iso } from '../../kernel/clock.js';
import { places, residents } from '../registry/index.js';
import { usersCovering } from '../identity/index.js';
import { ServicesRepository, type AreaRow, type ProviderRow, type ServiceRow } from './services.repository.js';
import { providerView, serviceView } from './services.present.js';
import { badHours, slotsOf } from './services.slots.js';
import type {
  AvailabilityBody,
  CatalogQuery,
  MemberBody,
  ProviderBody,
  ProviderPatch,
  ProvidersQuery,
  ServiceBody,
  ServicePatch,
  SlotsQuery,
} from './services.schema.js';

export class ProvidersService {
  readonly repo: ServicesRepository;
  constructor(readonly k: Kernel) {
    this.repo = new ServicesRepository(k.db);
  }

  // ---------- access ----------
  /** A provider the actor may do `action` on; anything else is 404. */
  async reachable(actor: Actor, id: string, action = 'read'): Promise<ProviderRow> {
    const p = await this.repo.providerById(id);
    if (!p || !this.k.authz.can(actor, 'read', 'ServiceProvider', { placePath: p.place_path })) throw notFound('services.provider_not_found');
    if (action !== 'read' && !this.k.authz.can(actor, action, 'ServiceProvider', { placePath: p.place_path })) throw forbidden();
    return p;
  }

  private async serviceOf(p: ProviderRow, serviceId: string): Promise<ServiceRow> {
    const s = await this.repo.serviceById(serviceId);
    if (!s || s.provider_id !== p.id) throw notFound('services.service_not_found');
    return s;
  }

  /** The provider the actor works for (provider workspace); 403 when the account has none. */
  async providerOfActor(actor: Actor): Promise<ProviderRow> {
    const m = await this.repo.memberOf(actor.userId);
    const p = m && (await this.repo.providerById(m.provider_id));
    if (!p) throw new AppError(403, 'services.not_provider_member');
    return p;
  }

  async timeZoneOf(communityId: string): Promise<string> {
    return (await places.getPlace(this.k, communityId))?.time_zone ?? this.k.config.timeZone;
  }

  private audit(t: Tx | undefined, actor: Actor, action: string, p: ProviderRow, ip: string, detail: Record<string, unknown>) {
    return this.k.audit.record(
      {
        actorId: actor.userId,
        actorName: actor.name,
        action: `services.${action}`,
        targetType: 'service_provider',
        targetId: p.id,
        scopePath: p.place_path,
        ip,
        detail,
      },
      t,
    );
  }

  // ---------- providers ----------
  async list(actor: Actor, q: ProvidersQuery, lang: Lang) {
    const reach = this.k.authz.reach(actor, 'read', 'ServiceProvider');
    const { items, total } = await this.repo.listProviders(reach, q.communityId, q.pageSize, (q.page - 1) * q.pageSize);
    const services = await this.repo.servicesOf(items.map((p) => p.id));
    return {
      items: items.map((p) => ({ ...providerView(p, lang), serviceCount: services.filter((s) => s.provider_id === p.id).length })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async detail(actor: Actor, id: string, lang: Lang) {
    return this.present(await this.reachable(actor, id), lang);
  }

  /** A provider with its areas, services (with hours) and member accounts. */
  async present(p: ProviderRow, lang: Lang) {
    const [areas, services, members] = await Promise.all([this.repo.areasOf([p.id]), this.repo.servicesOf([p.id]), this.repo.membersOf(p.id)]);
    const hours = await this.repo.availabilityOf(services.map((s) => s.id));
    const names = await places.placeNames(
      this.k,
      areas.map((a) => a.place_id),
    );
    const staff = await usersCovering(this.k, p.place_path, ['service_provider']);
    const userNames = new Map(staff.map((u) => [u.userId, u.name]));
    return {
      ...providerView(p, lang, { areas: areas.map((a) => ({ ...a, name: names.get(a.place_id) })) }),
      services: services.map((s) =>
        serviceView(
          s,
          lang,
          hours.filter((h) => h.service_id === s.id),
        ),
      ),
      members: members.map((m) => ({ userId: m.user_id, name: userNames.get(m.user_id) ?? null, createdAt: m.created_at })),
    };
  }

  /** Areas must be the provider's community or places inside it (estates and the like). */
  private async areas(communityId: string, providerId: string, ids: string[]): Promise<AreaRow[]> {
    const out: AreaRow[] = [];
    for (const [i, id] of ids.entries()) {
      const pl = await places.getPlace(this.k, id);
      if (!pl || (pl.kind !== 'community' && pl.kind !== 'estate') || (pl.kind === 'community' ? pl.id : pl.community_id) !== communityId) {
        throw invalid([{ field: `areaIds.${i}`, code: 'services.bad_area' }]);
      }
      out.push({ provider_id: providerId, place_id: pl.id, place_path: pl.path });
    }
    return out;
  }

  async create(actor: Actor, b: ProviderBody, ip: string, lang: Lang) {
    const c = await places.getPlace(this.k, b.communityId);
    if (!c || c.kind !== 'community' || !this.k.authz.can(actor, 'create', 'ServiceProvider', { placePath: c.path })) throw notFound('services.bad_community');
    const at = iso(this.k.clock.now());
    const p: ProviderRow = {
      id: newId('spv'),
      community_id: c.id,
      place_path: c.path,
      category: b.category,
      name_zh: b.nameZh.trim(),
      name_en: b.nameEn.trim(),
      description: b.description?.trim() ?? '',
      active: 1,
      created_at: at,
      updated_at: at,
    };
    const areas = await this.areas(c.id, p.id, b.areaIds);
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insertProvider(t, p, areas);
      await this.audit(t, actor, 'provider.create', p, ip, { name: p.name_zh, category: p.category, areas: b.areaIds });
    });
    return this.present(p, lang);
  }

  async update(actor: Actor, id: string, b: ProviderPatch, ip: string, lang: Lang) {
    const p = await this.reachable(actor, id, 'update');
    const patch: Partial<ProviderRow> = { updated_at: iso(this.k.clock.now()) };
    if (b.category) patch.category = b.category;
    if (b.nameZh) patch.name_zh = b.nameZh.trim();
    if (b.nameEn) patch.name_en = b.nameEn.trim();
    if (b.description !== undefined) patch.description = b.description.trim();
    if (b.active !== undefined) patch.active = b.active ? 1 : 0;
    const areas = b.areaIds ? await this.areas(p.community_id, p.id, b.areaIds) : undefined;
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.updateProvider(t, p.id, patch, areas);
      await this.audit(t, actor, 'provider.update', p, ip, { ...b });
    });
    return this.present((await this.repo.providerById(p.id))!, lang);
  }

  // ---------- services and hours ----------
  async addService(actor: Actor, providerId: string, b: ServiceBody, ip: string, lang: Lang) {
    const p = await this.reachable(actor, providerId, 'update');
    const at = iso(this.k.clock.now());
    const s: ServiceRow = {
      id: newId('svs'),
      provider_id: p.id,
      category: b.category,
      name_zh: b.nameZh.trim(),
      name_en: b.nameEn.trim(),
      description: b.description?.trim() ?? '',
      price_fen: b.priceFen,
      duration_minutes: b.durationMinutes,
      free_cancel_hours: b.freeCancelHours,
      cancel_fee_fen: b.cancelFeeFen,
      active: b.active === false ? 0 : 1,
      created_at: at,
      updated_at: at,
    };
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.insertService(t, s);
      await this.audit(t, actor, 'service.create', p, ip, { serviceId: s.id, ...b });
    });
    return serviceView(s, lang, []);
  }

  async updateService(actor: Actor, providerId: string, serviceId: string, b: ServicePatch, ip: string, lang: Lang) {
    const p = await this.reachable(actor, providerId, 'update');
    const s = await this.serviceOf(p, serviceId);
    const patch: Partial<ServiceRow> = { updated_at: iso(this.k.clock.now()) };
    if (b.category) patch.category = b.category;
    if (b.nameZh) patch.name_zh = b.nameZh.trim();
    if (b.nameEn) patch.name_en = b.nameEn.trim();
    if (b.description !== undefined) patch.description = b.description.trim();
    if (b.priceFen !== undefined) patch.price_fen = b.priceFen;
    if (b.durationMinutes !== undefined) patch.duration_minutes = b.durationMinutes;
    if (b.freeCancelHours !== undefined) patch.free_cancel_hours = b.freeCancelHours;
    if (b.cancelFeeFen !== undefined) patch.cancel_fee_fen = b.cancelFeeFen;
    if (b.active !== undefined) patch.active = b.active ? 1 : 0;
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.updateService(t, s.id, patch);
      await this.audit(t, actor, 'service.update', p, ip, { serviceId: s.id, ...b });
    });
    const after = (await this.repo.serviceById(s.id))!;
    return serviceView(after, lang, await this.repo.availabilityOf([s.id]));
  }

  async setHours(actor: Actor, providerId: string, serviceId: string, b: AvailabilityBody, ip: string, lang: Lang) {
    const p = await this.reachable(actor, providerId, 'update');
    return this.applyHours(actor, p, await this.serviceOf(p, serviceId), b, ip, lang);
  }

  /** Provider staff set the hours of their own provider's services; another provider's service is 404. */
  async setOwnHours(actor: Actor, serviceId: string, b: AvailabilityBody, ip: string, lang: Lang) {
    const p = await this.providerOfActor(actor);
    const s = await this.serviceOf(p, serviceId);
    if (!this.k.authz.can(actor, 'hours', 'ProviderService', { placePath: p.place_path })) throw notFound('services.service_not_found');
    return this.applyHours(actor, p, s, b, ip, lang);
  }

  private async applyHours(actor: Actor, p: ProviderRow, s: ServiceRow, b: AvailabilityBody, ip: string, lang: Lang) {
    const bad = badHours(b.hours);
    if (bad >= 0) throw invalid([{ field: `hours.${bad}`, code: 'services.bad_hours' }]);
    const rows = b.hours.map((h) => ({ id: newId('sva'), service_id: s.id, weekday: h.weekday, start_time: h.start, end_time: h.end, capacity: h.capacity }));
    await this.k.db.transaction().execute(async (t) => {
      await this.repo.replaceAvailability(t, s.id, rows);
      await this.audit(t, actor, 'service.hours', p, ip, { serviceId: s.id, hours: b.hours });
    });
    return serviceView(s, lang, rows);
  }

  // ---------- members ----------
  async addMember(actor: Actor, providerId: string, b: MemberBody, ip: string, lang: Lang) {
    const p = await this.reachable(actor, providerId, 'update');
    const candidates = await usersCovering(this.k, p.place_path, ['service_provider']);
    if (!candidates.some((u) => u.userId === b.userId)) throw invalid([{ field: 'userId', code: 'services.not_member_candidate' }]);
    await this.k.db.transaction().execute(async (t) => {
      if (!(await this.repo.insertMember(t, { user_id: b.userId, provider_id: p.id, created_at: iso(this.k.clock.now()), created_by: actor.userId }))) {
        throw conflict('services.already_member');
      }
      await this.audit(t, actor, 'provider.member_add', p, ip, { userId: b.userId });
    });
    return this.present(p, lang);
  }

  async removeMember(actor: Actor, providerId: string, userId: string, ip: string, lang: Lang) {
    const p = await this.reachable(actor, providerId, 'update');
    // removing an account that is not (or no longer) a member is a no-op, so a retry is harmless
    await this.k.db.transaction().execute(async (t) => {
      if (await this.repo.deleteMember(t, p.id, userId)) await this.audit(t, actor, 'provider.member_remove', p, ip, { userId });
    });
    return this.present(p, lang);
  }

  /** Staff accounts with the service-provider role in the provider's community (to pick members). */
  async memberCandidates(actor: Actor, providerId: string) {
    const p = await this.reachable(actor, providerId, 'update');
    return { items: (await usersCovering(this.k, p.place_path, ['service_provider'])).map((u) => ({ userId: u.userId, name: u.name })) };
  }

  // ---------- catalog (residents) ----------
  /** A house the resident lives in now; 422 otherwise. */
  async myHouse(actor: Actor, houseId: string) {
    if (!actor.residentId) throw forbidden();
    const me = await residents.get(this.k, actor.residentId);
    const h = me?.houses.find((x) => x.houseId === houseId);
    if (!me || !h) throw invalid([{ field: 'houseId', code: 'services.not_your_house' }]);
    return { resident: me, house: h };
  }

  async catalog(actor: Actor, q: CatalogQuery, lang: Lang) {
    const { house } = await this.myHouse(actor, q.houseId);
    const providers = await this.repo.providersServing(house.placePath);
    const services = (await this.repo.servicesOf(providers.map((p) => p.id))).filter((s) => s.active && (!q.category || s.category === q.category));
    return {
      items: providers
        .map((p) => ({ ...providerView(p, lang), services: services.filter((s) => s.provider_id === p.id).map((s) => serviceView(s, lang)) }))
        .filter((p) => p.services.length),
    };
  }

  /** A service the resident may book at this house (active, its provider serves the house). */
  async bookable(actor: Actor, serviceId: string, houseId: string) {
    const { resident, house } = await this.myHouse(actor, houseId);
    const s = await this.repo.serviceById(serviceId);
    const p = s && (await this.repo.providerById(s.provider_id));
    if (!s || !p) throw notFound('services.service_not_found');
    const serving = await this.repo.providersServing(house.placePath);
    if (!serving.some((x) => x.id === p.id)) throw notFound('services.service_not_found');
    if (!s.active) throw conflict('services.service_inactive');
    return { resident, house, service: s, provider: p, timeZone: await this.timeZoneOf(house.communityId) };
  }

  async slots(actor: Actor, serviceId: string, q: SlotsQuery) {
    const { service, timeZone } = await this.bookable(actor, serviceId, q.houseId);
    const now = this.k.clock.now();
    const slots = slotsOf(await this.repo.availabilityOf([service.id]), service.duration_minutes, now, q.days, timeZone);
    const taken = slots.length ? await this.repo.seatsTaken(service.id, slots[0].start, slots[slots.length - 1].end) : new Map<string, number>();
    return {
      timeZone,
      items: slots.map((s) => ({ start: s.start, end: s.end, capacity: s.capacity, remaining: Math.max(0, s.capacity - (taken.get(s.start) ?? 0)) })),
    };
  }
}
