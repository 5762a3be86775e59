// `linli move-to-postgres`: see move/move-to-postgres.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from './config.js';
import { moveToPostgres, MoveRefused } from './move/move-to-postgres.js';

export function registerMoveCommand(program: Command, loadConfig: () => Config): void {
  program
    .command('move-to-postgres')
    .description('move this install from its SQLite file to PostgreSQL (stop the app first): copy every table, verify, print the new configuration')
    .requiredOption('--to <url>', 'PostgreSQL URL of an empty database (or one an earlier move filled, with --overwrite)')
    .option('--overwrite', 'replace what an earlier move copied into the target')
    .option('--batch <rows>', 'rows per insert statement', '2000')
    .action(async (o: { to: string; overwrite?: boolean; batch: string }) => {
      const config = loadConfig();
      if (config.databaseUrl) throw new Error('LINLI_DATABASE_URL is set: this install already runs on PostgreSQL');
      const file = path.join(config.dataDir, 'linli.db');
      if (!fs.existsSync(file)) throw new Error(`no SQLite database at ${file} (set LINLI_DATA_DIR)`);
      const batchRows = Number(o.batch);
      if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error('--batch must be a positive whole number');
      try {
        const r = await moveToPostgres({ sqliteFile: file, targetUrl: o.to, config, overwrite: !!o.overwrite, batchRows, progress: (l) => console.log(l) });
        console.log(`copied ${r.rows.toLocaleString('en')} rows of ${r.tables.length} tables in ${r.seconds} s; row counts equal`);
        console.log(`audit log on PostgreSQL: ${r.audit.ok ? 'verified' : 'DOES NOT VERIFY'} (${r.audit.entries} entries)`);
        console.log(`personal data: ${r.decrypted.reduce((s, d) => s + d.checked, 0)} sampled ciphertexts decrypt as before`);
        if (!r.ok) {
          for (const p of r.problems) console.error(`problem: ${p}`);
          process.exitCode = 1;
          return;
        }
        console.log('start the app on PostgreSQL with (keep the data folder: it holds the vault and audit signing keys):');
        for (const line of r.configuration) console.log(`  ${line}`);
      } catch (e) {
        if (e instanceof MoveRefused) {
          console.error(`refused: ${e.message}`);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
    });
}
