// Parties of the exchange, in the X-Road sense: organisations (members: 派出所, 民政, 卫健, the street
// office, property companies), their officers (accounts with the department_officer role, each in
// one organisation) and their machine clients (subsystems: organisation code + subsystem code),
// each authenticated by registered Ed25519 public keys. Registering a new key retires the key that
// was active (rotation); a key can be revoked at once. Only active keys sign accepted requests.
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Kernel } from '../../kernel/index.js';
import type { Actor } from '../../kernel/authz/index.js';
import { AppError, notFound } from '../../kernel/http/errors.js';
import { newId } from '../../kernel/ids.js';
import { noRows, startsWith } from '../../kernel/db/index.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { places } from '../registry/index.js';
import type { ExchangeOutDb, ExchangeOutTables, KeyStatus, OrgKind } from './exchange.tables.js';
import { clientKeyId, parseEd25519PublicKey, type ClientKey } from './signing.js';

export const orgKinds: OrgKind[] = ['police', 'civil_affairs', 'health', 'street_office', 'property'];

export interface OrgView {
  id: string;
  code: string;
  name: string;
  kind: OrgKind;
  placeId: string;
  placePath: string;
  createdAt: string;
}

export interface KeyView {
  keyId: string;
  publicKey: string;
  status: KeyStatus;
  createdAt: string;
  retiredAt: string | null;
  revokedAt: string | null;
}

export interface ClientView {
  id: string;
  orgId: string;
  orgCode: string;
  orgName: string;
  subsystemCode: string;
  /** X-Road style identifier: organisation code / subsystem code. */
  identifier: string;
  name: string;
  status: 'active' | 'disabled';
  hasEncryptionKey: boolean;
  keys: KeyView[];
  createdAt: string;
}

/** The client a verified request came from. */
export interface CallingClient {
  clientId: string;
  keyId: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  clientName: string;
  encryptionKey: string | null;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$/;

export class PartiesService {
  readonly db: ExchangeOutDb;
  constructor(private k: Kernel) {
    this.db = tablesOf<ExchangeOutTables>(k.db);
  }

  private orgView(r: Selectable<ExchangeOutTables['exchange_orgs']>): OrgView {
    return { id: r.id, code: r.code, name: r.name, kind: r.kind, placeId: r.place_id, placePath: r.place_path, createdAt: r.created_at };
  }

  /** The organisation an officer belongs to (null for others). */
  async orgOfUser(userId: string): Promise<OrgView | null> {
    const r = await this.db
      .selectFrom('exchange_officers')
      .innerJoin('exchange_orgs', 'exchange_orgs.id', 'exchange_officers.org_id')
      .selectAll('exchange_orgs')
      .where('exchange_officers.user_id', '=', userId)
      .executeTakeFirst();
    return r ? this.orgView(r) : null;
  }

  async org(id: string): Promise<OrgView | null> {
    const r = await this.db.selectFrom('exchange_orgs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? this.orgView(r) : null;
  }

  /** Organisations whose place is in the actor's reach, plus the actor's own. */
  async listOrgs(actor: Actor): Promise<OrgView[]> {
    const reach = this.k.authz.reach(actor, 'read', 'Organisation');
    const own = await this.orgOfUser(actor.userId);
    let q = this.db.selectFrom('exchange_orgs').selectAll();
    if (!reach.all)
      q = q.where((eb) =>
        eb.or([
          ...(reach.prefixes.length ? reach.prefixes.map((p) => startsWith('place_path', p)) : [noRows()]),
          // an organisation serving a whole district is seen by those under it who deal with it
          ...(own ? [eb('id', '=', own.id)] : []),
        ]),
      );
    return (await q.orderBy('kind').orderBy('name').execute()).map((r) => this.orgView(r));
  }

  /** Every organisation (consumers of an agreement may serve a wider area than the drafter's scope). */
  async allOrgs(): Promise<OrgView[]> {
    return (await this.db.selectFrom('exchange_orgs').selectAll().orderBy('kind').orderBy('name').execute()).map((r) => this.orgView(r));
  }

  async createOrg(actor: Actor, b: { code: string; name: string; kind: OrgKind; placeId: string }, ip: string | null): Promise<OrgView> {
    if (!CODE.test(b.code)) throw new AppError(422, 'validation.failed', {}, [{ field: 'code', code: 'exchange.bad_code' }]);
    const place = await places.getPlace(this.k, b.placeId);
    if (!place || !this.k.authz.can(actor, 'manage', 'Organisation', { placePath: place.path })) throw notFound('exchange.place_not_found');
    const exists = await this.db.selectFrom('exchange_orgs').select('id').where('code', '=', b.code).executeTakeFirst();
    if (exists) throw new AppError(409, 'exchange.org_code_taken');
    const row = { id: newId('org'), code: b.code, name: b.name.trim(), kind: b.kind, place_id: place.id, place_path: place.path, created_at: this.now() };
    await this.k.database.db.transaction().execute(async (t) => {
      await tablesOf<ExchangeOutTables>(t).insertInto('exchange_orgs').values(row).execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.org.create',
          targetType: 'exchange_org',
          targetId: row.id,
          scopePath: place.path,
          ip,
          detail: { code: row.code, name: row.name, kind: row.kind },
        },
        t,
      );
    });
    return this.orgView(row);
  }

