#!/usr/bin/env node
// npm start: build the web app once if it is not built, then run the server (TypeScript via
// tsx) in a child process with the V8 settings we measured (docs/performance.md).
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'web/dist/index.html'))) {
  console.log('Building the web app (first start only)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// A larger young generation keeps garbage-collection pauses out of request latency tails.
const child = spawn(process.execPath, ['--max-semi-space-size=32', '--import', import.meta.resolve('tsx'), path.join(root, 'server/src/main.ts')], { cwd: process.cwd(), stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
