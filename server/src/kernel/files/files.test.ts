import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, createTestDatabase, tempDir, type TestDatabase } from '../../test/db.js';
import { migrate } from '../db/migrator.js';
import { migrations } from '../../migrations/index.js';
import { FixedClock } from '../clock.js';
import { AppError } from '../http/errors.js';
import { AuditLog } from '../audit/index.js';
import { Vault } from '../vault/index.js';
import { FileStore, sniff, zipEntryNames, type FileKind } from './index.js';
import { encryptLegacyFiles, purgeExpiredFiles } from './jobs.js';

const MB = 1024 * 1024;
const ALL: FileKind[] = ['image', 'pdf', 'xlsx', 'csv', 'text'];

// Smallest real files of each kind (headers as the formats define them).
const png = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082',
  'hex',
);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(32, 1), Buffer.from('ffd9', 'hex')]);
const gif = Buffer.concat([
  Buffer.from('GIF89a', 'latin1'),
  Buffer.from('0100010080000000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex'),
]);
const webp = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8L', 'latin1'), Buffer.alloc(14, 0x2f)]);
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const utf8Csv = Buffer.from('姓名,电话\n张三,13800000000\n', 'utf8');
// "姓名,电话" in GBK: not valid UTF-8, still text
const gbkCsv = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x0a]);
const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]); // ELF

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('住户').addRows([
    ['姓名', '电话'],
    ['张三', '13800000000'],
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function docx(): Promise<Buffer> {
  const z = new JSZip();
  z.file('[Content_Types].xml', '<Types/>');
  z.file('word/document.xml', '<w:document/>');
  return z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

it('sniffs by content, not by name', async () => {
  expect(sniff(png, 'a.pdf')).toEqual({ kind: 'image', mime: 'image/png' });
  expect(sniff(jpeg)?.mime).toBe('image/jpeg');
  expect(sniff(gif)?.mime).toBe('image/gif');
  expect(sniff(webp)?.mime).toBe('image/webp');
  expect(sniff(pdf, 'x.png')?.kind).toBe('pdf');
  const x = await xlsx();
  expect(zipEntryNames(x)).toContain('[Content_Types].xml');
  expect(sniff(x, 'data.csv')?.kind).toBe('xlsx');
  expect(sniff(await docx(), 'data.xlsx')).toBeNull();
  expect(sniff(utf8Csv, 'a.csv')).toEqual({ kind: 'csv', mime: 'text/csv' });
  expect(sniff(gbkCsv, 'a.txt')).toEqual({ kind: 'text', mime: 'text/plain' });
  expect(sniff(binary, 'a.csv')).toBeNull();
  expect(sniff(Buffer.alloc(0), 'a.csv')).toBeNull();
  // a NUL after the first 8 KB does not count
  expect(sniff(Buffer.concat([Buffer.alloc(8192, 0x41), Buffer.from([0])]), 'a.txt')?.kind).toBe('text');
});

describeEachDialect('FileStore', (dialect) => {
  let tdb: TestDatabase;
  let dir: string;
  let store: FileStore;
  const clock = new FixedClock(new Date('2025-03-07T23:30:00Z'));
  const vault = new Vault({ active: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]), indexKey: crypto.randomBytes(32) });

  beforeEach(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
    dir = path.join(tempDir('linli-files-'), 'nested', 'files'); // created on demand
    store = new FileStore(dir, tdb.database.db, clock, vault);
  });
  afterEach(async () => {
    await tdb.drop();
  });

  async function refused(p: Promise<unknown>): Promise<AppError> {
    const e = await p.then(
      () => null,
      (err) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }

  it('accepts each kind it is asked to, and stores it round trip', async () => {
    const cases: [string, Buffer, FileKind, string][] = [
      ['photo.png', png, 'image', 'image/png'],
      ['photo.jpg', jpeg, 'image', 'image/jpeg'],
      ['anim.gif', gif, 'image', 'image/gif'],
      ['pic.webp', webp, 'image', 'image/webp'],
      ['合同.pdf', pdf, 'pdf', 'application/pdf'],
      ['住户.xlsx', await xlsx(), 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['住户.csv', utf8Csv, 'csv', 'text/csv'],
      ['gbk.csv', gbkCsv, 'csv', 'text/csv'],
      ['notes.txt', Buffer.from('hello\n'), 'text', 'text/plain'],
    ];
    for (const [name, data, kind, mime] of cases) {
      const f = await store.save({ name, data, ownerId: 'usr_1', accept: [kind], maxBytes: MB });
      expect(f).toMatchObject({ name, kind, mime, size: data.length, ownerId: 'usr_1', createdAt: '2025-03-07T23:30:00.000Z', expiresAt: null });
      expect(f.id).toMatch(/^fil_/);
      expect(f.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
      // on disk under <dir>/<yyyy>/<mm>/<id> (UTC), encrypted: not the bytes uploaded
      const disk = fs.readFileSync(path.join(dir, '2025', '03', f.id));
      expect(disk.length).toBe(data.length + 32);
      expect(disk.includes(data)).toBe(false);
      expect(await store.get(f.id)).toEqual(f);
      const r = await store.read(f.id);
      expect(r?.meta).toEqual(f);
      expect(r?.data.equals(data)).toBe(true);
    }
    const rows = await tdb.database.db.selectFrom('files').select(['storage_key']).execute();
    expect(rows).toHaveLength(cases.length);
    expect(rows[0].storage_key).toMatch(/^2025\/03\/fil_/);
  });

  it('refuses content of a kind not accepted, whatever the name says', async () => {
    const wrong: [string, Buffer, FileKind[]][] = [
      ['fake.png', pdf, ['image']],
      ['fake.pdf', png, ['pdf']],
      ['fake.xlsx', utf8Csv, ['xlsx']],
      ['word.xlsx', await docx(), ['xlsx', 'csv', 'text']],
      ['prog.csv', binary, ['csv', 'text']],
      ['sheet.csv', await xlsx(), ['csv']],
      ['photo.jpg', jpeg, ['pdf', 'xlsx', 'csv', 'text']],
      ['empty.txt', Buffer.alloc(0), ALL],
    ];
    for (const [name, data, accept] of wrong) {
      const e = await refused(store.save({ name, data, ownerId: null, accept, maxBytes: MB }));
      expect([e.status, e.code, name]).toEqual([415, 'files.bad_type', name]);
    }
    expect(await tdb.database.db.selectFrom('files').selectAll().execute()).toHaveLength(0);
    expect(fs.existsSync(dir)).toBe(false); // nothing written
  });

  it('refuses a file over the limit with the limit in MB', async () => {
    const big = Buffer.concat([png, Buffer.alloc(2 * MB)]);
    const e = await refused(store.save({ name: 'big.png', data: big, ownerId: null, accept: ['image'], maxBytes: 2 * MB }));
    expect([e.status, e.code, e.params]).toEqual([413, 'files.too_large', { limit: '2 MB' }]);
    const ok = await store.save({ name: 'big.png', data: big, ownerId: null, accept: ['image'], maxBytes: 3 * MB });
    expect(ok.size).toBe(big.length);
  });

  it('cleans the stored name, and get/read of an unknown id is null', async () => {
    const f = await store.save({ name: '../../etc/pass\u0000wd.txt', data: Buffer.from('x'), ownerId: null, accept: ['text'], maxBytes: MB });
    expect(f.name).toBe('passwd.txt');
    expect(f.ownerId).toBeNull();
    expect(await store.get('fil_nope')).toBeNull();
    expect(await store.read('fil_nope')).toBeNull();
  });

  it('keeps every file encrypted with its own data key, wrapped by the vault, bound to its id', async () => {
    const text = Buffer.from('张三,110105194912310017,13800138000\n');
    const a = await store.save({ name: 'a.csv', data: text, ownerId: null, accept: ['csv'], maxBytes: MB });
    const b = await store.save({ name: 'b.csv', data: text, ownerId: null, accept: ['csv'], maxBytes: MB });
    const rows = await tdb.database.db.selectFrom('files').select(['id', 'key_enc', 'storage_key']).orderBy('id').execute();
    expect(rows.map((r) => r.key_enc)).toEqual([expect.stringMatching(/^v1\.k1\./), expect.stringMatching(/^v1\.k1\./)]);
    expect(vault.decrypt(rows[0].key_enc!)).not.toBe(vault.decrypt(rows[1].key_enc!)); // a key per file
    const [da, db] = rows.map((r) => fs.readFileSync(path.join(dir, r.storage_key)));
    expect(da.equals(db)).toBe(false);
    for (const d of [da, db]) for (const v of ['110105194912310017', '13800138000', '张三']) expect(d.includes(Buffer.from(v))).toBe(false);
    expect((await store.read(a.id))?.data.equals(text)).toBe(true);
    // the bytes of one file put in place of another's are refused, not served as it
    fs.writeFileSync(path.join(dir, rows[1].storage_key), da);
    await expect(store.read(b.id)).rejects.toThrow();
  });

  it('files, their folders and the files folder are for this account only (0600 / 0700)', async () => {
    const f = await store.save({ name: 'p.png', data: png, ownerId: null, accept: ['image'], maxBytes: MB });
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(path.join(dir, '2025', '03', f.id))).toBe(0o600);
    for (const d of [dir, path.join(dir, '2025'), path.join(dir, '2025', '03')]) expect(mode(d)).toBe(0o700);
    // an older install's looser files folder is tightened
    const old = path.join(tempDir('linli-files-'), 'files');
    fs.mkdirSync(old, { mode: 0o755 });
    fs.chmodSync(old, 0o755);
    await new FileStore(old, tdb.database.db, clock, vault).save({ name: 'p.png', data: png, ownerId: null, accept: ['image'], maxBytes: MB });
    expect(mode(old)).toBe(0o700);
  });

  it('purges files past their retention (bytes, key and all), audited; files without one stay', async () => {
    const c = new FixedClock(new Date('2025-03-01T08:00:00Z'));
    const s = new FileStore(dir, tdb.database.db, c, vault);
    const audit = new AuditLog(tdb.database, c);
    const deps = { jobs: null as never, files: s, audit };
    const sheet = await s.save({ name: 'import.csv', data: utf8Csv, ownerId: null, accept: ['csv'], maxBytes: MB, retainDays: 7 });
    const photo = await s.save({ name: 'p.png', data: png, ownerId: null, accept: ['image'], maxBytes: MB });
    expect(sheet.expiresAt).toBe('2025-03-08T08:00:00.000Z');
    c.set('2025-03-08T07:59:59Z');
    expect(await purgeExpiredFiles(deps, c.now())).toBe(0);
    expect((await s.read(sheet.id))?.data.equals(utf8Csv)).toBe(true);
    c.set('2025-03-08T08:00:00Z');
    expect(await purgeExpiredFiles(deps, c.now())).toBe(1);
    expect(fs.existsSync(path.join(dir, '2025', '03', sheet.id))).toBe(false);
    expect(await s.get(sheet.id)).toBeNull();
    expect(await s.read(sheet.id)).toBeNull();
    const row = await tdb.database.db.selectFrom('files').selectAll().where('id', '=', sheet.id).executeTakeFirstOrThrow();
    expect([row.purged_at, row.key_enc]).toEqual(['2025-03-08T08:00:00.000Z', null]);
    const entries = await tdb.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'files.purge').execute();
    expect(entries.map((e) => [e.target_id, e.actor_name])).toEqual([[sheet.id, 'system']]);
    // nothing more to purge; the photo (no retention) is still there
    c.set('2026-03-08T08:00:00Z');
    expect(await purgeExpiredFiles(deps, c.now())).toBe(0);
    expect((await s.read(photo.id))?.data.equals(png)).toBe(true);
  });

  it('reads a file stored in clear before encryption, and the one-off job encrypts it in place', async () => {
    const at = '2024-11-02T10:00:00.000Z';
    const key = '2024/11/fil_legacy1';
    fs.mkdirSync(path.join(dir, '2024', '11'), { recursive: true });
    fs.writeFileSync(path.join(dir, key), utf8Csv);
    const sha256 = crypto.createHash('sha256').update(utf8Csv).digest('hex');
    await tdb.database.db
      .insertInto('files')
      .values({ id: 'fil_legacy1', owner_id: null, name: 'old.csv', mime: 'text/csv', size: utf8Csv.length, sha256, storage_key: key, created_at: at })
      .execute();
    expect((await store.read('fil_legacy1'))?.data.equals(utf8Csv)).toBe(true);
    const audit = new AuditLog(tdb.database, clock);
    expect(await encryptLegacyFiles({ jobs: null as never, files: store, audit })).toBe(1);
    expect(fs.existsSync(path.join(dir, key))).toBe(false);
    const row = await tdb.database.db.selectFrom('files').selectAll().where('id', '=', 'fil_legacy1').executeTakeFirstOrThrow();
    expect(row.key_enc).toMatch(/^v1\./);
    expect(fs.readFileSync(path.join(dir, row.storage_key)).includes(Buffer.from('13800000000'))).toBe(false);
    expect((await store.read('fil_legacy1'))?.data.equals(utf8Csv)).toBe(true);
    expect(await encryptLegacyFiles({ jobs: null as never, files: store, audit })).toBe(0); // nothing left
    expect(await tdb.database.db.selectFrom('audit_log').select('detail').where('action', '=', 'files.encrypt_legacy').execute()).toHaveLength(1);
  });
});
