// Test and benchmark helpers for the records-out half: organisations, a machine client with its
// Ed25519 key pair, agreements approved through the HTTP API by a supervisor, and signed calls.
import crypto, { type KeyObject } from 'node:crypto';
import type { App } from '../../kernel/app.js';
import type { Kernel } from '../../kernel/index.js';
import type { World } from '../../test/fixtures.js';
import { buildStaff, PASSWORD } from '../../test/fixtures.js';
import { login, type Client } from '../../test/session.js';
import { systemActor } from '../../kernel/authz/index.js';
import { PartiesService } from './parties.js';
import { clientKeyId, signRequest } from './signing.js';

export interface KeyPair {
  keyId: string;
  privateKey: KeyObject;
  publicKey: string; // base64 SPKI DER
}

export function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { keyId: clientKeyId(spki), privateKey, publicKey: spki };
}

let n = 0;

export interface ExchangeSetup {
  street: { id: string };
  civil: { id: string; code: string };
  police: { id: string; code: string };
  client: { id: string; key: KeyPair };
  gov: Client;
  officer: Client;
  officerUserId: string;
}

/** A street office (provider), civil affairs and police (consumers), a civil-affairs client, a supervisor and a civil-affairs officer. */
export async function setupParties(app: App, k: Kernel, w: World): Promise<ExchangeSetup> {
  const i = ++n;
  const parties = new PartiesService(k);
  const sys = systemActor('test.exchange');
  const street = await parties.createOrg(sys, { code: `street-${i}`, name: '望京街道办事处', kind: 'street_office', placeId: w.street.id }, null);
  const civil = await parties.createOrg(sys, { code: `civil-${i}`, name: '朝阳区民政局', kind: 'civil_affairs', placeId: w.street.id }, null);
  const police = await parties.createOrg(sys, { code: `police-${i}`, name: '望京派出所', kind: 'police', placeId: w.street.id }, null);
  const key = newKeyPair();
  const client = await parties.createClient(sys, civil.id, { subsystemCode: 'welfare', name: '低保审核系统', publicKey: key.publicKey }, null);
  await buildStaff(k, `gov${i}`, 'gov_supervisor', w.street);
  const officerUser = await buildStaff(k, `officer${i}`, 'department_officer', w.street);
  await parties.addOfficer(sys, civil.id, officerUser.id, null);
  return {
    street,
    civil,
    police,
    client: { id: client.id, key },
    gov: await login(app, `gov${i}`, PASSWORD),
    officer: await login(app, `officer${i}`, PASSWORD),
    officerUserId: officerUser.id,
  };
}

export interface AgreementOpts {
  fields: string[];
  placeIds: string[];
  validFrom?: string;
  validTo?: string;
  dailyLimit?: number;
  logBodies?: boolean;
  approve?: boolean;
}

/** Drafted by the officer, approved by the supervisor (unless approve: false). Returns the agreement id. */
export async function agreement(s: ExchangeSetup, o: AgreementOpts): Promise<string> {
  const r = await s.officer.post('/api/v1/exchange/agreements', {
    title: '低保复核',
    providerOrgId: s.street.id,
    consumerOrgId: s.civil.id,
    dataset: 'registry.residents',
    fields: o.fields,
    purpose: '最低生活保障对象年度复核',
    legalBasis: '《社会救助暂行办法》第十一条',
    placeIds: o.placeIds,
    validFrom: o.validFrom ?? '2020-01-01',
    validTo: o.validTo ?? '2099-12-31',
    dailyLimit: o.dailyLimit ?? 100_000,
    logBodies: o.logBodies ?? false,
  });
  if (r.status !== 201) throw new Error(`draft failed: ${r.status} ${r.body}`);
  if (o.approve !== false) {
    const a = await s.gov.post(`/api/v1/exchange/agreements/${r.json.id}/approve`, {});
    if (a.status !== 200) throw new Error(`approve failed: ${a.status} ${a.body}`);
  }
  return r.json.id as string;
}

export interface SignedOpts {
  created?: Date;
  nonce?: string;
  components?: string[];
  /** Change the body after signing (tampering). */
  tamper?: (body: string) => string;
  headers?: Record<string, string>;
}

/** A signed call through app.inject; the target URI is http://localhost<path> (inject's host). */
export async function signedCall(app: App, key: { keyId: string; privateKey: KeyObject }, method: string, path: string, body?: unknown, o: SignedOpts = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = await signRequest({ method, url: `http://localhost:80${path}`, body: text }, key, o);
  const res = await app.inject({
    method: method as 'GET',
    url: path,
    payload: o.tamper ? o.tamper(text) : text || undefined,
    headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}), ...(o.headers ?? {}) },
  });
  let json: any = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = null;
  }
  return { status: res.statusCode, json, body: res.body, headers: res.headers as Record<string, string> };
}
