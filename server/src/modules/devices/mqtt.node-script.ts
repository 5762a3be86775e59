// A Linli ingest node for the Mosquitto tests (kill -9 and restart): the real app on the
// configured database, subscribed to the external broker in LINLI_MQTT_URL. Prints READY once
// subscribed. Test-only; run as `node --import tsx server/src/modules/devices/mqtt.node-script.ts`.
import pino from 'pino';
import { loadConfig } from '../../config.js';
import { buildApp } from '../../app.js';
import { ingestPipeline } from './index.js';
import { startExternalIngest } from './mqtt.transport.js';

const config = loadConfig(process.env);
if (!config.mqttUrl) throw new Error('LINLI_MQTT_URL is required');
const log = pino({ level: config.logLevel });
const { app, kernel } = await buildApp({ config, logger: log });
const pipeline = ingestPipeline(kernel); // the app's own pipeline
const sub = await startExternalIngest(pipeline, { url: config.mqttUrl, nodeId: config.nodeId, log, minReconnectMs: 100, maxReconnectMs: 1000 });
await sub.ready;
process.stdout.write('READY\n');
const stop = async () => {
  await sub.close();
  await app.close(); // closes the pipeline (flush) and the database
  process.stdout.write(`STATS ${JSON.stringify({ pipeline: pipeline.stats, mqtt: sub.stats })}\n`);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
