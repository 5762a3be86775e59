// A process that awaits the writer thread's close (a CLI command, a bench) must not end before the
// thread has answered: the worker is unreferenced while idle, so close() has to hold the process.
// Each case runs in a child process, because only a process of its own can show "it ended early".
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { tempDir } from '../../test/harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../..');
const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');

function runChild(body: string) {
  const dir = tempDir('linli-thread-');
  const script = path.join(dir, 'script.mts');
  fs.writeFileSync(
    script,
    `import SQLite from ${JSON.stringify(pathToFileURL(sqliteModule).href)};
import { SqliteThread } from ${JSON.stringify(path.join(here, 'sqlite-thread.ts'))};
const file = ${JSON.stringify(path.join(dir, 'x.db'))};
const db = new SQLite(file);
db.pragma('journal_mode = WAL');
db.exec('create table t (n integer)');
${body}
`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', cwd: root, timeout: 60_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

describe('worker threads hold the process while awaited', () => {
  it('a process awaiting the writer thread’s close goes on after it', () => {
    const r = runChild(`
const thread = new SqliteThread<number, number>(file, 'function makeWriter(db) { const st = db.prepare("insert into t (n) values (?)"); return (n) => st.run(n).changes; }', 'test writer');
console.log('wrote', await thread.post(7));
await thread.close();
console.log('rows', db.prepare('select count(*) as n from t').get().n);
`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['wrote 1', 'rows 1']);
    expect(r.status).toBe(0);
  });
});
