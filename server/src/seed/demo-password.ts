// `npm start` refuses to listen on a non-loopback address while demo accounts still sign in with
// the public demo password (it is in the README and the start banner).
import { verify as argonVerify } from '@node-rs/argon2';
import type { Kernel } from '../kernel/index.js';
import { isLoopback } from '../listen-host.js';
import { DEMO_PASSWORD } from './seed.js';

// The demo seed creates its eleven accounts first, on an empty database; accounts made later by
// people are not demo accounts (and their passwords are checked on creation).
const EARLIEST_ACCOUNTS = 20;

/** The enabled accounts among the earliest ones whose stored hash verifies the demo password. */
export async function accountsWithDemoPassword(k: Kernel): Promise<string[]> {
  const users = await k.db
    .selectFrom('users')
    .select(['id', 'username', 'kind', 'password_hash', 'disabled'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(EARLIEST_ACCOUNTS)
    .execute();
  const weak = await Promise.all(
    users.map(async (u) => (!u.disabled && u.password_hash && (await argonVerify(u.password_hash, DEMO_PASSWORD).catch(() => false)) ? u : null)),
  );
  return weak.filter((u) => u !== null).map((u) => u.username ?? `${u.kind} ${u.id}`);
}

/** Why the server must not listen on this host, or null when it may. */
export async function exposureRefusal(k: Kernel, host: string): Promise<string | null> {
  if (isLoopback(host)) return null;
  const weak = await accountsWithDemoPassword(k);
  if (!weak.length) return null;
  return [
    `Refusing to listen on ${host}: ${weak.length} demo account(s) still have the public demo password "${DEMO_PASSWORD}":`,
    `  ${weak.join(', ')}`,
    'Anyone who can reach this address could sign in as them. Either:',
    '  - sign in as each of them and change the password (Account → Change password), then start again; or',
    '  - start on an empty database with LINLI_SEED_DEMO=false (no demo accounts); or',
    `  - keep LINLI_HOST unset (it defaults to 127.0.0.1, this machine only) to try the demo.`,
    '拒绝在非本机地址上监听：演示账号仍使用公开的演示密码。请先修改这些账号的密码，或不设置 LINLI_HOST（默认仅本机 127.0.0.1）。',
    '',
  ].join('\n');
}
