// Uploaded files: typed by their content (magic bytes), never by their name, stored on disk
// under <dir>/<yyyy>/<mm>/<id> with their SHA-256 and metadata in the `files` table.
// The sniffing is hand-written: the few signatures we accept are short and well known, and
// the xlsx check needs only the zip entry names (no unzip library needed).
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/index.js';
import { iso, type Clock } from '../clock.js';
import { newId } from '../ids.js';
import { AppError } from '../http/errors.js';

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
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
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
  };
}

export class FileStore {
  constructor(
    private dir: string,
    private db: Db,
    private clock: Clock,
  ) {}

  async save(input: { name: string; data: Buffer; ownerId: string | null; accept: FileKind[]; maxBytes: number }): Promise<StoredFile> {
    const { data } = input;
    if (data.length > input.maxBytes) throw new AppError(413, 'files.too_large', { limit: formatMb(input.maxBytes) });
    const name = cleanName(input.name);
    const t = sniff(data, name);
    // csv and text are told apart only by name, so accepting one accepts text content as it
    const ok = t && (input.accept.includes(t.kind) || ((t.kind === 'csv' || t.kind === 'text') && (input.accept.includes('csv') || input.accept.includes('text'))));
    if (!t || !ok) throw new AppError(415, 'files.bad_type');
    let { kind, mime } = t;
    if (kind === 'text' && !input.accept.includes('text')) [kind, mime] = ['csv', 'text/csv'];
    if (kind === 'csv' && !input.accept.includes('csv')) [kind, mime] = ['text', 'text/plain'];

    const now = this.clock.now();
    const id = newId('fil');
    const storageKey = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
    const file = path.join(this.dir, storageKey);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, data, { flag: 'wx', mode: 0o600 });
    const row = {
      id,
      owner_id: input.ownerId,
      name,
      mime,
      size: data.length,
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      storage_key: storageKey,
      created_at: iso(now),
    };
    try {
      await this.db.insertInto('files').values(row).execute();
    } catch (e) {
      await fs.rm(file, { force: true });
      throw e;
    }
    return { ...toStored(row), kind };
  }

  async get(id: string): Promise<StoredFile | null> {
    const r = await this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toStored(r) : null;
  }

  async read(id: string): Promise<{ meta: StoredFile; data: Buffer } | null> {
    const r = await this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    try {
      const data = await fs.readFile(path.join(this.dir, r.storage_key));
      return { meta: toStored(r), data };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}
