// Personal data at rest (DESIGN "Rules of the house"): after a real import of a spreadsheet of
// ID numbers and mobiles through the HTTP app, no file under the data folder holds one of them
// in clear: not the files folder, the SQLite database or its -wal, nor the log. On PostgreSQL
// every table's rows are read back as text and searched too. Also: the modes of the data folder,
// the database and the uploads, and how stored files are served (inline or attachment).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import JSZip from 'jszip';
import pino from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { buildApp } from '../app.js';
import { createTestDatabase, describeEachDialect, tempDir, type TestApp } from './harness.js';
import { buildStaff, buildWorld, PASSWORD } from './fixtures.js';
import { login } from './session.js';
import { contentDisposition } from '../kernel/http/upload.js';
import { purgeExpiredFiles } from '../kernel/files/jobs.js';
import { breakCheckDigit, csv, HEADERS, importHelpers, nextId, person } from '../modules/registry/import/import.fixtures.js';

/** Every regular file under `dir`, with the entries of zip archives (xlsx) opened too. */
async function contents(dir: string): Promise<{ file: string; data: Buffer }[]> {
  const out: { file: string; data: Buffer }[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const data = fs.readFileSync(file);
    out.push({ file, data });
    if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
      const zip = await JSZip.loadAsync(data).catch(() => null);
      for (const z of Object.values(zip?.files ?? {})) if (!z.dir) out.push({ file: `${file}!${z.name}`, data: await z.async('nodebuffer') });
    }
  }
  return out;
}

function found(haystacks: { file: string; data: Buffer }[], values: string[]): string[] {
  return haystacks.flatMap((h) => values.filter((v) => h.data.includes(Buffer.from(v, 'utf8'))).map((v) => `${v} in ${h.file}`));
}

async function testApp(dialect: 'sqlite' | 'postgres'): Promise<TestApp> {
  const dir = tempDir();
  const tdb = await createTestDatabase(dialect, dir);
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'trace', LINLI_MQTT_PORT: '0', LINLI_IMPORT_RETENTION_DAYS: '3' });
  // a log file in the data folder, at the most verbose level
  const logger = pino({ level: 'trace' }, pino.destination({ dest: path.join(dir, 'linli.log'), sync: true }));
  const { app, kernel } = await buildApp({ config, database: tdb.database, logger, rateLimit: 100000 });
  await app.ready();
  return { app, kernel, config, dir, close: async () => (await app.close(), await tdb.drop()) };
}

