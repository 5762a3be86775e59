// Uploaded files: typed by their content (magic bytes), never by their name, stored on disk
// under <dir>/<yyyy>/<mm>/<id> with their SHA-256 and metadata in the `files` table.
// Every file is encrypted at rest (sealed.ts): uploads are photos of people and homes, camera
// snapshots, resident spreadsheets, reports and documents, so any of them may hold personal
// data, and one rule is simpler to trust than a list. A row without a wrapped key is a file
// stored in clear before encryption came in, and is read as it is. A file saved with a
// retention (imports, rejected-row reports) is purged once it expires (jobs.ts).
// The sniffing is hand-written: the few signatures we accept are short and well known, and
// the xlsx check needs only the zip entry names (no unzip library needed).
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db, Tx } from '../db/index.js';
import { iso, type Clock } from '../clock.js';
import { newId } from '../ids.js';
import { AppError } from '../http/errors.js';
import { registerEncryptedColumns, type Vault } from '../vault/index.js';
import { privateDir } from '../private-fs.js';
import { seal, unseal } from './sealed.js';

// `linli vault rotate` re-wraps the data keys under the active vault key
registerEncryptedColumns({ table: 'files', idColumn: 'id', columns: ['key_enc'] });

export type FileKind = 'image' | 'pdf' | 'xlsx' | 'csv' | 'text';

