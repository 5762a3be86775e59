// Shared setup for the import tests (import.test.ts, import.large.test.ts): spreadsheet rows,
// multipart bodies, and HTTP helpers bound to one test app.
import { expect } from 'vitest';
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import type { TestApp } from '../../../test/harness.js';
import { IdentityService } from '../../identity/index.js';
import { PlacesService } from '../places.service.js';
import type { PlaceRow } from '../places.repository.js';
import { makeIdNumber } from '../standard/id-number.js';
import { waitForImport } from './import.service.js';

export interface Staff {
  community: PlaceRow;
  cookie: string;
  csrf: string;
}

export const HEADERS = ['姓名', '身份证号码', '性别', '手机号', '小区', '楼栋', '单元', '房号', '与户主关系', '身份', '民族', '标签'];

// unique, valid ID numbers across the whole file: birth date walks over ~49 years, the sequence over thousands
let idSeq = 0;
export function nextId(): string {
  const i = idSeq++;
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 18000) * 86400000).toISOString().slice(0, 10);
  return makeIdNumber('110105', birth, String(Math.floor(i / 18000) + 100).padStart(3, '0'));
}
export const genderOf = (id: string) => (Number(id[16]) % 2 ? '男' : '女');
export const breakCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

export function person(name: string, house = '301', extra: Partial<Record<string, string>> = {}): string[] {
  const id = extra.id ?? nextId();
  const v: Record<string, string> = {
    姓名: name,
    身份证号码: id,
    性别: genderOf(id),
    手机号: '13800138000',
    小区: '幸福小区',
    楼栋: '1号楼',
    单元: '2单元',
    房号: house,
    与户主关系: '户主',
    身份: '业主',
    民族: '汉族',
    标签: '',
    ...extra,
  };
  return HEADERS.map((h) => v[h] ?? '');
}

export const csvCell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
export const csv = (rows: string[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

export function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; type?: string }, fileFirst = false) {
  const boundary = '----linli' + crypto.randomBytes(8).toString('hex');
  const fieldParts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const filePart = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.data,
    Buffer.from('\r\n'),
  ]);
  const parts = fileFirst ? [filePart, ...fieldParts] : [...fieldParts, filePart];
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Helpers for one describe block; `get` returns its test app (created in beforeAll). */
export function importHelpers(get: () => TestApp) {
  let n = 0;

  /** A fresh community and a signed-in community_staff user granted there. */
  async function staff(): Promise<Staff> {
    const i = ++n;
    const places = new PlacesService(get().kernel);
    const region = await places.insertPlace({ kind: 'region', name: `朝阳区${i}`, code: '110105', regionLevel: 'district' }, null);
    const community = await places.insertPlace({ kind: 'community', name: `和平社区${i}` }, region);
    const ids = new IdentityService(get().kernel);
    const user = await ids.createStaffUser({ username: `staff${i}`, displayName: `社工${i}`, password: 'correct-horse-battery' }, null);
    await ids.addGrant(user.id, 'community_staff', community.id, null);
    const res = await get().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `staff${i}`, password: 'correct-horse-battery' } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'linli_session')!;
    return { community, cookie: `linli_session=${cookie.value}`, csrf: res.json().csrfToken };
  }

  function upload(s: Staff, name: string, data: Buffer, kind = 'residents', opts: { communityId?: string; fileFirst?: boolean } = {}) {
    const m = multipart({ kind, communityId: opts.communityId ?? s.community.id }, { name, data }, opts.fileFirst);
    return get().app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      payload: m.payload,
      headers: { 'content-type': m.contentType, cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
  }

  async function uploaded(s: Staff, name: string, data: Buffer, kind = 'residents') {
    const res = await upload(s, name, data, kind);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  function startRun(s: Staff, id: string, mapping: Record<string, string | null>, dryRun = false) {
    return get().app.inject({
      method: 'POST',
      url: `/api/v1/imports/${id}/run`,
      payload: { mapping, dryRun },
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
  }

  async function run(s: Staff, up: { id: string; mapping: Record<string, string | null> }, dryRun = false) {
    const res = await startRun(s, up.id, up.mapping, dryRun);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe('running');
    await waitForImport(up.id);
    const got = await get().app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}`, headers: { cookie: s.cookie } });
    expect(got.statusCode).toBe(200);
    const imp = got.json();
    expect(imp.error).toBeNull();
    expect(imp.status).toBe('done');
    return imp;
  }

  async function residents(s: Staff, q = '') {
    const res = await get().app.inject({ method: 'GET', url: `/api/v1/residents?pageSize=200&placeId=${s.community.id}${q}`, headers: { cookie: s.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: number; items: any[] };
  }

  async function report(s: Staff, id: string): Promise<string[][]> {
    const res = await get().app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report.xlsx`, headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const rows: string[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    return rows;
  }

  return { staff, upload, uploaded, startRun, run, residents, report };
}
