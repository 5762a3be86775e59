// Build the web app once before the browser tests (the server serves web/dist).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup() {
  if (process.env.LINLI_E2E_SKIP_BUILD === '1') return;
  const r = spawnSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('vite build failed');
}