export interface StoredFile {
  id: string;
  ownerId: string | null;
  name: string;
  mime: string;
  kind: FileKind;
  size: number;
  sha256: string;
  createdAt: string;
  /** When the file is purged (null: kept as long as what refers to it). */
  expiresAt: string | null;
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const startsWith = (d: Buffer, sig: number[], at = 0) => d.length >= at + sig.length && sig.every((b, i) => d[at + i] === b);

/** Image MIME type from the signature, or null. */
function imageMime(d: Buffer): string | null {
  if (startsWith(d, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(d, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(d, [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) || startsWith(d, [0x47, 0x49, 0x46, 0x38, 0x39, 0x61])) return 'image/gif';
  if (startsWith(d, [0x52, 0x49, 0x46, 0x46]) && startsWith(d, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/**
 * Names of the entries of a zip archive, from its local file headers ("PK\3\4") and central
 * directory headers ("PK\1\2"). Every signature in the buffer is read, so entries written
 * with a data descriptor (sizes unknown in the local header) are still found.
 */
export function zipEntryNames(d: Buffer): string[] {
  const names = new Set<string>();
  const read = (sig: Buffer, nameLenAt: number, nameAt: number) => {
    for (let i = d.indexOf(sig); i !== -1; i = d.indexOf(sig, i + 4)) {
      if (i + nameAt > d.length) break;
      const len = d.readUInt16LE(i + nameLenAt);
      if (len === 0 || i + nameAt + len > d.length) continue;
      names.add(d.toString('utf8', i + nameAt, i + nameAt + len));
    }
  };
  read(Buffer.from([0x50, 0x4b, 0x03, 0x04]), 26, 30);
  read(Buffer.from([0x50, 0x4b, 0x01, 0x02]), 28, 46);
  return [...names];
}

/** What a file is, judged by its bytes; `name` only chooses between csv and plain text. */
export function sniff(data: Buffer, name = ''): { kind: FileKind; mime: string } | null {
  const img = imageMime(data);
  if (img) return { kind: 'image', mime: img };
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { kind: 'pdf', mime: 'application/pdf' }; // %PDF-
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) {
    const names = zipEntryNames(data);
    if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('xl/'))) return { kind: 'xlsx', mime: XLSX_MIME };
    return null; // another zip (docx, plain archive …)
  }
  // text in any encoding (UTF-8, GBK, UTF-16 would have NULs and is refused): no NUL bytes up front
  if (data.length === 0 || data.subarray(0, 8192).includes(0)) return null;
  return /\.csv$/i.test(name) ? { kind: 'csv', mime: 'text/csv' } : { kind: 'text', mime: 'text/plain' };
}

function kindOfMime(mime: string): FileKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'application/pdf') return 'pdf';
  if (mime === XLSX_MIME) return 'xlsx';
  if (mime === 'text/csv') return 'csv';
  return 'text';
}

function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return clean || 'file';
}

function formatMb(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : Math.round(mb * 10) / 10} MB`;
}

function toStored(r: any): StoredFile {
  return {
    id: r.id,
    ownerId: r.owner_id ?? null,
    name: r.name,
    mime: r.mime,
    kind: kindOfMime(r.mime),
    size: Number(r.size),
    sha256: r.sha256,
    createdAt: r.created_at,
    expiresAt: r.expires_at ?? null,
  };
}

const DAY_MS = 86_400_000;

export class FileStore {
  private dirReady = false;
  constructor(
    private dir: string,
    private db: Db,
    private clock: Clock,
    private vault: Vault,
  ) {}

  /** Store a file (encrypted); `retainDays` makes it expire that many days from now. */
  async save(input: { name: string; data: Buffer; ownerId: string | null; accept: FileKind[]; maxBytes: number; retainDays?: number }): Promise<StoredFile> {
    const { data } = input;
    if (data.length > input.maxBytes) throw new AppError(413, 'files.too_large', { limit: formatMb(input.maxBytes) });
    const name = cleanName(input.name);
    const t = sniff(data, name);
    // csv and text are told apart only by name, so accepting one accepts text content as it
    const ok =
      t && (input.accept.includes(t.kind) || ((t.kind === 'csv' || t.kind === 'text') && (input.accept.includes('csv') || input.accept.includes('text'))));
    if (!t || !ok) throw new AppError(415, 'files.bad_type');
    let { kind, mime } = t;
    if (kind === 'text' && !input.accept.includes('text')) [kind, mime] = ['csv', 'text/csv'];
    if (kind === 'csv' && !input.accept.includes('csv')) [kind, mime] = ['text', 'text/plain'];

    const now = this.clock.now();
    const id = newId('fil');
    const storageKey = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
    const file = path.join(this.dir, storageKey);
    if (!this.dirReady) {
      privateDir(this.dir);
      this.dirReady = true;
    }
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const sealed = seal(this.vault, id, data);
    await fs.writeFile(file, sealed.data, { flag: 'wx', mode: 0o600 });
    const row = {
      id,
      owner_id: input.ownerId,
      name,
      mime,
      size: data.length,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      storage_key: storageKey,
      created_at: iso(now),
      key_enc: sealed.keyEnc,
      expires_at: input.retainDays ? iso(new Date(now.getTime() + input.retainDays * DAY_MS)) : null,
      purged_at: null,
    };
    try {
      await this.db.insertInto('files').values(row).execute();
    } catch (e) {
      await fs.rm(file, { force: true });
      throw e;
    }
    return { ...toStored(row), kind };
  }

  /** A file's metadata; null when unknown or purged. */
  async get(id: string): Promise<StoredFile | null> {
    const r = await this.db.selectFrom('files').selectAll().where('id', '=', id).where('purged_at', 'is', null).executeTakeFirst();
    return r ? toStored(r) : null;
  }

  /** A file's metadata and bytes (decrypted); null when unknown, purged or gone from disk. */
  async read(id: string): Promise<{ meta: StoredFile; data: Buffer } | null> {
    const r = await this.db.selectFrom('files').selectAll().where('id', '=', id).where('purged_at', 'is', null).executeTakeFirst();
    if (!r) return null;
    let data: Buffer;
    try {
      data = await fs.readFile(path.join(this.dir, r.storage_key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    return { meta: toStored(r), data: r.key_enc ? unseal(this.vault, r.id, r.key_enc, data) : data };
  }

  /**
   * Files past their expiry, up to `limit`: their bytes are deleted, then the row is marked purged
   * and loses its wrapped key (`onPurged` runs in that transaction, for the audit entry). The
   * metadata stays so what referred to the file can say it is gone. Returns the ids purged.
   */
  async purgeExpired(now: Date, onPurged: (files: StoredFile[], trx: Tx) => Promise<void>, limit = 500): Promise<string[]> {
    const rows = await this.db
      .selectFrom('files')
      .selectAll()
      .where('expires_at', '<=', iso(now))
      .where('purged_at', 'is', null)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    if (!rows.length) return [];
    for (const r of rows) await fs.rm(path.join(this.dir, r.storage_key), { force: true });
    const ids = rows.map((r) => r.id as string);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('files')
        .set({ purged_at: iso(this.clock.now()), key_enc: null })
        .where('id', 'in', ids)
        .execute();
      await onPurged(rows.map(toStored), trx);
    });
    return ids;
  }

  /**
   * Encrypt the files stored in clear before encryption came in (ids after `after`, up to
   * `limit`). The sealed copy is written beside the clear one (storage key + ".e"), the row is
   * switched to it, then the clear copy is deleted. Returns how many were encrypted and the last
   * id looked at (null when there are no more).
   */
  async encryptLegacy(after = '', limit = 100): Promise<{ encrypted: number; last: string | null }> {
    const rows = await this.db
      .selectFrom('files')
      .select(['id', 'storage_key'])
      .where('key_enc', 'is', null)
      .where('purged_at', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
    let encrypted = 0;
    for (const r of rows) {
      const from = path.join(this.dir, r.storage_key);
      let plain: Buffer;
      try {
        plain = await fs.readFile(from);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const key = `${r.storage_key}.e`;
      const sealed = seal(this.vault, r.id, plain);
      await fs.writeFile(path.join(this.dir, key), sealed.data, { mode: 0o600 }); // overwrites the leftover of an interrupted run
      const u = await this.db
        .updateTable('files')
        .set({ key_enc: sealed.keyEnc, storage_key: key })
        .where('id', '=', r.id)
        .where('key_enc', 'is', null)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 1) {
        await fs.rm(from, { force: true });
        encrypted++;
      } else await fs.rm(path.join(this.dir, key), { force: true });
    }
    return { encrypted, last: rows.length === limit ? rows[rows.length - 1].id : null };
  }
}