  /** Put an officer account in an organisation (its one organisation; moving it is allowed). */
  async addOfficer(actor: Actor, orgId: string, userId: string, ip: string | null): Promise<void> {
    const org = await this.scopedOrg(actor, orgId, 'manage', 'Organisation');
    await this.k.database.db.transaction().execute(async (t) => {
      const x = tablesOf<ExchangeOutTables>(t);
      await x.deleteFrom('exchange_officers').where('user_id', '=', userId).execute();
      await x.insertInto('exchange_officers').values({ user_id: userId, org_id: org.id, created_at: this.now() }).execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.org.officer',
          targetType: 'exchange_org',
          targetId: org.id,
          scopePath: org.placePath,
          ip,
          detail: { userId },
        },
        t,
      );
    });
  }

  /** An organisation the actor may act on: in scope, or (officers) their own. Else 404. */
  async scopedOrg(actor: Actor, orgId: string, action: string, subject: string): Promise<OrgView> {
    const org = await this.org(orgId);
    if (!org) throw notFound('exchange.org_not_found');
    if (this.k.authz.can(actor, action, subject, { placePath: org.placePath })) {
      // an officer acts only for the organisation they belong to
      if (!actor.grants.some((g) => g.role !== 'department_officer') && (await this.orgOfUser(actor.userId))?.id !== org.id)
        throw notFound('exchange.org_not_found');
      return org;
    }
    const own = await this.orgOfUser(actor.userId);
    if (own?.id === org.id && this.k.authz.canSomewhere(actor, action, subject)) return org;
    throw notFound('exchange.org_not_found');
  }

  async clients(actor: Actor, orgId?: string): Promise<ClientView[]> {
    const orgs = (await this.listOrgs(actor)).filter((o) => !orgId || o.id === orgId);
    const officerOnly = !actor.grants.some((g) => g.role !== 'department_officer');
    const own = officerOnly ? await this.orgOfUser(actor.userId) : null;
    const visible = officerOnly ? orgs.filter((o) => o.id === own?.id) : orgs;
    if (!visible.length) return [];
    const rows = await this.db
      .selectFrom('exchange_clients')
      .innerJoin('exchange_orgs', 'exchange_orgs.id', 'exchange_clients.org_id')
      .select([
        'exchange_clients.id',
        'exchange_clients.org_id',
        'exchange_clients.subsystem_code',
        'exchange_clients.name',
        'exchange_clients.status',
        'exchange_clients.encryption_key',
        'exchange_clients.created_at',
        'exchange_orgs.code as org_code',
        'exchange_orgs.name as org_name',
      ])
      .where(
        'exchange_clients.org_id',
        'in',
        visible.map((o) => o.id),
      )
      .orderBy('exchange_orgs.code')
      .orderBy('exchange_clients.subsystem_code')
      .execute();
    const keys = rows.length
      ? await this.db
          .selectFrom('exchange_client_keys')
          .selectAll()
          .where(
            'client_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('created_at', 'desc')
          .execute()
      : [];
    return rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      orgCode: r.org_code,
      orgName: r.org_name,
      subsystemCode: r.subsystem_code,
      identifier: `${r.org_code}/${r.subsystem_code}`,
      name: r.name,
      status: r.status,
      hasEncryptionKey: !!r.encryption_key,
      createdAt: r.created_at,
      keys: keys
        .filter((k) => k.client_id === r.id)
        .map((k) => ({
          keyId: k.key_id,
          publicKey: k.public_key,
          status: k.status,
          createdAt: k.created_at,
          retiredAt: k.retired_at,
          revokedAt: k.revoked_at,
        })),
    }));
  }

  async client(actor: Actor, id: string): Promise<ClientView> {
    const r = await this.db.selectFrom('exchange_clients').select(['org_id']).where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound('exchange.client_not_found');
    await this.scopedOrg(actor, r.org_id, 'manage', 'ExchangeClient').catch(() => {
      throw notFound('exchange.client_not_found');
    });
    const c = (await this.clients(actor, r.org_id)).find((x) => x.id === id);
    if (!c) throw notFound('exchange.client_not_found');
    return c;
  }

  async createClient(
    actor: Actor,
    orgId: string,
    b: { subsystemCode: string; name: string; publicKey: string; encryptionKey?: Record<string, unknown> },
    ip: string | null,
  ): Promise<ClientView> {
    const org = await this.scopedOrg(actor, orgId, 'manage', 'ExchangeClient');
    if (!CODE.test(b.subsystemCode)) throw new AppError(422, 'validation.failed', {}, [{ field: 'subsystemCode', code: 'exchange.bad_code' }]);
    const spki = parseEd25519PublicKey(b.publicKey);
    if (!spki) throw new AppError(422, 'validation.failed', {}, [{ field: 'publicKey', code: 'exchange.bad_public_key' }]);
    const enc = b.encryptionKey ? await checkEncryptionKey(b.encryptionKey) : null;
    const taken = await this.db
      .selectFrom('exchange_clients')
      .select('id')
      .where('org_id', '=', org.id)
      .where('subsystem_code', '=', b.subsystemCode)
      .executeTakeFirst();
    if (taken) throw new AppError(409, 'exchange.subsystem_taken');
    const keyId = clientKeyId(spki);
    if (await this.db.selectFrom('exchange_client_keys').select('key_id').where('key_id', '=', keyId).executeTakeFirst())
      throw new AppError(409, 'exchange.key_in_use');
    const id = newId('xcl');
    const now = this.now();
    await this.k.database.db.transaction().execute(async (t) => {
      const x = tablesOf<ExchangeOutTables>(t);
      await x
        .insertInto('exchange_clients')
        .values({ id, org_id: org.id, subsystem_code: b.subsystemCode, name: b.name.trim(), status: 'active', encryption_key: enc, created_at: now })
        .execute();
      await x
        .insertInto('exchange_client_keys')
        .values({ key_id: keyId, client_id: id, public_key: spki, status: 'active', created_at: now, retired_at: null, revoked_at: null })
        .execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.client.create',
          targetType: 'exchange_client',
          targetId: id,
          scopePath: org.placePath,
          ip,
          detail: { identifier: `${org.code}/${b.subsystemCode}`, keyId },
        },
        t,
      );
    });
    return this.client(actor, id);
  }

  /** Register a new key: it signs from now on; the key that was active is retired (no longer accepted). */
  async rotateKey(actor: Actor, clientId: string, publicKey: string, ip: string | null): Promise<ClientView> {
    const c = await this.client(actor, clientId);
    const spki = parseEd25519PublicKey(publicKey);
    if (!spki) throw new AppError(422, 'validation.failed', {}, [{ field: 'publicKey', code: 'exchange.bad_public_key' }]);
    const keyId = clientKeyId(spki);
    if (await this.db.selectFrom('exchange_client_keys').select('key_id').where('key_id', '=', keyId).executeTakeFirst())
      throw new AppError(409, 'exchange.key_in_use');
    const now = this.now();
    await this.k.database.db.transaction().execute(async (t) => {
      const x = tablesOf<ExchangeOutTables>(t);
      await x
        .updateTable('exchange_client_keys')
        .set({ status: 'retired', retired_at: now })
        .where('client_id', '=', c.id)
        .where('status', '=', 'active')
        .execute();
      await x
        .insertInto('exchange_client_keys')
        .values({ key_id: keyId, client_id: c.id, public_key: spki, status: 'active', created_at: now, retired_at: null, revoked_at: null })
        .execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.client.rotate_key',
          targetType: 'exchange_client',
          targetId: c.id,
          ip,
          detail: { keyId },
        },
        t,
      );
    });
    return this.client(actor, clientId);
  }

  async revokeKey(actor: Actor, clientId: string, keyId: string, ip: string | null): Promise<ClientView> {
    const c = await this.client(actor, clientId);
    if (!c.keys.some((k) => k.keyId === keyId)) throw notFound('exchange.key_not_found');
    await this.k.database.db.transaction().execute(async (t) => {
      await tablesOf<ExchangeOutTables>(t)
        .updateTable('exchange_client_keys')
        .set({ status: 'revoked', revoked_at: this.now() })
        .where('key_id', '=', keyId)
        .where('status', '!=', 'revoked')
        .execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.client.revoke_key',
          targetType: 'exchange_client',
          targetId: c.id,
          ip,
          detail: { keyId },
        },
        t,
      );
    });
    return this.client(actor, clientId);
  }

  async setEncryptionKey(actor: Actor, clientId: string, jwk: Record<string, unknown>, ip: string | null): Promise<ClientView> {
    const c = await this.client(actor, clientId);
    const enc = await checkEncryptionKey(jwk);
    await this.k.database.db.transaction().execute(async (t) => {
      await tablesOf<ExchangeOutTables>(t).updateTable('exchange_clients').set({ encryption_key: enc }).where('id', '=', c.id).execute();
      await this.k.audit.record(
        {
          actorId: actor.userId,
          actorName: actor.name,
          action: 'exchange.client.encryption_key',
          targetType: 'exchange_client',
          targetId: c.id,
          ip,
          detail: {},
        },
        t,
      );
    });
    return this.client(actor, clientId);
  }

  /** The active key with this id and the client it belongs to (for verifying a request). */
  async activeKey(keyId: string): Promise<(ClientKey & CallingClient) | null> {
    const r = await this.db
      .selectFrom('exchange_client_keys')
      .innerJoin('exchange_clients', 'exchange_clients.id', 'exchange_client_keys.client_id')
      .innerJoin('exchange_orgs', 'exchange_orgs.id', 'exchange_clients.org_id')
      .select([
        'exchange_client_keys.public_key',
        'exchange_client_keys.status as key_status',
        'exchange_clients.id as client_id',
        'exchange_clients.name as client_name',
        'exchange_clients.status as client_status',
        'exchange_clients.encryption_key',
        'exchange_orgs.id as org_id',
        'exchange_orgs.name as org_name',
        'exchange_orgs.place_path as org_path',
      ])
      .where('exchange_client_keys.key_id', '=', keyId)
      .executeTakeFirst();
    if (!r || r.key_status !== 'active' || r.client_status !== 'active') return null;
    return {
      keyId,
      publicKey: crypto.createPublicKey({ key: Buffer.from(r.public_key, 'base64'), format: 'der', type: 'spki' }),
      clientId: r.client_id,
      orgId: r.org_id,
      orgName: r.org_name,
      orgPath: r.org_path,
      clientName: r.client_name,
      encryptionKey: r.encryption_key,
    };
  }

  private now() {
    return this.k.clock.now().toISOString();
  }
}

/** A JWK bulk exports can be encrypted to (X25519, P-256 or RSA public key); stored as JSON. */
async function checkEncryptionKey(jwk: Record<string, unknown>): Promise<string> {
  const { importJWK } = await import('jose');
  const kty = jwk.kty;
  const ok = (kty === 'OKP' && jwk.crv === 'X25519') || (kty === 'EC' && jwk.crv === 'P-256') || kty === 'RSA';
  if (!ok || 'd' in jwk) throw new AppError(422, 'validation.failed', {}, [{ field: 'encryptionKey', code: 'exchange.bad_encryption_key' }]);
  try {
    await importJWK(jwk as never, kty === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW');
  } catch {
    throw new AppError(422, 'validation.failed', {}, [{ field: 'encryptionKey', code: 'exchange.bad_encryption_key' }]);
  }
  const { kty: k1, crv, x, y, n, e } = jwk;
  return JSON.stringify(Object.fromEntries(Object.entries({ kty: k1, crv, x, y, n, e }).filter(([, v]) => v !== undefined)));
}
