// linli CLI: migrate, seed-demo, user create, audit verify, backup, move-to-postgres, standard export, vault rotate.
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { registerAuditCommands } from './cli-audit.js';
import { registerExchangeCommands } from './cli-exchange.js';
import { registerMoveCommand } from './cli-move.js';
import { addKeyToFile, encryptedColumns, loadKeyring, Vault } from './kernel/vault/index.js';
import { untyped } from './kernel/db/index.js';
import { isSeeded, seedDemo } from './seed/seed.js';
import { loadDemoDevices } from './modules/devices/index.js';
import { loadDemoCameras } from './simulate/demo-cameras.js';
import { simulate } from './simulate/simulator.js';
import { IdentityService, passwordRefusal } from './modules/identity/index.js';
import { roles, type Role } from './kernel/authz/index.js';
import { toJsonSchema } from './modules/registry/standard/standard.js';

async function kernel() {
  const config = loadConfig();
  const { app, kernel } = await buildApp({ config, logger: pino({ level: process.env.LINLI_LOG_LEVEL || 'warn' }) });
  return { app, kernel, config };
}

const program = new Command('linli').description('Linli (邻里) smart-community platform');

program
  .command('migrate')
  .description('apply database migrations')
  .action(async () => {
    const { app } = await kernel(); // buildApp migrates
    console.log('migrations applied');
    await app.close();
  });

program
  .command('seed-demo')
  .description('seed the demo community (only into an empty database)')
  .action(async () => {
    const { app, kernel: k } = await kernel();
    if (await isSeeded(k)) console.log('the database already has data; nothing seeded');
    else {
      const logins = await seedDemo(k);
      console.log(`seeded; demo logins: ${logins.map((l) => l.username ?? l.phone).join(', ')}`);
    }
    await app.close();
  });

