import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/harness.js';
import { addKeyToFile, keyFilePath, loadKeyring, maskIdNumber, maskPhone, Vault } from './index.js';

describe('vault', () => {
  it('creates a 0600 key file on first start and reuses it', () => {
    const dir = tempDir();
    const a = loadKeyring({ masterKey: null, dataDir: dir });
    expect(a.created).toBe(true);
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    const b = loadKeyring({ masterKey: null, dataDir: dir });
    expect(b.created).toBe(false);
    const v1 = new Vault(a.keyring);
    expect(new Vault(b.keyring).decrypt(v1.encrypt('110105199001011234'))).toBe('110105199001011234');
  });

  it('encrypts with AES-256-GCM under a key id, detects tampering, and indexes blindly', () => {
    const v = new Vault(loadKeyring({ masterKey: crypto.randomBytes(32).toString('base64'), dataDir: tempDir() }).keyring);
    const c1 = v.encrypt('13812345678');
    const c2 = v.encrypt('13812345678');
    expect(c1).not.toBe(c2); // random IV
    expect(c1.startsWith('v1.k1.')).toBe(true);
    expect(c1).not.toContain('13812345678');
    const parts = c1.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    expect(() => v.decrypt([...parts.slice(0, 3), ct.toString('base64url')].join('.'))).toThrow();
    expect(v.blindIndex('phone', '13812345678')).toBe(v.blindIndex('phone', '13812345678'));
    expect(v.blindIndex('phone', '13812345678')).not.toBe(v.blindIndex('id_number', '13812345678'));
  });

  it('rotates: new key becomes active, old ciphertext still reads, blind index unchanged', () => {
    const dir = tempDir();
    const before = new Vault(loadKeyring({ masterKey: null, dataDir: dir }).keyring);
    const old = before.encrypt('secret');
    const kid = addKeyToFile(dir);
    const after = new Vault(loadKeyring({ masterKey: null, dataDir: dir }).keyring);
    expect(after.activeKeyId).toBe(kid);
    expect(after.decrypt(old)).toBe('secret');
    expect(after.keyIdOf(after.encrypt('x'))).toBe(kid);
    expect(after.blindIndex('phone', '1')).toBe(before.blindIndex('phone', '1'));
    expect(fs.statSync(path.join(dir, 'vault.keys')).mode & 0o777).toBe(0o600);
  });

  it('refuses a malformed master key, naming the source', () => {
    expect(() => loadKeyring({ masterKey: 'short', dataDir: tempDir() })).toThrow(/LINLI_MASTER_KEY/);
  });

  it('masks as the staff console shows them', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110***********002X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
