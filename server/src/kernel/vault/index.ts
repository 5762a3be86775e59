// Personal-data vault: AES-256-GCM with the key id kept beside the ciphertext, and a keyed
// blind index (HMAC-SHA256) for exact-match search. Node's crypto does both well; the
// keyring format is ours.
//
// Keyring: lines "kid:base64key"; the first line is the active key. A line "index:base64key"
// is the blind-index key (kept across rotations so indexes stay valid).
// Source: LINLI_MASTER_KEY (same format, comma-separated; a bare base64 key means kid "k1")
// or the file <dataDir>/vault.keys, created with mode 0600 on first start.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Keyring {
  active: string;
  keys: Map<string, Buffer>;
  indexKey: Buffer;
}

function parseKeyring(text: string, source: string): Keyring {
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const keys = new Map<string, Buffer>();
  let active = '';
  let indexKey: Buffer | null = null;
  for (const e of entries) {
    const i = e.indexOf(':');
    const [kid, b64] = i === -1 ? ['k1', e] : [e.slice(0, i), e.slice(i + 1)];
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new Error(`${source}: key "${kid}" must be 32 bytes in base64 (got ${key.length} bytes)`);
    if (kid === 'index') indexKey = key;
    else {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid)) throw new Error(`${source}: bad key id "${kid}"`);
      keys.set(kid, key);
      if (!active) active = kid;
    }
  }
  if (!active) throw new Error(`${source}: no encryption key`);
  // Without an explicit index key, derive one from the first key (documented: keep it when rotating).
  indexKey ??= Buffer.from(crypto.hkdfSync('sha256', keys.get(active)!, Buffer.alloc(0), 'linli-blind-index', 32));
  return { active, keys, indexKey };
}

export function formatKeyring(k: Keyring): string {
  const lines = [`# Linli vault keyring. First key is active. Keep this file secret and backed up.`];
  lines.push(`${k.active}:${k.keys.get(k.active)!.toString('base64')}`);
  for (const [kid, key] of k.keys) if (kid !== k.active) lines.push(`${kid}:${key.toString('base64')}`);
  lines.push(`index:${k.indexKey.toString('base64')}`);
  return lines.join('\n') + '\n';
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'vault.keys');
}

export function loadKeyring(opts: { masterKey: string | null; dataDir: string }): { keyring: Keyring; created: boolean; source: string } {
  if (opts.masterKey) return { keyring: parseKeyring(opts.masterKey, 'LINLI_MASTER_KEY'), created: false, source: 'LINLI_MASTER_KEY' };
  const file = keyFilePath(opts.dataDir);
  if (fs.existsSync(file)) return { keyring: parseKeyring(fs.readFileSync(file, 'utf8'), file), created: false, source: file };
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const keyring: Keyring = {
    active: 'k1',
    keys: new Map([['k1', crypto.randomBytes(32)]]),
    indexKey: crypto.randomBytes(32),
  };
  fs.writeFileSync(file, formatKeyring(keyring), { mode: 0o600, flag: 'wx' });
  return { keyring, created: true, source: file };
}

/** Add a fresh active key to the key file; old keys stay so old ciphertext can still be read. */
export function addKeyToFile(dataDir: string): string {
  const file = keyFilePath(dataDir);
  const k = parseKeyring(fs.readFileSync(file, 'utf8'), file);
  let n = k.keys.size + 1;
  while (k.keys.has(`k${n}`)) n++;
  const kid = `k${n}`;
  const keys = new Map([[kid, crypto.randomBytes(32)], ...k.keys]);
  fs.writeFileSync(file + '.new', formatKeyring({ active: kid, keys, indexKey: k.indexKey }), { mode: 0o600 });
  fs.renameSync(file + '.new', file);
  return kid;
}

export class Vault {
  constructor(private keyring: Keyring) {}

  get activeKeyId(): string {
    return this.keyring.active;
  }

  /** "v1.<kid>.<iv>.<ciphertext+tag>" (base64url parts). */
  // IVs come from a pooled CSPRNG buffer: one randomFill per 341 encryptions instead of one each
  // (bulk imports encrypt hundreds of thousands of values). Each IV is still fresh random bytes.
  private ivPool = Buffer.alloc(0);
  private ivAt = 0;
  private nextIv(): Buffer {
    if (this.ivAt + 12 > this.ivPool.length) {
      this.ivPool = crypto.randomBytes(4092);
      this.ivAt = 0;
    }
    const iv = this.ivPool.subarray(this.ivAt, this.ivAt + 12);
    this.ivAt += 12;
    return iv;
  }

  encrypt(plain: string): string {
    const kid = this.keyring.active;
    const iv = this.nextIv();
    const c = crypto.createCipheriv('aes-256-gcm', this.keyring.keys.get(kid)!, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
    return `v1.${kid}.${iv.toString('base64url')}.${ct.toString('base64url')}`;
  }

  decrypt(token: string): string {
    const [v, kid, ivB, ctB] = token.split('.');
    if (v !== 'v1' || !ivB || !ctB) throw new Error('vault: not a ciphertext');
    const key = this.keyring.keys.get(kid);
    if (!key) throw new Error(`vault: unknown key id ${kid}`);
    const buf = Buffer.from(ctB, 'base64url');
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(ivB, 'base64url'));
    d.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([d.update(buf.subarray(0, buf.length - 16)), d.final()]).toString('utf8');
  }

  encryptNullable(v: string | null | undefined): string | null {
    return v == null || v === '' ? null : this.encrypt(v);
  }

  decryptNullable(v: string | null | undefined): string | null {
    return v == null ? null : this.decrypt(v);
  }

  keyIdOf(token: string): string {
    return token.split('.')[1];
  }

  /** Keyed blind index for exact search; `purpose` separates fields so equal values in two fields differ. */
  blindIndex(purpose: string, normalised: string): string {
    return crypto.createHmac('sha256', this.keyring.indexKey).update(purpose).update('\0').update(normalised).digest('base64url').slice(0, 32);
  }
}

/** Tables and columns that hold vault ciphertext, registered by modules; `linli vault rotate` walks them. */
export interface EncryptedColumns {
  table: string;
  idColumn: string;
  columns: string[];
}

export const encryptedColumns: EncryptedColumns[] = [];

export function registerEncryptedColumns(e: EncryptedColumns): void {
  if (!encryptedColumns.some((x) => x.table === e.table)) encryptedColumns.push(e);
}

export function maskIdNumber(v: string): string {
  if (v.length <= 7) return '*'.repeat(v.length);
  return v.slice(0, 3) + '*'.repeat(v.length - 7) + v.slice(-4);
}

export function maskPhone(v: string): string {
  if (v.length < 7) return '*'.repeat(v.length);
  return v.slice(0, 3) + '****' + v.slice(7);
}
