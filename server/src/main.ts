// `npm start`: migrate, seed the demo on an empty database, serve API + web, embedded MQTT.
import pino from 'pino';
import { loadConfig, ConfigError, type Config } from './config.js';
import { buildApp } from './app.js';
import { ingestPipeline } from './modules/devices/index.js';
import { startMqttTransport } from './modules/devices/mqtt.transport.js';
import { isSeeded, seedDemo, demoLogins, type DemoLogin } from './seed/seed.js';
import { loadDemoDevices } from './modules/devices/index.js';
import { exposureRefusal } from './seed/demo-password.js';
import { loadDemoCameras } from './simulate/demo-cameras.js';
import { simulate, type SimulatorHandle } from './simulate/simulator.js';

const roleNames: Record<string, string> = {
  platform_admin: '平台管理员 platform admin',
  gov_supervisor: '政府督导 government supervisor',
  community_staff: '社区工作者 community staff',
  property_manager: '物业经理 property manager',
  technician: '维修技师 technician',
  security_guard: '保安 security guard',
  doctor: '社区医生 doctor',
  department_officer: '部门人员 department officer',
  service_provider: '服务商 service provider',
  resident: '居民 resident',
};

function banner(config: Config, logins: DemoLogin[], mqtt: number | null) {
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    '  邻里 Linli is running',
    `  Console  控制台   ${url}/`,
    `  Portal   居民端   ${url}/portal`,
    `  API docs 接口文档 ${url}/api/docs`,
    `  Database 数据库   ${config.databaseUrl ? 'PostgreSQL' : `SQLite ${config.dataDir}/linli.db`}`,
    `  MQTT             ${config.mqttUrl ?? (mqtt ? `embedded broker on port ${mqtt}` : 'embedded broker off')}`,
    '',
    '  Demo logins 演示账号 (password 密码: ' + (logins[0]?.password ?? '-') + ')',
    ...logins.map(
      (l) => `    ${(roleNames[l.role] ?? l.role).padEnd(34)} ${l.username ? `user ${l.username}` : `phone ${l.phone} (or a one-time code)`}  — ${l.scope}`,
    ),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Configuration error — ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = process.stdout.isTTY
    ? pino({ level: config.logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } })
    : pino({ level: config.logLevel });
  const { app, kernel } = await buildApp({ config, logger: log, startJobs: true });
  if (!(await isSeeded(kernel)) && config.seedDemo) {
    log.info('empty database: seeding the demo community…');
    await seedDemo(kernel);
  }
  // not on a non-loopback address while demo accounts have the public demo password (seed/demo-password.ts)
  const refusal = await exposureRefusal(kernel, config.host);
  if (refusal) {
    process.stderr.write(refusal);
    await app.close();
    process.exit(2);
  }
  // MQTT: device ingest through the embedded broker, or a shared subscription on LINLI_MQTT_URL
  const mqtt = await startMqttTransport(kernel, ingestPipeline(kernel));
  const broker = mqtt.broker;
  await app.listen({ port: config.port, host: config.host });
  banner(config, config.seedDemo ? await demoLogins(kernel) : [], broker?.port ?? null);
  // demo mode: the demo devices publish live telemetry (and now and then a fault) to the broker
  let sim: SimulatorHandle | null = null;
  const brokerUrl = config.mqttUrl ?? (broker ? `mqtt://${['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host}:${broker.port}` : null);
  if (config.demoSimulate && brokerUrl) {
    const devices = [...(await loadDemoDevices(kernel)), ...(await loadDemoCameras(kernel))]; // cameras post a camera event now and then
    if (devices.length) {
      log.info(`demo: simulating ${devices.length} devices (LINLI_DEMO_SIMULATE=0 turns this off)`);
      sim = await simulate({ brokerUrl, devices, log: log.child({ module: 'simulator' }) }).catch((err) => {
        log.warn({ err }, 'demo: the device simulator did not start');
        return null;
      });
    }
  }
  const stop = async () => {
    log.info('shutting down');
    await sim?.stop();
    // MQTT first: it stores and acknowledges what it received while the database is still open
    await mqtt.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`Linli failed to start: ${e?.stack ?? e}\n`);
  process.exit(1);
});
