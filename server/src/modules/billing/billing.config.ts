// Payment gateway settings. With none of LINLI_PAY_* set, Linli pays through the sandbox gateway
// (a separate process it starts on first use, with its own keys). Setting the real merchant's
// values switches to the real gateway: same protocol, same code.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ConfigError } from '../../kernel/config-error.js';

export interface PaymentConfig {
  mode: 'sandbox' | 'gateway';
  gatewayUrl: string | null;
  appId: string | null;
  sellerId: string | null;
  merchantPrivateKey: string | null; // PEM
  gatewayPublicKey: string | null; // PEM
  notifyUrl: string | null;
  orderTimeoutMinutes: number;
}

const VARS = ['LINLI_PAY_GATEWAY_URL', 'LINLI_PAY_APP_ID', 'LINLI_PAY_MERCHANT_PRIVATE_KEY', 'LINLI_PAY_GATEWAY_PUBLIC_KEY', 'LINLI_PAY_NOTIFY_URL'] as const;

/** A PEM given inline or as the path of a file. */
function pem(env: Record<string, string | undefined>, name: string, kind: 'private' | 'public'): string {
  let v = env[name]!.trim();
  if (!v.startsWith('-----BEGIN')) {
    try {
      v = fs.readFileSync(v, 'utf8');
    } catch {
      throw new ConfigError(name, 'must be a PEM key or the path of a readable PEM file');
    }
  }
  try {
    if (kind === 'private') crypto.createPrivateKey(v);
    else crypto.createPublicKey(v);
  } catch {
    throw new ConfigError(name, `is not a valid ${kind} key (PEM)`);
  }
  return v;
}

export function loadPaymentConfig(env: Record<string, string | undefined>): PaymentConfig {
  const raw = env.LINLI_PAY_ORDER_TIMEOUT_MINUTES;
  if (raw !== undefined && raw !== '' && (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1440)) {
    throw new ConfigError('LINLI_PAY_ORDER_TIMEOUT_MINUTES', `must be a whole number between 1 and 1440, got "${raw}"`);
  }
  const orderTimeoutMinutes = raw ? Number(raw) : 15;
  const given = VARS.filter((v) => env[v]);
  if (!given.length)
    return {
      mode: 'sandbox',
      gatewayUrl: null,
      appId: null,
      sellerId: null,
      merchantPrivateKey: null,
      gatewayPublicKey: null,
      notifyUrl: null,
      orderTimeoutMinutes,
    };
  const missing = VARS.find((v) => !env[v]);
  if (missing) throw new ConfigError(missing, `is required once any LINLI_PAY_* gateway setting is given (${given.join(', ')})`);
  for (const v of ['LINLI_PAY_GATEWAY_URL', 'LINLI_PAY_NOTIFY_URL']) {
    try {
      if (!['http:', 'https:'].includes(new URL(env[v]!).protocol)) throw new Error();
    } catch {
      throw new ConfigError(v, `must be an http(s) URL, got "${env[v]}"`);
    }
  }
  return {
    mode: 'gateway',
    gatewayUrl: env.LINLI_PAY_GATEWAY_URL!,
    appId: env.LINLI_PAY_APP_ID!,
    sellerId: env.LINLI_PAY_SELLER_ID || null,
    merchantPrivateKey: pem(env, 'LINLI_PAY_MERCHANT_PRIVATE_KEY', 'private'),
    gatewayPublicKey: pem(env, 'LINLI_PAY_GATEWAY_PUBLIC_KEY', 'public'),
    notifyUrl: env.LINLI_PAY_NOTIFY_URL!,
    orderTimeoutMinutes,
  };
}
