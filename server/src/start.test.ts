// `npm start` as a newcomer runs it: bin/start.mjs bundles the server (server/dist/main.mjs) and
// runs it; on an empty data directory it seeds the demo, serves the API and the console, prints
// the demo logins, and the demo admin can sign in. Tests otherwise run the TypeScript sources, so
// this is the one that proves the bundle works.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from './modules/devices/mqtt.fixtures.js';
import { tempDir } from './test/db.js';
import { DEMO_PASSWORD } from './seed/seed.js';

describe('npm start (bin/start.mjs)', () => {
  let proc: ChildProcess | null = null;
  const dir = tempDir('linli-start-');
  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc!.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bundles and starts the server, seeds the demo, serves API and console, and the demo admin signs in', async () => {
    const port = await freePort();
    const mqttPort = await freePort();
    let out = '';
    proc = spawn(process.execPath, [path.resolve('bin/start.mjs')], {
      env: {
        ...process.env,
        LINLI_DATA_DIR: dir,
        LINLI_PORT: String(port),
        LINLI_HOST: '',
        LINLI_MQTT_PORT: String(mqttPort),
        LINLI_DEMO_SIMULATE: '0',
        LINLI_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () =>
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      170_000,
      250,
    ).catch(() => {
      throw new Error(`not ready; output:\n${out}`);
    });
    expect(fs.existsSync(path.resolve('server/dist/main.mjs'))).toBe(true);
    await waitFor(() => out.includes('Demo logins'), 10_000);
    expect(out).toContain(`password 密码: ${DEMO_PASSWORD}`);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = /linli_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const places = await fetch(`${base}/api/v1/places/tree`, { headers: { cookie } });
    expect(places.status).toBe(200);
    expect(JSON.stringify(await places.json())).toContain('花家地社区');
    if (fs.existsSync(path.resolve('web/dist/index.html'))) {
      const page = await fetch(`${base}/residents`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      // an unknown machine-facing path is a problem+json 404, never the web app's page
      for (const p of ['/api/v1/nothing-here', '/ngsi-ld/v1/nothing-here', '/fhir/r4/nothing-here']) {
        const missing = await fetch(`${base}${p}`);
        expect(missing.status, p).toBe(404);
        expect(missing.headers.get('content-type'), p).toContain('application/problem+json');
      }
    }
  }, 200_000);

  it('refuses to listen on a non-loopback address while the demo accounts have the demo password', async () => {
    // the data directory seeded by the test above; the server there is still running
    const port = await freePort();
    const exposed = spawn(process.execPath, [path.resolve('bin/start.mjs')], {
      env: {
        ...process.env,
        LINLI_DATA_DIR: dir,
        LINLI_PORT: String(port),
        LINLI_HOST: '0.0.0.0',
        LINLI_MQTT_PORT: '0',
        LINLI_DEMO_SIMULATE: '0',
        LINLI_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    exposed.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => exposed.once('exit', (c) => r(c)));
    expect(code, err).toBe(2);
    expect(err).toContain('Refusing to listen on 0.0.0.0');
    expect(err).toContain(DEMO_PASSWORD);
    expect(err).toMatch(/\badmin\b/);
    expect(err).toContain('LINLI_HOST');
    expect(
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => 'up',
        () => 'down',
      ),
    ).toBe('down');
  }, 120_000);
});