program
  .command('simulate')
  .description("connect as the demo devices to the running app's MQTT broker and publish telemetry with injected faults (Ctrl-C stops)")
  .option('--url <url>', 'broker URL (default LINLI_MQTT_URL or mqtt://127.0.0.1:$LINLI_MQTT_PORT)')
  .option('--fault-every <seconds>', 'a fault every this many seconds on average', '90')
  .option('--interval <seconds>', 'each device publishes this often', '5')
  .action(async (o) => {
    const config = loadConfig();
    const brokerUrl = o.url ?? config.mqttUrl ?? (config.mqttPort ? `mqtt://127.0.0.1:${config.mqttPort}` : null);
    if (!brokerUrl) throw new Error('no broker: the embedded broker is off (LINLI_MQTT_PORT=0) and LINLI_MQTT_URL is not set; give --url');
    const faultEvery = Number(o.faultEvery);
    const interval = Number(o.interval);
    if (!(faultEvery > 0) || !(interval > 0)) throw new Error('--fault-every and --interval must be positive numbers of seconds');
    // the database and vault key only to list the demo devices and derive their secrets
    const { app, kernel: k } = await kernel();
    const devices = [...(await loadDemoDevices(k)), ...(await loadDemoCameras(k))]; // cameras post a camera event now and then
    await app.close();
    if (!devices.length) throw new Error('no demo devices in this database: seed the demo into an empty database first (linli seed-demo)');
    const log = {
      info: (_o: object, msg?: string) => console.log(`${new Date().toLocaleTimeString()} ${msg ?? ''}`),
      warn: (o: object, msg?: string) => console.warn(`${new Date().toLocaleTimeString()} ${msg ?? ''} ${JSON.stringify(o)}`),
    };
    const ac = new AbortController();
    const sim = await simulate({
      brokerUrl,
      devices,
      faultEveryMs: faultEvery * 1000,
      intervalMs: interval * 1000,
      summaryEveryMs: 10_000,
      signal: ac.signal,
      log,
    });
    console.log(`simulating ${devices.length} demo devices; Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sim.stop();
    console.log(`stopped after ${sim.stats.published} messages and ${sim.stats.faults.length} fault(s)`);
  });

const user = program.command('user').description('accounts');
user
  .command('create')
  .description('create a staff account and grant it a role')
  .requiredOption('--username <name>')
  .requiredOption('--name <displayName>')
  .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
  .option('--place <placeId>', 'place the role is granted on (not for platform_admin)')
  .option('--password <password>', 'at least 10 characters, hard to guess, without the username or name (or set LINLI_NEW_PASSWORD)')
  .action(async (o) => {
    const password = o.password ?? process.env.LINLI_NEW_PASSWORD;
    if (!password) throw new Error('give --password or LINLI_NEW_PASSWORD');
    if (!roles.includes(o.role)) throw new Error(`unknown role ${o.role}; one of ${roles.join(', ')}`);
    const refused = passwordRefusal(password, { username: o.username, displayName: o.name });
    if (refused) throw new Error(refused);
    const { app, kernel: k } = await kernel();
    try {
      const svc = new IdentityService(k);
      const u = await svc.createStaffUser({ username: o.username, displayName: o.name, password }, null);
      await svc.addGrant(u.id, o.role as Role, o.place ?? null, null);
      console.log(`created ${u.username} (${u.id}) as ${o.role}`);
    } finally {
      await app.close();
    }
  });

registerAuditCommands(program, kernel, () => loadConfig());
registerExchangeCommands(program, kernel);
registerMoveCommand(program, () => loadConfig());

program
  .command('backup')
  .description('consistent copy of the SQLite database while the app runs (PostgreSQL: prints the pg_dump command)')
  .option('--out <file>', 'target file')
  .action(async (o) => {
    const config = loadConfig();
    if (config.databaseUrl) {
      const u = new URL(config.databaseUrl);
      console.log(
        `PostgreSQL: run\n  pg_dump --format=custom --file=linli-$(date +%F).dump "${u.protocol}//${u.username ? u.username + '@' : ''}${u.host}${u.pathname}"`,
      );
      console.log('and keep the vault key (LINLI_MASTER_KEY or data/vault.keys) with the backup, apart from it.');
      console.log('Keep the audit signing key (LINLI_AUDIT_SIGNING_KEY or data/audit-signing.key) apart from it too.');
      return;
    }
    const src = path.join(config.dataDir, 'linli.db');
    if (!fs.existsSync(src)) throw new Error(`no database at ${src}`);
    const out = path.resolve(o.out ?? path.join(config.dataDir, 'backups', `linli-${new Date().toISOString().replace(/[:.]/g, '-')}.db`));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(src, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    await db.backup(out); // SQLite online backup API: consistent while others write
    db.close();
    console.log(`backup written to ${out}`);
    console.log(`keep the vault key file ${path.join(config.dataDir, 'vault.keys')} safe too (store it apart from the backup).`);
    console.log(
      `and the audit signing key ${path.join(config.dataDir, 'audit-signing.key')} (unless LINLI_AUDIT_SIGNING_KEY is set), also apart from the backup.`,
    );
  });

const standard = program.command('standard').description('the unified data standard');
standard
  .command('export')
  .description('print the data standard as JSON Schema')
  .option('--out <file>')
  .action((o) => {
    const json = JSON.stringify(toJsonSchema(), null, 2);
    if (o.out) fs.writeFileSync(o.out, json + '\n');
    else process.stdout.write(json + '\n');
  });

const vault = program.command('vault').description('personal-data encryption keys');
vault
  .command('rotate')
  .description('add a new active key (key file) and re-encrypt every sensitive column under it')
  .action(async () => {
    const config = loadConfig();
    if (!config.masterKey) {
      const kid = addKeyToFile(config.dataDir);
      console.log(`new active key ${kid} added to ${path.join(config.dataDir, 'vault.keys')}`);
    } else console.log('LINLI_MASTER_KEY is set: re-encrypting under its first (active) key; put the new key first and keep the old ones after it');
    const { app, kernel: k } = await kernel();
    const v = new Vault(loadKeyring({ masterKey: config.masterKey, dataDir: config.dataDir }).keyring);
    let n = 0;
    for (const t of encryptedColumns) {
      let after = '';
      for (;;) {
        const rows = await untyped(k.db)
          .selectFrom(t.table)
          .select([t.idColumn, ...t.columns])
          .where(t.idColumn, '>', after)
          .orderBy(t.idColumn)
          .limit(1000)
          .execute();
        if (!rows.length) break;
        await k.db.transaction().execute(async (tx) => {
          for (const r of rows) {
            const patch: Record<string, string> = {};
            for (const c of t.columns) {
              const value = r[c] as string | null;
              if (value && v.keyIdOf(value) !== v.activeKeyId) patch[c] = v.encrypt(v.decrypt(value));
            }
            if (Object.keys(patch).length) {
              await untyped(tx).updateTable(t.table).set(patch).where(t.idColumn, '=', r[t.idColumn]).execute();
              n++;
            }
          }
        });
        after = rows[rows.length - 1][t.idColumn] as string;
      }
    }
    await k.audit.record({
      actorId: null,
      actorName: 'cli',
      action: 'vault.rotate',
      targetType: 'system',
      targetId: null,
      detail: { activeKey: v.activeKeyId, rows: n },
    });
    await app.close();
    console.log(`re-encrypted ${n} row(s) under key ${v.activeKeyId}`);
  });

program.parseAsync(process.argv).catch((e) => {
  console.error(`linli: ${e.message ?? e}`);
  process.exit(1);
});
