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
import { FileStore, sniff, zipEntryNames, type FileKind } from './index.js';



const MB = 1024 * 1024;
const ALL: FileKind[] = ['image', 'pdf', 'xlsx', 'csv', 'text'];

// Smallest real files of each kind (headers as the formats define them).
const png = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000050001' + '0d0a2db40000000049454e44ae426082',
  'hex',
);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(32, 1), Buffer.from('ffd9', 'hex')]);
const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from('0100010080000000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex')]);
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

  beforeEach(async () => {
    tdb = await createTestDatabase(dialect);
    await migrate(tdb.database, migrations);
    dir = path.join(tempDir('linli-files-'), 'nested', 'files'); // created on demand
    store = new FileStore(dir, tdb.database.db, clock);
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
      expect(f).toMatchObject({ name, kind, mime, size: data.length, ownerId: 'usr_1', createdAt: '2025-03-07T23:30:00.000Z' });
      expect(f.id).toMatch(/^fil_/);
      expect(f.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
      // on disk under <dir>/<yyyy>/<mm>/<id> (UTC)
      expect(fs.readFileSync(path.join(dir, '2025', '03', f.id)).equals(data)).toBe(true);
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
});
