// bench/registry import: a 100,000-row XLSX imported through the HTTP API (upload, run, poll)
// on SQLite, including validation, encryption, blind indexes, households and audit entries.
// Baseline in the same process: reading the same file with exceljs plus a bare prepared INSERT of
// the same rows (no validation, no encryption). Prints JSON. Not a test.
//
//   npx tsx bench/registry/import.ts [--rows 100000]
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import pino from 'pino';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../../server/src/config.js';
import { buildApp } from '../../server/src/app.js';
import { PlacesService } from '../../server/src/modules/registry/index.js';
import { IdentityService } from '../../server/src/modules/identity/index.js';
import { makeIdNumber } from '../../server/src/modules/registry/standard/id-number.js';
import { readSheet } from '../../server/src/modules/registry/import/parse.js';
import { arg } from './util.js';
import { printResult } from '../result.js';

const ROWS = arg('rows', 100_000);
const dir = path.resolve('bench/.data/import');

async function makeXlsx(file: string) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
  const ws = wb.addWorksheet('居民');
  ws.addRow(['姓名', '身份证号', '手机号', '小区', '楼栋', '单元', '房号', '身份', '与户主关系', '民族']).commit();
  for (let i = 0; i < ROWS; i++) {
    const year = 1940 + (i % 70);
    const id = makeIdNumber(
      String(110101 + Math.floor(i / 28000)),
      `${year}-${String(1 + (Math.floor(i / 1000) % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      String(Math.floor(i / 28) % 1000).padStart(3, '0'),
    );
    const house = Math.floor(i / 3);
    ws.addRow([
      `居民${i}`,
      id,
      `15${String(i).padStart(9, '0')}`,
      `小区${house % 10}`,
      `${1 + (Math.floor(house / 10) % 20)}号楼`,
      `${1 + (Math.floor(house / 200) % 4)}单元`,
      String(101 + (Math.floor(house / 800) % 3000)),
      i % 3 === 0 ? '业主' : '家庭成员',
      i % 3 === 0 ? '户主' : '配偶',
      '汉族',
    ]).commit();
  }
  await wb.commit();
}

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'residents.xlsx');
  await makeXlsx(file);
  const data = fs.readFileSync(file);

  // ---- baseline: exceljs read + bare inserts ----
  let t = performance.now();
  const sheet = await readSheet(data, 'residents.xlsx');
  const parseMs = performance.now() - t;
  const bare = new SQLite(path.join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.exec('create table r (id integer primary key, name text, id_number text unique, phone text, estate text, building text, unit text, house text)');
  const ins = bare.prepare('insert into r (name, id_number, phone, estate, building, unit, house) values (?, ?, ?, ?, ?, ?, ?)');
  t = performance.now();
  bare.transaction(() => {
    for (const r of sheet.rows) ins.run(...r.cells.slice(0, 7));
  })();
  const bareInsertMs = performance.now() - t;
  bare.close();

  // ---- Linli: through the HTTP API ----
  const config = loadConfig({ LINLI_DATA_DIR: path.join(dir, 'app'), LINLI_LOG_LEVEL: 'silent', LINLI_MQTT_PORT: '0' });
  const { app, kernel } = await buildApp({ config, logger: pino({ level: 'silent' }), rateLimit: 10_000_000 });
  const places = new PlacesService(kernel);
  const region = await places.insertPlace({ kind: 'region', name: '基准区', code: '110105', regionLevel: 'district' }, null);
  const community = await places.insertPlace({ kind: 'community', name: '基准社区' }, region);
  const id = new IdentityService(kernel);
  const u = await id.createStaffUser({ username: 'bench', displayName: 'bench', password: 'bench-password-1' }, null);
  await id.addGrant(u.id, 'community_staff', community.id, null);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password: 'bench-password-1' }),
  });
  const cookie = /linli_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
  const csrf = ((await login.json()) as any).csrfToken;
  const headers = { cookie, 'x-csrf-token': csrf };

  t = performance.now();
  const form = new FormData();
  form.append('kind', 'residents');
  form.append('communityId', community.id);
  form.append('file', new Blob([data]), 'residents.xlsx');
  const up = (await (await fetch(`${base}/api/v1/imports`, { method: 'POST', headers, body: form })).json()) as any;
  const uploadMs = performance.now() - t;
  const runRes = await fetch(`${base}/api/v1/imports/${up.id}/run`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ mapping: up.mapping, dryRun: false }),
  });
  if (runRes.status !== 202) throw new Error(`run: ${runRes.status} ${await runRes.text()}`);
  let status: any;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    status = await (await fetch(`${base}/api/v1/imports/${up.id}`, { headers })).json();
    if (status.status === 'done' || status.status === 'failed') break;
  }
  const totalMs = performance.now() - t;
  const count = Number((kernel.database.sqlite!.prepare('select count(*) n from residents').get() as any).n);
  await app.close();

  const baselineMs = parseMs + bareInsertMs;
  printResult(
    JSON.stringify(
      {
        bench: 'registry.import',
        rows: ROWS,
        fileMb: +(data.length / 1048576).toFixed(1),
        node: process.version,
        linli: {
          uploadAndParseSeconds: +(uploadMs / 1000).toFixed(1),
          totalSeconds: +(totalMs / 1000).toFixed(1),
          status: status.status,
          imported: status.imported,
          rejected: status.rejected,
          residentsInDb: count,
        },
        baseline: {
          exceljsReadSeconds: +(parseMs / 1000).toFixed(1),
          bareInsertSeconds: +(bareInsertMs / 1000).toFixed(1),
          totalSeconds: +(baselineMs / 1000).toFixed(1),
        },
        ratio: +(totalMs / baselineMs).toFixed(1),
        target: '100,000 rows imported in <= 30 s including encryption',
      },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
