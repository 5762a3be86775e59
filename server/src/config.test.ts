import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from './config.js';
import { isLoopback } from './listen-host.js';

describe('configuration from the environment', () => {
  it('listens on loopback unless LINLI_HOST exposes it', () => {
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'linli.example.org']) {
      expect(loadConfig({ LINLI_HOST: h }).host).toBe(h);
      expect(isLoopback(h)).toBe(false);
    }
    for (const h of ['127.0.0.1', '::1', 'localhost', '127.0.1.1']) expect(isLoopback(loadConfig({ LINLI_HOST: h }).host)).toBe(true);
  });

  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', mqttPort: 1883, databaseUrl: null, timeZone: 'Asia/Shanghai' });
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });

  it.each([
    [{ LINLI_PORT: 'eighty' }, 'LINLI_PORT'],
    [{ LINLI_PORT: '70000' }, 'LINLI_PORT'],
    [{ LINLI_MQTT_PORT: '-1' }, 'LINLI_MQTT_PORT'],
    [{ LINLI_DATABASE_URL: 'mysql://x' }, 'LINLI_DATABASE_URL'],
    [{ LINLI_DATABASE_URL: 'not a url' }, 'LINLI_DATABASE_URL'],
    [{ LINLI_NATS_URL: 'http://x' }, 'LINLI_NATS_URL'],
    [{ LINLI_SEED_DEMO: 'maybe' }, 'LINLI_SEED_DEMO'],
    [{ LINLI_TIME_ZONE: 'Mars/Olympus' }, 'LINLI_TIME_ZONE'],
    [{ LINLI_LOG_LEVEL: 'loud' }, 'LINLI_LOG_LEVEL'],
    [{ LINLI_HOST: 'http://0.0.0.0' }, 'LINLI_HOST'],
    [{ LINLI_HOST: '0.0.0.0:8080' }, 'LINLI_HOST'],
    [{ LINLI_HOST: 'my host' }, 'LINLI_HOST'],
  ])('stops on a bad value and names the variable: %o', (env, name) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as Error).message).toContain(name);
  });

  it('accepts a PostgreSQL URL and turns the embedded broker off with 0', () => {
    const c = loadConfig({ LINLI_DATABASE_URL: 'postgres://u@h:5432/db', LINLI_MQTT_PORT: '0' });
    expect(c.databaseUrl).toBe('postgres://u@h:5432/db');
    expect(c.mqttPort).toBe(0);
  });
});
