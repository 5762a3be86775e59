import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/harness.js';
import { loadConfig } from '../config.js';
import { buildApp } from '../app.js';
import { generateDemo } from './demo-data.js';
import { isSeeded, seedDemo, DEMO_PASSWORD } from './seed.js';
import { login } from '../test/session.js';

describe('demo seed on a real SQLite file', () => {
  it('seeds every role, keeps no plaintext ID number or phone in the database file or the log, and does not reseed', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _e, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const config = loadConfig({ LINLI_DATA_DIR: dir, LINLI_MQTT_PORT: '0', LINLI_LOG_LEVEL: 'debug' });
    const { app, kernel } = await buildApp({ config, logger: pino({ level: 'debug' }, sink) });
    await app.ready();
    expect(await isSeeded(kernel)).toBe(false);
    const logins = await seedDemo(kernel);
    expect(new Set(logins.map((l) => l.role)).size).toBe(10);

    // exercise paths that log: sign-ins, a one-time code, searches by phone and ID number
    const demo = generateDemo();
    const resident = logins.find((l) => l.role === 'resident')!;
    await app.inject({ method: 'POST', url: '/api/v1/auth/otp/request', payload: { phone: resident.phone } });
    const staff = await login(app, 'admin', DEMO_PASSWORD); // platform-wide, so any demo resident is in scope
    const someone = demo.residents.find((r) => r.phone)!;
    const found = await staff.get(`/api/v1/residents?phone=${someone.phone}`);
    const byId = await staff.get(`/api/v1/residents?idNumber=${someone.idNumber}`);
    expect(found.json.total + byId.json.total).toBeGreaterThan(0);
    const count = await kernel.db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(count!.n)).toBe(demo.residents.length);
    await app.close();

    const bytes = Buffer.concat(
      ['linli.db', 'linli.db-wal']
        .map((f) => path.join(dir, f))
        .filter(fs.existsSync)
        .map((f) => fs.readFileSync(f)),
    );
    const log = lines.join('');
    expect(log).toContain('SMS NOT SENT');
    const leaks: string[] = [];
    for (const r of demo.residents) {
      for (const secret of [r.idNumber, r.phone].filter((x): x is string => !!x)) {
        if (bytes.includes(Buffer.from(secret))) leaks.push(`db:${secret}`);
        if (log.includes(secret)) leaks.push(`log:${secret}`);
      }
    }
    expect(leaks).toEqual([]);

    // restart on the same data directory: data kept, no reseed
    const again = await buildApp({ config, logger: pino({ level: 'silent' }) });
    expect(await isSeeded(again.kernel)).toBe(true);
    const c2 = await again.kernel.db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(c2!.n)).toBe(demo.residents.length);
    await again.app.close();
  }, 120_000);
});
