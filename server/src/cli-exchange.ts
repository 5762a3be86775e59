// `linli exchange …`: verify the exchange message log offline (the hash chain, the signed
// checkpoints of the chain "exchange", the witness file and exports kept by outside witnesses),
// and export its checkpoints for an outside witness.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { App } from './app.js';
import type { Kernel } from './kernel/index.js';
import type { Config } from './config.js';
import { witnessFileOf } from './kernel/audit/verify.js';
import { exportCheckpoints } from './kernel/audit/checkpoints.verify.js';
import { formatMessageLogReport, messageChain, verifyMessageLog } from './modules/exchange/index.js';

type Boot = () => Promise<{ app: App; kernel: Kernel; config: Config }>;

export function registerExchangeCommands(program: Command, boot: Boot): void {
  const exchange = program.command('exchange').description('data exchange');

  exchange
    .command('verify')
    .description('verify the exchange message log: the hash chain, every signed checkpoint, the witness file, and exports kept by outside witnesses')
    .option('--witness <file...>', 'a checkpoint export kept by an outside witness (from: linli exchange checkpoints --out)')
    .action(async (o: { witness?: string[] }) => {
      const { app, kernel: k, config } = await boot();
      try {
        const r = await verifyMessageLog({ db: k.db, keys: k.checkpoints.keys.publicKeys, witnessFile: witnessFileOf(config), exports: o.witness ?? [] });
        for (const line of formatMessageLogReport(r)) console.log(line);
        if (!r.ok) process.exitCode = 1;
      } finally {
        await app.close();
      }
    });

  exchange
    .command('checkpoints')
    .description('export the signed checkpoints of the message log with the public keys, for an outside witness to keep')
    .option('--out <file>', 'write to this file (default: print)')
    .option('--now', 'make a checkpoint of the current head first')
    .action(async (o: { out?: string; now?: boolean }) => {
      const { app, kernel: k } = await boot();
      try {
        if (o.now) await k.checkpoints.get(messageChain.name).checkpoint(1);
        const doc = await exportCheckpoints(k.db, messageChain.name, k.checkpoints.keys.list(), k.clock.now());
        const json = JSON.stringify(doc, null, 2) + '\n';
        if (o.out) {
          fs.writeFileSync(o.out, json);
          console.log(`${doc.checkpoints.length} checkpoint(s) written to ${path.resolve(o.out)}`);
        } else process.stdout.write(json);
      } finally {
        await app.close();
      }
    });
}
