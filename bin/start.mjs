#!/usr/bin/env node
// npm start: build the web app once if it is not built, bundle the server into one JavaScript
// file when its sources changed, then run it in a child process with the V8 settings we measured
// (docs/performance.md). Running the bundle instead of the TypeScript sources through tsx takes
// ~100 MB less memory (no loader thread holding transpiled sources) and starts faster.
// LINLI_RUN_SOURCES=1 runs the sources through tsx instead (no bundle).
import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(root, 'web/dist/index.html'))) {
  console.log('Building the web app (first start only)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Newest modification time of any file under dir (ms). */
function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const bundle = path.join(root, 'server/dist/main.mjs');
let entry = [bundle];
if (process.env.LINLI_RUN_SOURCES === '1') {
  entry = ['--import', import.meta.resolve('tsx'), path.join(root, 'server/src/main.ts')];
} else {
  const lock = path.join(root, 'package-lock.json');
  const sources = Math.max(newest(path.join(root, 'server/src')), fs.existsSync(lock) ? fs.statSync(lock).mtimeMs : 0);
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < sources) {
    const { build } = await import('esbuild');
    // packages stay external: node_modules is loaded as installed (native addons, dynamic imports)
    await build({
      entryPoints: [path.join(root, 'server/src/main.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
  }
  entry = ['--enable-source-maps', bundle];
}
// V8 heap settings for a small machine (docs/performance.md, memory with 10,000 devices): a 16 MB
// semi-space (young generation 32 MB) and a heap that grows by 20 % past its live size instead of
// V8's adaptive factor (up to 4x after a burst such as 10,000 devices connecting at once).
// LINLI_NODE_FLAGS replaces them (e.g. "--max-semi-space-size=32" on a machine with memory to spare).
const nodeFlags = (process.env.LINLI_NODE_FLAGS ?? '--max-semi-space-size=16 --heap-growing-percent=20').split(/\s+/).filter(Boolean);
const child = spawn(process.execPath, [...nodeFlags, ...entry], { cwd: process.cwd(), stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
