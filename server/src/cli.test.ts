import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { tempDir } from './test/harness.js';
import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { buildWorld, buildResident } from './test/fixtures.js';
import { ResidentsService } from './modules/registry/index.js';

const run = promisify(execFile);
const bin = path.resolve('bin/linli.mjs');

async function linli(dir: string, ...args: string[]) {
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, LINLI_DATA_DIR: dir, LINLI_DATABASE_URL: '', LINLI_MASTER_KEY: '', LINLI_LOG_LEVEL: 'silent' },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e: any) {
    return { code: e.code as number, out: String(e.stdout) + String(e.stderr) };
  }
}

describe('linli CLI on a SQLite data directory', () => {
  const dir = tempDir();

  it('migrates, creates a user, verifies the audit chain and names a tampered row', async () => {
    expect((await linli(dir, 'migrate')).out).toContain('migrations applied');
    const created = await linli(dir, 'user', 'create', '--username', 'ops', '--name', '运维', '--role', 'platform_admin', '--password', 'long-enough-pass');
    expect(created.out).toContain('created ops');
    const short = await linli(dir, 'user', 'create', '--username', 'ops2', '--name', 'x', '--role', 'platform_admin', '--password', 'short');
    expect(short.code).not.toBe(0);
    const weak = await linli(dir, 'user', 'create', '--username', 'ops3', '--name', 'x', '--role', 'platform_admin', '--password', '1234567890');
    expect(weak.code).not.toBe(0);
    expect(weak.out).toContain('密码太容易被猜中');
    const personal = await linli(
      dir,
      'user',
      'create',
      '--username',
      'opsadmin',
      '--name',
      'x',
      '--role',
      'platform_admin',
      '--password',
      'opsadmin-long-2026',
    );
    expect(personal.out).toContain('must not contain the username');
    const ok = await linli(dir, 'audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit log OK: \d+ entries/);
    const db = new SQLite(path.join(dir, 'linli.db'));
    db.prepare("update audit_log set actor_name = 'someone else' where seq = 1").run();
    db.close();
    const broken = await linli(dir, 'audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('entry 1 was edited');
  }, 240_000);

  it('backs up a consistent copy and exports the standard', async () => {
    const out = path.join(dir, 'copy.db');
    expect((await linli(dir, 'backup', '--out', out)).out).toContain('backup written');
    const copy = new SQLite(out, { readonly: true });
    expect((copy.prepare("select username from users where username = 'ops'").get() as any).username).toBe('ops');
    copy.close();
    const std = await linli(dir, 'standard', 'export');
    const schema = JSON.parse(std.out);
    expect(schema.$defs.resident.properties.idNumber).toBeDefined();
  }, 240_000);

  it('rotates the vault key and the data still reads', async () => {
    const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_MQTT_PORT: '0' });
    let b = await buildApp({ config, logger: pino({ level: 'silent' }) });
    const w = await buildWorld(b.kernel);
    const r = await buildResident(b.kernel, w.house1, { phone: '13700007777' });
    await b.app.close();
    const rot = await linli(dir, 'vault', 'rotate');
    expect(rot.out).toMatch(/re-encrypted \d+ row\(s\) under key k2/);
    const raw = new SQLite(path.join(dir, 'linli.db'), { readonly: true });
    const row = raw.prepare('select id_number_enc, phone_enc from residents where id = ?').get(r.id) as any;
    raw.close();
    expect(row.id_number_enc.startsWith('v1.k2.')).toBe(true);
    expect(
      fs
        .readFileSync(path.join(dir, 'vault.keys'), 'utf8')
        .split('\n')
        .filter((l) => /^k\d:/.test(l)),
    ).toHaveLength(2);
    b = await buildApp({ config, logger: pino({ level: 'silent' }) });
    const svc = new ResidentsService(b.kernel);
    const found = await svc.residents.byIdBidx(svc.idIndex(r.idNumber));
    expect(b.kernel.vault.decrypt(found!.phone_enc!)).toBe('13700007777');
    await b.app.close();
  }, 240_000);
});
