// npm run bench:registry — both registry benchmarks, one after the other.
import { spawnSync } from 'node:child_process';

for (const script of ['bench/registry/search.ts', 'bench/registry/import.ts']) {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
