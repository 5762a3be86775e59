// Keys that sign checkpoints of hash-chained logs (checkpoints.ts). Ed25519 through node:crypto.
// Kept apart from the database, like the vault key: whoever can rewrite the tables must not
// also be able to sign a new head.
//
// Key ring text: one entry a line (or comma-separated in the environment variable):
//   private:<base64 PKCS8 DER>   the signing key (exactly one; a bare base64 key means this)
//   public:<base64 SPKI DER>     a retired key: it no longer signs, its checkpoints still verify
// A key's id is derived from its public key (first 16 hex digits of SHA-256 over the SPKI DER),
// so an id can never name two different keys, here or in a witness's export.
// Source: LINLI_AUDIT_SIGNING_KEY, or the file <dataDir>/audit-signing.key created mode 0600 on
// first start.
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface PublicKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  /** base64 SPKI DER */
  publicKey: string;
  active: boolean;
}

function spkiOf(key: KeyObject): Buffer {
  return (key.type === 'private' ? crypto.createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
}

export function keyIdOf(spki: Buffer): string {
  return crypto.createHash('sha256').update(spki).digest('hex').slice(0, 16);
}

/** Public keys by id, for verifying. Keys that are not Ed25519 are refused. */
export class PublicKeys {
  private keys = new Map<string, KeyObject>();

  add(spkiBase64: string, source: string): string {
    let key: KeyObject;
    try {
      key = crypto.createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new Error(`${source}: not a public key (base64 SPKI DER expected)`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: not an Ed25519 key`);
    const kid = keyIdOf(spkiOf(key));
    this.keys.set(kid, key);
    return kid;
  }

  get(keyId: string): KeyObject | undefined {
    return this.keys.get(keyId);
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  merge(other: PublicKeys): PublicKeys {
    const m = new PublicKeys();
    for (const src of [this, other]) for (const [kid, key] of src.keys) m.keys.set(kid, key);
    return m;
  }

  verify(keyId: string, data: Buffer, signature: string): 'ok' | 'unknown_key' | 'bad_signature' {
    const key = this.keys.get(keyId);
    if (!key) return 'unknown_key';
    let ok = false;
    try {
      ok = crypto.verify(null, data, key, Buffer.from(signature, 'base64url'));
    } catch {
      ok = false;
    }
    return ok ? 'ok' : 'bad_signature';
  }

  list(activeId: string | null): PublicKeyInfo[] {
    return [...this.keys].map(([keyId, key]) => ({ keyId, algorithm: 'Ed25519', publicKey: spkiOf(key).toString('base64'), active: keyId === activeId }));
  }
}

export class SigningKeys {
  readonly activeKeyId: string;
  constructor(
    private privateKey: KeyObject,
    readonly publicKeys: PublicKeys,
  ) {
    this.activeKeyId = keyIdOf(spkiOf(privateKey));
  }

  sign(data: Buffer): string {
    return crypto.sign(null, data, this.privateKey).toString('base64url');
  }

  list(): PublicKeyInfo[] {
    return this.publicKeys.list(this.activeKeyId);
  }
}

function privateKeyFrom(b64: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey({ key: Buffer.from(b64, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(`${source}: not a private key (base64 PKCS8 DER expected)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: not an Ed25519 key`);
  return key;
}

export function parseSigningKeys(text: string, source: string): SigningKeys {
  const entries = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .flatMap((l) => l.split(','))
    .map((l) => l.trim())
    .filter(Boolean);
  let priv: KeyObject | null = null;
  const pub = new PublicKeys();
  for (const e of entries) {
    const i = e.indexOf(':');
    const [kind, b64] = i === -1 ? ['private', e] : [e.slice(0, i), e.slice(i + 1)];
    if (kind === 'private') {
      if (priv) throw new Error(`${source}: more than one private key (keep retired keys as public:<key>)`);
      priv = privateKeyFrom(b64, source);
      pub.add(spkiOf(priv).toString('base64'), source);
    } else if (kind === 'public') pub.add(b64, source);
    else throw new Error(`${source}: unknown entry "${kind}" (private: or public: expected)`);
  }
  if (!priv) throw new Error(`${source}: no private signing key`);
  return new SigningKeys(priv, pub);
}

export function newPrivateKeyBase64(): string {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
}

export function publicKeyBase64Of(privateB64: string): string {
  return spkiOf(privateKeyFrom(privateB64, 'key')).toString('base64');
}

const HEADER =
  '# Linli audit signing key: signs checkpoints of the audit log. Keep it secret, apart from the\n# database and its backups, and backed up itself. Retired keys stay as public: lines.\n';

export function signingKeyFilePath(dataDir: string): string {
  return path.join(dataDir, 'audit-signing.key');
}

export function loadSigningKeys(opts: { signingKey: string | null; dataDir: string }): { keys: SigningKeys; created: boolean; source: string } {
  if (opts.signingKey) return { keys: parseSigningKeys(opts.signingKey, 'LINLI_AUDIT_SIGNING_KEY'), created: false, source: 'LINLI_AUDIT_SIGNING_KEY' };
  const file = signingKeyFilePath(opts.dataDir);
  if (fs.existsSync(file)) return { keys: parseSigningKeys(fs.readFileSync(file, 'utf8'), file), created: false, source: file };
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const text = `${HEADER}private:${newPrivateKeyBase64()}\n`;
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // another process of this install created it a moment ago: use that one
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { keys: parseSigningKeys(fs.readFileSync(file, 'utf8'), file), created: false, source: file };
  }
  return { keys: parseSigningKeys(text, file), created: true, source: file };
}

/** Key file: a fresh private key signs from now on; the old one is kept as its public key only. */
export function rotateSigningKeyFile(dataDir: string): { keyId: string; retired: string } {
  const file = signingKeyFilePath(dataDir);
  const text = fs.readFileSync(file, 'utf8');
  const old = parseSigningKeys(text, file);
  const fresh = newPrivateKeyBase64();
  const lines = [HEADER.trimEnd(), `private:${fresh}`];
  for (const k of old.list()) lines.push(`public:${k.publicKey}`);
  fs.writeFileSync(file + '.new', lines.join('\n') + '\n', { mode: 0o600 });
  fs.renameSync(file + '.new', file);
  return { keyId: keyIdOf(Buffer.from(publicKeyBase64Of(fresh), 'base64')), retired: old.activeKeyId };
}
