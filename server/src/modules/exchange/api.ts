// The exchange API's rules: who is calling (a verified signature by an active key of an active
// client), whether the request was seen before (nonce), which agreement it names and whether that
// agreement lets this client have these records today (consumer, status, validity, places, daily
// volume), and which fields leave (exactly the agreed ones: a field outside the agreement is never
// in the answer, not even masked). The response is signed and logged in api.routes.ts (onSend).
import type { FastifyRequest } from 'fastify';
import type { Kernel } from '../../kernel/index.js';
import { AppError } from '../../kernel/http/errors.js';
import { tablesOf } from '../../kernel/db/tables.js';
import { exchangeReads, type ExchangedResident } from '../registry/index.js';
import type { ExchangeOutTables } from './exchange.tables.js';
import type { CallingClient, PartiesService } from './parties.js';
import { localDay, type AgreementRow, type AgreementsService } from './agreements.js';
import { MAX_AGE_S, verifySignedRequest, type VerifiedRequest } from './signing.js';

export const MAX_BATCH = 1000;
export const MAX_CHANGES = 500;

/** What one exchange request did, for its log entry and audit entries (filled in as it goes). */
export interface Exchange {
  started: number;
  operation: string;
  client: CallingClient | null;
  verified: VerifiedRequest | null;
  agreement: AgreementRow | null;
  /** The residents whose records left, and the fields that left with them. */
  released: ExchangedResident[];
  fields: string[];
  rawBody: string;
}

export class ExchangeApi {
  constructor(
    private k: Kernel,
    private parties: PartiesService,
    private agreements: AgreementsService,
  ) {}

  /** The target URI as the client signed it: scheme, host and the path with its query. */
  targetUri(req: FastifyRequest): string {
    return `${req.protocol}://${req.headers.host ?? 'localhost'}${req.url}`;
  }

