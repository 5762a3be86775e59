// The decision image: what an online door decision reads, kept in memory on each node so that a
// decision makes no query before its log write. Per node (per kernel):
//  - doors by id (any community), signing keys by id (immutable);
//  - per community, loaded lazily on its first decision: every credential (active and revoked) by
//    id and by (type, blind index), and the holders the rules look at (name, status and current
//    residencies in the community: place path, household, role), from the registry's public face.
//    Rules, schedules and groups are the community snapshot (access.snapshot.ts).
//
// Kept current by events, never by age alone:
//  - a change made on this node (credential issued or revoked, door changed) is applied here before
//    the request that made it answers, and published as `access.image.changed` (every node);
//  - `registry.resident.moved_in` / `moved_out` (outbox, every node) drop the holder;
//  - `access.rules.changed` drops the rules snapshot.
// Applying an event only drops entries (synchronously, at the start of the handler); a miss is read
// from the database and put back unless another change arrived meanwhile (a generation counter), so
// a read that raced a change never overwrites it. A credential looked up by value that the image
// does not know is also read from the database (an unknown card costs one query, a new card works
// at once on every node).
// Safety net for what no event reports (a resident renamed, an event lost while NATS was down): a
// community image older than IMAGE_REFRESH_MS is reloaded in the background and swapped in, unless
// a change arrived during the reload (then the events kept the old image current and it is tried
// again later).
import type { Kernel } from '../../kernel/index.js';
import { localDate } from '../../kernel/clock.js';
import { audience, places, residents } from '../registry/index.js';
import { AccessRepository, type CredentialRow, type KeyRow, type PointRow } from './access.repository.js';

import { IMAGE_CHANGED, type ImageChange } from './access.events.js';
export { IMAGE_CHANGED, type ImageChange };
/** Age after which a community image is reloaded in the background (the bounded-staleness net). */
export const IMAGE_REFRESH_MS = 60_000;
const PAGE = 5000;

/** A credential holder as residents.get gives it (houses: current residencies). */
export type HolderInfo = Awaited<ReturnType<typeof residents.get>>;

const valueKey = (type: string, bidx: string) => `${type}:${bidx}`;
/** The credential a value finds: active ones first, then the newest (as credentialByValue orders). */
const better = (a: CredentialRow, b: CredentialRow) =>
  a.status !== b.status ? (a.status < b.status ? -1 : 1) : a.created_at > b.created_at ? -1 : a.created_at < b.created_at ? 1 : 0;

class CommunityImage {
  readonly byId = new Map<string, CredentialRow>();
  readonly byValue = new Map<string, CredentialRow[]>();
  readonly holders = new Map<string, HolderInfo>();
  loadedAt = Date.now();

  put(c: CredentialRow) {
    this.drop(c.id);
    this.byId.set(c.id, c);
    if (!c.value_bidx) return;
    const k = valueKey(c.type, c.value_bidx);
    const list = this.byValue.get(k) ?? [];
    list.push(c);
    list.sort(better);
    this.byValue.set(k, list);
  }

  drop(id: string) {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    if (!old.value_bidx) return;
    const k = valueKey(old.type, old.value_bidx);
    const list = (this.byValue.get(k) ?? []).filter((x) => x.id !== id);
    if (list.length) this.byValue.set(k, list);
    else this.byValue.delete(k);
  }
}

interface Entry {
  image: CommunityImage | null;
  loading: Promise<CommunityImage> | null;
  gen: number;
}

export class DecisionImage {
  private readonly repo: AccessRepository;
  private readonly points = new Map<string, PointRow>();
  private readonly keys = new Map<string, KeyRow>();
  private readonly communities = new Map<string, Entry>();
  /** Bumped by every change; reads from the database are kept only if it did not move meanwhile. */
  private gen = 0;

  constructor(private readonly k: Kernel) {
    this.repo = new AccessRepository(k.db);
  }

  // ----- doors and keys -----
  async point(id: string): Promise<PointRow | undefined> {
    const hit = this.points.get(id);
    if (hit) return hit;
    const gen = this.gen;
    const p = await this.repo.point(id);
    if (p && gen === this.gen) this.points.set(id, p);
    return p;
  }

  async keyById(id: string): Promise<KeyRow | undefined> {
    const hit = this.keys.get(id);
    if (hit) return hit;
    const row = await this.repo.keyById(id); // keys never change once created
    if (row) this.keys.set(id, row);
    return row;
  }

