// npm run cluster -- --nodes 3: PostgreSQL, Mosquitto, NATS and HAProxy in front of N app nodes on
// this machine (cluster.ts). Ctrl-C stops the nodes and the proxy and drops the database.
import { Command } from 'commander';
import { DEMO_PASSWORD } from '../seed/seed.js';
import { startCluster } from './cluster.js';

const o = new Command('cluster')
  .option('--nodes <n>', 'app nodes', '3')
  .option('--port <port>', 'HAProxy listens here', '18000')
  .option('--base-port <port>', 'node i listens on base-port + i', '18081')
  .option('--pg <url>', 'PostgreSQL server', process.env.LINLI_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres')
  .option('--mqtt <url>', 'MQTT broker', process.env.LINLI_TEST_MQTT_URL || 'mqtt://127.0.0.1:1883')
  .option('--nats <url>', 'NATS', process.env.LINLI_TEST_NATS_URL || 'nats://127.0.0.1:4222')
  .option('--keep-database', 'keep the database when stopping')
  .parse()
  .opts();

const nodes = Number(o.nodes);
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) throw new Error('--nodes must be a whole number from 1 to 16');
const cluster = await startCluster({
  nodes,
  pgUrl: o.pg,
  mqttUrl: o.mqtt,
  natsUrl: o.nats,
  proxyPort: Number(o.port),
  basePort: Number(o.basePort),
  seedDemo: true,
  keepDatabase: !!o.keepDatabase,
  log: (l) => console.log(l),
});
console.log(`\nLinli cluster: ${cluster.url} (demo logins: admin, staff, property … / ${DEMO_PASSWORD})`);
console.log(`database ${cluster.databaseUrl}; node logs in ${cluster.dir}; Ctrl-C stops`);
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
await cluster.stop();
