// `linli audit …`: verify the log and its signed checkpoints, export the checkpoints for an
// outside witness, and manage the checkpoint signing key.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { App } from './app.js';
import type { Kernel } from './kernel/index.js';
import type { Config } from './config.js';
import { formatAuditReport, auditChain, verifyAudit, witnessFileOf } from './kernel/audit/verify.js';
import { exportCheckpoints } from './kernel/audit/checkpoints.verify.js';
import { newPrivateKeyBase64, publicKeyBase64Of, rotateSigningKeyFile, signingKeyFilePath, keyIdOf } from './kernel/audit/signing.js';

type Boot = () => Promise<{ app: App; kernel: Kernel; config: Config }>;

export function registerAuditCommands(program: Command, boot: Boot, loadConfig: () => Config): void {
  const audit = program.command('audit').description('audit log');

  audit
    .command('verify')
    .description('verify the audit log: the hash chain, every signed checkpoint, the witness file, and exports kept by outside witnesses')
    .option('--witness <file...>', 'a checkpoint export kept by an outside witness (from: linli audit checkpoints --out)')
    .action(async (o: { witness?: string[] }) => {
      const { app, kernel: k, config } = await boot();
      try {
        const r = await verifyAudit({ db: k.db, keys: k.checkpoints.keys.publicKeys, witnessFile: witnessFileOf(config), exports: o.witness ?? [] });
        for (const line of formatAuditReport(r)) console.log(line);
        if (!r.ok) process.exitCode = 1;
      } finally {
        await app.close();
      }
    });

  audit
    .command('checkpoints')
    .description('export the signed checkpoints with the public keys, for an outside witness to keep')
    .option('--out <file>', 'write to this file (default: print)')
    .option('--now', 'make a checkpoint of the current head first')
    .action(async (o: { out?: string; now?: boolean }) => {
      const { app, kernel: k } = await boot();
      try {
        if (o.now) await k.checkpoints.get(auditChain.name).checkpoint(1);
        const doc = await exportCheckpoints(k.db, auditChain.name, k.checkpoints.keys.list(), k.clock.now());
        const json = JSON.stringify(doc, null, 2) + '\n';
        if (o.out) {
          fs.writeFileSync(o.out, json);
          const last = doc.checkpoints.at(-1);
          console.log(`${doc.checkpoints.length} checkpoint(s) written to ${path.resolve(o.out)}${last ? `, the last at entry ${last.seq}` : ''}`);
        } else process.stdout.write(json);
      } finally {
        await app.close();
      }
    });

  audit
    .command('rotate-key')
    .description('sign checkpoints with a new key from now on; the old key stays as a public key so its checkpoints still verify')
    .action(async () => {
      const config = loadConfig();
      if (config.audit.signingKey) {
        const fresh = newPrivateKeyBase64();
        const lines = config.audit.signingKey
          .split('\n')
          .filter((l) => !l.trim().startsWith('#'))
          .flatMap((l) => l.split(','))
          .map((l) => l.trim())
          .filter(Boolean);
        const kept = lines.map((l) => (l.startsWith('public:') ? l : `public:${publicKeyBase64Of(l.replace(/^private:/, ''))}`));
        console.log('LINLI_AUDIT_SIGNING_KEY is set: replace it on every node with (one line, comma-separated):');
        console.log([`private:${fresh}`, ...kept].join(','));
        console.log(
          `new key id ${keyIdOf(Buffer.from(publicKeyBase64Of(fresh), 'base64'))}; then export the checkpoints for your witness (linli audit checkpoints --out …)`,
        );
        return;
      }
      const { keyId, retired } = rotateSigningKeyFile(config.dataDir);
      console.log(`new signing key ${keyId} in ${signingKeyFilePath(config.dataDir)}; key ${retired} is kept as a public key only`);
      console.log('restart the app on every node, then export the checkpoints for your witness (linli audit checkpoints --out …)');
    });

  audit
    .command('new-key')
    .description('print a new signing key for LINLI_AUDIT_SIGNING_KEY (nothing is stored)')
    .action(() => {
      const k = newPrivateKeyBase64();
      console.log(`private:${k}`);
      console.error(`key id ${keyIdOf(Buffer.from(publicKeyBase64Of(k), 'base64'))}`);
    });
}
