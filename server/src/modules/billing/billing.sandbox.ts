// Starts the sandbox gateway (server/src/sandbox-gateway) as a child process the first time a
// payment needs it, with a merchant key pair Linli keeps in its data directory. The child ends
// with Linli (it watches its stdin).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Kernel } from '../../kernel/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { AlipayGateway, type PaymentGateway } from './billing.gateway.js';

export const SANDBOX_APP_ID = 'linli-sandbox';
export const SANDBOX_SELLER_ID = '2088000000000001';

const root = projectRoot;

function merchantKeys(dir: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const priv = path.join(dir, 'merchant-private.pem');
  const pub = path.join(dir, 'merchant-public.pem');
  if (!fs.existsSync(priv)) {
    const kp = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    fs.writeFileSync(priv, kp.privateKey, { mode: 0o600 });
    fs.writeFileSync(pub, kp.publicKey);
  }
  return { privateKey: fs.readFileSync(priv, 'utf8'), publicKeyFile: pub };
}

export class SandboxLauncher {
  private child: ChildProcess | null = null;
  private started: Promise<{ gateway: PaymentGateway; url: string }> | null = null;

  constructor(private k: Kernel) {}

  gateway(): Promise<{ gateway: PaymentGateway; url: string }> {
    this.started ??= this.start().catch((e) => {
      this.started = null;
      throw e;
    });
    return this.started;
  }

  private start(): Promise<{ gateway: PaymentGateway; url: string }> {
    const m = merchantKeys(path.join(this.k.config.dataDir, 'payment'));
    const args = [
      '--import',
      'tsx',
      path.join(root, 'server/src/sandbox-gateway/main.ts'),
      '--dir',
      path.join(this.k.config.dataDir, 'sandbox-gateway'),
      '--merchant',
      `${SANDBOX_APP_ID}:${SANDBOX_SELLER_ID}:${m.publicKeyFile}`,
    ];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (d) => this.k.log.warn(String(d).trim()));
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('sandbox gateway did not start within 30 s')), 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        this.child = null;
        this.started = null;
        reject(new Error(`sandbox gateway exited (${code})`));
      });
      child.stdout!.on('data', (d) => {
        out += String(d);
        const line = /SANDBOX_READY (.+)\n/.exec(out);
        if (!line) return;
        clearTimeout(timer);
        const { url, publicKey } = JSON.parse(line[1]);
        this.k.log.info(`billing: sandbox payment gateway at ${url}`);
        resolve({
          url,
          gateway: new AlipayGateway({
            gatewayUrl: url,
            appId: SANDBOX_APP_ID,
            sellerId: SANDBOX_SELLER_ID,
            merchantPrivateKey: m.privateKey,
            gatewayPublicKey: publicKey,
          }),
        });
      });
    });
  }

  stop() {
    const c = this.child;
    this.child = null;
    this.started = null;
    if (c) {
      c.stdin?.end();
      c.kill('SIGTERM');
    }
  }
}
