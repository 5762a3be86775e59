// Read-only lookups of places and residents for other modules (through index.ts).
import type { Kernel } from '../../kernel/index.js';
import { PlacesService } from './places.service.js';
import { ResidentsService } from './residents.service.js';
import type { PlaceKind } from './registry.tables.js';

export const places = {
  async getPlace(k: Kernel, id: string) {
    return new PlacesService(k).repo.byId(id);
  },
  async children(k: Kernel, parentId: string, kind: PlaceKind) {
    return new PlacesService(k).repo.children(parentId, kind);
  },
  async firstByKindAndName(k: Kernel, kind: PlaceKind, name: string) {
    return new PlacesService(k).repo.firstByKindAndName(kind, name);
  },
  async placeNames(k: Kernel, ids: string[]) {
    const rows = await new PlacesService(k).repo.byIds([...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r.name]));
  },
  /** The active resident with this phone, and the path of their community (for a resident account). */
  async residentByPhone(k: Kernel, phone: string) {
    const svc = new ResidentsService(k);
    const r = await svc.residents.byPhoneBidx(svc.phoneIndex(phone));
    if (!r) return null;
    const community = await svc.places.byId(r.community_id);
    return { id: r.id, name: r.name, communityPath: community?.path ?? r.place_path };
  },
};

/** A resident and the houses they live in now, for other modules (work orders, doors, billing). */
export const residents = {
  async get(k: Kernel, id: string) {
    const svc = new ResidentsService(k);
    const r = await svc.residents.byId(id);
    if (!r) return null;
    const current = (await svc.residents.residenciesOf([r.id])).filter((x) => !x.move_out);
    return {
      id: r.id,
      name: r.name,
      communityId: r.community_id,
      status: r.status,
      houses: current.map((x) => ({ houseId: x.house_id, householdId: x.household_id, communityId: x.community_id, placePath: x.place_path, role: x.role })),
    };
  },
};
