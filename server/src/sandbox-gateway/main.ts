// The sandbox gateway as its own process:
//   tsx server/src/sandbox-gateway/main.ts --dir DIR [--port N] --merchant APP_ID:SELLER_ID:PUBLIC_KEY_FILE
// Prints one line `SANDBOX_READY {"url":…,"publicKey":…}` when it listens.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { startSandboxGateway } from './server.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    merchant: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.dir) {
  process.stderr.write('sandbox-gateway: --dir is required\n');
  process.exit(2);
}
const merchants = values.merchant!.map((m) => {
  const [appId, sellerId, file] = m.split(':');
  return { appId, sellerId, publicKey: fs.readFileSync(file, 'utf8') };
});
const gw = await startSandboxGateway({
  dir: values.dir,
  port: Number(values.port),
  host: values.host,
  merchants,
  log: (msg) => process.stderr.write(`sandbox-gateway: ${msg}\n`),
});
process.stdout.write(`SANDBOX_READY ${JSON.stringify({ url: gw.url, publicKey: gw.publicKey })}\n`);
// end with the parent: when Linli stops, so does its sandbox
process.stdin.on('end', () => void gw.close().then(() => process.exit(0)));
process.stdin.resume();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void gw.close().then(() => process.exit(0)));