  // ----- credentials and holders -----
  private entry(communityId: string): Entry {
    let e = this.communities.get(communityId);
    if (!e) this.communities.set(communityId, (e = { image: null, loading: null, gen: 0 }));
    return e;
  }

  /** The community's image (loaded on first use; reloaded in the background when old). */
  community(communityId: string): CommunityImage | Promise<CommunityImage> {
    const e = this.entry(communityId);
    if (e.image) {
      if (!e.loading && Date.now() - e.image.loadedAt > IMAGE_REFRESH_MS)
        void this.load(communityId, e).catch((err) => this.k.log.error({ err }, 'access: image refresh failed'));
      return e.image;
    }
    return e.loading ?? this.load(communityId, e);
  }

  private load(communityId: string, e: Entry): Promise<CommunityImage> {
    const gen = e.gen;
    const p = this.read(communityId).then(
      (img) => {
        e.loading = null;
        if (e.gen === gen) e.image = img;
        else if (!e.image) return this.load(communityId, e); // changed while loading: read again
        return e.image!;
      },
      (err) => {
        e.loading = null;
        throw err;
      },
    );
    e.loading = p;
    return p;
  }

  private async read(communityId: string): Promise<CommunityImage> {
    const img = new CommunityImage();
    // in pages, so a large community never holds the event loop for long
    for (let after = ''; ;) {
      const rows = await this.repo.credentialsPage(communityId, after, PAGE);
      for (const r of rows) img.put(r);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
      await new Promise((r) => setImmediate(r));
    }
    const c = await places.getPlace(this.k, communityId);
    if (c) {
      const rows = await audience.residents(this.k, { paths: [c.path], today: localDate(this.k.clock.now(), this.k.config.timeZone) });
      for (const r of rows) {
        let h = img.holders.get(r.residentId);
        if (!h) img.holders.set(r.residentId, (h = { id: r.residentId, name: r.name, communityId, status: 'active', houses: [] }));
        h.houses.push({ houseId: r.houseId, householdId: r.householdId, communityId, placePath: r.placePath, role: r.role });
      }
    }
    return img;
  }

  /** A credential by its id (QR tokens, visitor passes are not credentials). */
  async credential(communityId: string, id: string): Promise<CredentialRow | undefined> {
    const img = await this.community(communityId);
    const hit = img.byId.get(id);
    if (hit) return hit;
    const gen = this.gen;
    const row = await this.repo.credential(id);
    if (row && row.community_id === communityId && gen === this.gen) img.put(row);
    return row;
  }

  /** A credential by (type, blind index of the value); unknown values are asked of the database. */
  async credentialByValue(communityId: string, type: CredentialRow['type'], bidx: string): Promise<CredentialRow | undefined> {
    const img = await this.community(communityId);
    const hit = img.byValue.get(valueKey(type, bidx));
    if (hit) return hit[0];
    const gen = this.gen;
    const row = await this.repo.credentialByValue(communityId, type, bidx);
    if (row && gen === this.gen) img.put(row);
    return row;
  }

  /** The holder as the registry has them now (houses in this community only), or null. */
  async holder(communityId: string, residentId: string): Promise<HolderInfo> {
    const img = await this.community(communityId);
    if (img.holders.has(residentId)) return img.holders.get(residentId)!;
    // not living here (moved out, another community) or dropped by an event: ask the registry
    const gen = this.gen;
    const r = await residents.get(this.k, residentId);
    const h: HolderInfo = r ? { ...r, houses: r.houses.filter((x) => x.communityId === communityId) } : null;
    if (gen === this.gen) img.holders.set(residentId, h);
    return h;
  }

  // ----- changes -----
  /** Drop what a change touched (synchronously); misses are read again from the database. */
  forget(c: ImageChange): void {
    this.gen++;
    for (const id of c.points ?? []) this.points.delete(id);
    for (const [cid, e] of this.communities) {
      if (c.communityId && c.communityId !== cid && !c.residents?.length) continue;
      e.gen++;
      if (!e.image) continue;
      for (const id of c.credentials ?? []) e.image.drop(id);
      for (const id of c.residents ?? []) e.image.holders.delete(id);
    }
  }

  /** After a change on this node: apply it here, then tell every node. */
  async changed(c: ImageChange): Promise<void> {
    this.forget(c);
    await this.k.events.publish(IMAGE_CHANGED, c);
  }
}

const images = new WeakMap<Kernel, DecisionImage>();

/** This node's decision image. */
export function decisionImage(k: Kernel): DecisionImage {
  let i = images.get(k);
  if (!i) images.set(k, (i = new DecisionImage(k)));
  return i;
}