  /** Verify the signature and record the nonce. Throws a 401 problem when the request is not authentic or replayed. */
  async authenticate(req: FastifyRequest, x: Exchange): Promise<void> {
    let client: CallingClient | null = null;
    const r = await verifySignedRequest(
      { method: req.method, url: this.targetUri(req), headers: req.headers, body: x.rawBody },
      this.k.clock.now(),
      async (keyId) => {
        const key = await this.parties.activeKey(keyId);
        client = key;
        return key;
      },
    );
    if (!r.ok) throw new AppError(401, r.code);
    x.verified = r.value;
    x.client = client;
    // a nonce is remembered for as long as its signature could be accepted
    const expires = new Date((r.value.created + MAX_AGE_S + 60) * 1000).toISOString();
    const ins = await tablesOf<ExchangeOutTables>(this.k.db)
      .insertInto('exchange_nonces')
      .values({ key_id: r.value.keyId, nonce: r.value.nonce, expires_at: expires })
      .onConflict((oc) => oc.columns(['key_id', 'nonce']).doNothing())
      .executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0n) !== 1) throw new AppError(401, 'exchange.replayed');
  }

  /**
   * The agreement the request names, checked for this client today; `reserve` records are counted
   * against its daily limit (refused, and nothing counted, when they would pass it).
   */
  async agreementFor(x: Exchange, agreementId: string, reserve: number): Promise<AgreementRow> {
    const client = x.client!;
    const a = await this.agreements.row(agreementId);
    if (!a || a.consumer_org_id !== client.orgId || (a.consumer_client_id && a.consumer_client_id !== client.clientId))
      throw new AppError(404, 'exchange.agreement_not_found');
    x.agreement = a;
    x.fields = JSON.parse(a.fields) as string[];
    if (a.status !== 'approved') throw new AppError(403, 'exchange.agreement_inactive', { status: a.status });
    const today = localDay(this.k);
    if (today < a.valid_from || today > a.valid_to) throw new AppError(403, 'exchange.agreement_out_of_validity', { from: a.valid_from, to: a.valid_to });
    if (reserve > 0) await this.reserve(a, today, reserve);
    return a;
  }

  /** Count records against the agreement's daily limit, atomically; refuse when the limit would be passed. */
  async reserve(a: AgreementRow, day: string, n: number): Promise<void> {
    const limit = Number(a.daily_limit);
    if (n > limit) throw new AppError(429, 'exchange.volume_exceeded', { limit });
    await this.k.database.db.transaction().execute(async (t) => {
      const r = await tablesOf<ExchangeOutTables>(t)
        .insertInto('exchange_usage')
        .values({ agreement_id: a.id, day, records: n })
        .onConflict((oc) => oc.columns(['agreement_id', 'day']).doUpdateSet((eb) => ({ records: eb('exchange_usage.records', '+', n) })))
        .returning('records')
        .executeTakeFirstOrThrow();
      if (Number(r.records) > limit) throw new AppError(429, 'exchange.volume_exceeded', { limit });
    });
  }

  /** Records left today under the agreement. */
  async remaining(a: AgreementRow): Promise<number> {
    const r = await tablesOf<ExchangeOutTables>(this.k.db)
      .selectFrom('exchange_usage')
      .select('records')
      .where('agreement_id', '=', a.id)
      .where('day', '=', localDay(this.k))
      .executeTakeFirst();
    return Math.max(0, Number(a.daily_limit) - Number(r?.records ?? 0));
  }

  inPlaces(a: AgreementRow, placePath: string): boolean {
    return (JSON.parse(a.place_paths) as string[]).some((p) => placePath.startsWith(p));
  }

  /** Only the agreed fields, in the agreement's order. */
  project(a: AgreementRow, r: ExchangedResident): Record<string, string | string[] | null> {
    const out: Record<string, string | string[] | null> = {};
    for (const f of JSON.parse(a.fields) as string[]) if (f in r.values) out[f] = r.values[f];
    return out;
  }

  async lookup(x: Exchange, b: { agreementId: string; idNumber: string }) {
    const a = await this.agreementFor(x, b.agreementId, 1);
    const found = (await exchangeReads.byIdNumbers(this.k, [b.idNumber], new Set(x.fields))).get(b.idNumber);
    // not registered and registered outside the agreement's places answer alike
    if (!found || !this.inPlaces(a, found.placePath)) throw new AppError(404, 'exchange.subject_not_found');
    x.released = [found];
    // the ID number asked is not echoed: it is a field like any other, released only if agreed
    return { agreementId: a.id, record: this.project(a, found) };
  }

  async batch(x: Exchange, b: { agreementId: string; idNumbers: string[] }) {
    const a = await this.agreementFor(x, b.agreementId, b.idNumbers.length);
    const found = await exchangeReads.byIdNumbers(this.k, [...new Set(b.idNumbers)], new Set(x.fields));
    const seen = new Set<string>();
    // answered in the order asked, by position (the ID numbers are not echoed)
    const items = b.idNumbers.map((idNumber, index) => {
      const r = found.get(idNumber);
      if (!r || !this.inPlaces(a, r.placePath)) return { index, found: false as const };
      if (!seen.has(r.residentId)) x.released.push(r);
      seen.add(r.residentId);
      return { index, found: true as const, record: this.project(a, r) };
    });
    return { agreementId: a.id, items };
  }

  async changes(x: Exchange, q: { agreementId: string; cursor?: string; limit?: number }) {
    const a = await this.agreementFor(x, q.agreementId, 0);
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && !after) throw new AppError(400, 'exchange.bad_cursor');
    const room = await this.remaining(a);
    if (room <= 0) throw new AppError(429, 'exchange.volume_exceeded', { limit: Number(a.daily_limit) });
    const limit = Math.min(q.limit ?? 100, MAX_CHANGES, room);
    const rows = await exchangeReads.changedSince(this.k, JSON.parse(a.place_paths) as string[], after, limit, new Set(x.fields));
    if (rows.length) await this.reserve(a, localDay(this.k), rows.length);
    x.released = rows;
    const last = rows.at(-1);
    return {
      agreementId: a.id,
      items: rows.map((r) => ({ ref: this.ref(a, r.residentId), updatedAt: r.updatedAt, record: this.project(a, r) })),
      nextCursor: last ? encodeCursor(last.updatedAt, last.residentId) : (q.cursor ?? null),
    };
  }

  /** Bulk export of every record under the agreement, encrypted to the client's key (JWE compact). */
  async exportAll(x: Exchange, b: { agreementId: string }) {
    const client = x.client!;
    if (!client.encryptionKey) throw new AppError(409, 'exchange.no_encryption_key');
    const a = await this.agreementFor(x, b.agreementId, 0);
    const room = await this.remaining(a);
    const rows = await exchangeReads.changedSince(this.k, JSON.parse(a.place_paths) as string[], null, Math.min(room, 10_000) + 1, new Set(x.fields));
    if (rows.length > room) throw new AppError(429, 'exchange.volume_exceeded', { limit: Number(a.daily_limit) });
    if (rows.length) await this.reserve(a, localDay(this.k), rows.length);
    x.released = rows;
    const { CompactEncrypt, importJWK } = await import('jose');
    const jwk = JSON.parse(client.encryptionKey) as { kty: string };
    const alg = jwk.kty === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
    const plain = JSON.stringify({
      agreementId: a.id,
      exportedAt: this.k.clock.now().toISOString(),
      fields: x.fields,
      items: rows.map((r) => ({ ref: this.ref(a, r.residentId), updatedAt: r.updatedAt, record: this.project(a, r) })),
    });
    const jwe = await new CompactEncrypt(new TextEncoder().encode(plain))
      .setProtectedHeader({ alg, enc: 'A256GCM', cty: 'application/json', kid: `${a.id}` })
      .encrypt(await importJWK(jwk as never, alg));
    return { agreementId: a.id, count: rows.length, jwe };
  }

  /** A stable pseudonym of a resident under one agreement (consumers can follow changes without our ids). */
  ref(a: AgreementRow, residentId: string): string {
    return this.k.vault.blindIndex(`exchange.ref.${a.id}`, residentId).slice(0, 32);
  }
}

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(c: string): { at: string; id: string } | null {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { at: v[0], id: v[1] };
  } catch {
    /* not a cursor */
  }
  return null;
}