describeEachDialect('personal data at rest', (dialect) => {
  let t: TestApp;
  const h = importHelpers(() => t);
  beforeAll(async () => {
    t = await testApp(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an import of ID numbers and mobiles leaves none of them in clear under the data folder (files, database, WAL, log)', async () => {
    const s = await h.staff();
    const ids = [nextId(), nextId(), nextId(), nextId(), breakCheckDigit(nextId())];
    const mobiles = ['13912340001', '15023450002', '18634560003', '17745670004', '13356780005', '19967890006'];
    const rows = [
      HEADERS,
      person('张一', '101', { id: ids[0], 手机号: mobiles[0] }),
      person('张二', '102', { id: ids[1], 手机号: mobiles[1] }),
      person('张三', '103', { id: ids[2], 手机号: mobiles[2] }),
      person('张四', '104', { id: ids[0], 手机号: mobiles[3] }), // row 5: same ID as row 2, rejected
      person('张五', '105', { id: ids[4], 手机号: mobiles[4] }), // row 6: bad check digit, rejected
      person('张六', '106', { id: ids[3], 手机号: mobiles[5], 性别: '未知值', 标签: `备用 ${mobiles[5]}` }), // row 7: rejected, a mobile in another column
    ];
    const data = Buffer.from(csv(rows));
    const clear = [...ids, ...mobiles];
    expect(found([{ file: 'upload', data }], clear)).toHaveLength(clear.length); // the search finds them where they are
    const up = await h.uploaded(s, '住户.csv', data);
    expect(await h.run(s, up)).toMatchObject({ imported: 3, rejected: 3 });

    // the rejected rows come back masked, with the row numbers of the source file
    const rep = await h.report(s, up.id);
    expect(rep.slice(1).map((r) => [r[HEADERS.length], r[1], r[3]])).toEqual([
      ['5', `${ids[0].slice(0, 3)}***********${ids[0].slice(-4)}`, '177****0004'],
      ['6', `${ids[4].slice(0, 3)}***********${ids[4].slice(-4)}`, '133****0005'],
      ['7', `${ids[3].slice(0, 3)}***********${ids[3].slice(-4)}`, '199****0006'],
    ]);
    expect(rep[3][HEADERS.indexOf('标签')]).toBe('备用 199****0006');
    expect(found([{ file: 'report', data: Buffer.from(JSON.stringify(rep)) }], clear)).toEqual([]);

    const stored = await contents(t.dir);
    const names = stored.map((x) => path.relative(t.dir, x.file));
    expect(names).toEqual(expect.arrayContaining(['linli.log', 'vault.keys']));
    if (dialect === 'sqlite') expect(names).toEqual(expect.arrayContaining(['linli.db', 'linli.db-wal']));
    expect(names.filter((n) => n.startsWith('files/') && !n.includes('!'))).toHaveLength(2); // the upload and the report
    expect(found(stored, clear)).toEqual([]);

    if (dialect === 'postgres') {
      const tables = await sql<{
        name: string;
      }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.kernel.db);
      const dump: { file: string; data: Buffer }[] = [];
      for (const { name } of tables.rows) {
        const r = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(t.kernel.db);
        dump.push({ file: `table ${name}`, data: Buffer.from(r.rows.map((x) => x.row).join('\n')) });
      }
      expect(found(dump, clear)).toEqual([]);
    }
  });

  it('serves images inline and other documents as attachments with a safe RFC 6266 name', async () => {
    const w = await buildWorld(t.kernel);
    await buildStaff(t.kernel, `ar_staff_${dialect}`, 'community_staff', w.c1);
    const staff = await login(t.app, `ar_staff_${dialect}`, PASSWORD);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(32)]);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const send = async (name: string, data: Buffer) => {
      const boundary = '----linli' + crypto.randomBytes(8).toString('hex');
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const up = await t.app.inject({
        method: 'POST',
        url: '/api/v1/notices/files',
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: staff.cookie, 'x-csrf-token': staff.csrf },
      });
      expect(up.statusCode, up.body).toBe(201);
      const got = await t.app.inject({ method: 'GET', url: up.json().url, headers: { cookie: staff.cookie } });
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(data)).toBe(true); // decrypted on the way out
      return got.headers;
    };
    const img = await send('map.png', png);
    expect(img['content-type']).toBe('image/png');
    expect(img['content-disposition']).toMatch(/^inline; /);
    const doc = await send("通知 (终版) 100%'s.pdf", pdf);
    expect(doc['content-type']).toBe('application/pdf');
    expect(doc['content-disposition']).toBe(
      `attachment; filename="__ (__) 100_'s.pdf"; filename*=UTF-8''%E9%80%9A%E7%9F%A5%20%28%E7%BB%88%E7%89%88%29%20100%25%27s.pdf`,
    );
    // quotes, backslashes and controls never break out of the header value
    expect(contentDisposition('pdf', 'a"b\\c\r\nd.pdf')).toBe(`attachment; filename="a_b_c__d.pdf"; filename*=UTF-8''a%22b%5Cc%0D%0Ad.pdf`);
    expect(doc['x-content-type-options']).toBe('nosniff');
  });

  it('import files are purged after LINLI_IMPORT_RETENTION_DAYS; the import then says its file and report are gone', async () => {
    const s = await h.staff();
    const up = await h.uploaded(s, 'r.csv', Buffer.from(csv([HEADERS, person('王一', '201'), person('王二', '202', { id: breakCheckDigit(nextId()) })])));
    expect(await h.run(s, up)).toMatchObject({ imported: 1, rejected: 1 });
    const imp = await t.kernel.db.selectFrom('imports').select(['file_id', 'report_file_id']).where('id', '=', up.id).executeTakeFirstOrThrow();
    const files = await t.kernel.db
      .selectFrom('files')
      .select(['id', 'created_at', 'expires_at'])
      .where('id', 'in', [imp.file_id, imp.report_file_id])
      .execute();
    expect(files).toHaveLength(2);
    for (const f of files) expect(Date.parse(f.expires_at!) - Date.parse(f.created_at)).toBe(3 * 86_400_000);
    const later = new Date(Math.max(...files.map((f) => Date.parse(f.expires_at!))));
    expect(await purgeExpiredFiles(t.kernel, later)).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(await t.kernel.files.read(f.id)).toBeNull();
    const rep = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${up.id}/report.xlsx`, headers: { cookie: s.cookie, 'accept-language': 'en' } });
    expect([rep.statusCode, rep.json().code]).toEqual([410, 'import.report_expired']);
    expect(rep.json().title).toContain('3 days');
    const again = await h.startRun(s, up.id, up.mapping);
    expect([again.statusCode, again.json().code]).toEqual([410, 'import.file_missing']);
    const audited = await t.kernel.db.selectFrom('audit_log').select('target_id').where('action', '=', 'files.purge').execute();
    expect(audited.map((a) => a.target_id)).toEqual(expect.arrayContaining([imp.file_id, imp.report_file_id]));
  });
});

it('the data folder, files folder, database and its WAL/SHM are created for this account only (0700 / 0600)', async () => {
  const dir = path.join(tempDir(), 'data'); // buildApp creates it
  const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0' });
  const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 100000 });
  try {
    await app.ready();
    await kernel.files.save({ name: 'a.txt', data: Buffer.from('x'), ownerId: null, accept: ['text'], maxBytes: 1024 });
    const mode = (p: string) => fs.statSync(path.join(dir, p)).mode & 0o777;
    expect([mode('.'), mode('files')]).toEqual([0o700, 0o700]);
    expect(['linli.db', 'linli.db-wal', 'linli.db-shm', 'vault.keys'].map(mode)).toEqual([0o600, 0o600, 0o600, 0o600]);
  } finally {
    await app.close();
  }
  // an older install's looser database and folder are tightened when opened
  fs.chmodSync(dir, 0o755);
  for (const f of ['linli.db', 'linli.db-wal', 'linli.db-shm']) if (fs.existsSync(path.join(dir, f))) fs.chmodSync(path.join(dir, f), 0o644);
  const again = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 100000 });
  try {
    const mode = (p: string) => fs.statSync(path.join(dir, p)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    expect(['linli.db', 'linli.db-wal', 'linli.db-shm'].filter((f) => fs.existsSync(path.join(dir, f))).map(mode)).toEqual(expect.arrayContaining([0o600]));
    expect(['linli.db', 'linli.db-wal', 'linli.db-shm'].filter((f) => fs.existsSync(path.join(dir, f))).every((f) => mode(f) === 0o600)).toBe(true);
  } finally {
    await again.app.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
