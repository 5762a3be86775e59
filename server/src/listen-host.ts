// LINLI_HOST: the address `npm start` listens on (HTTP and the embedded MQTT broker).
// Loopback by default: a fresh install holds demo accounts whose password is printed in the README,
// so it is reachable from this machine only until someone decides to expose it (docs/security/http.md).
import net from 'node:net';
import { ConfigError } from './kernel/config-error.js';

export const DEFAULT_HOST = '127.0.0.1';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export function listenHost(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') return DEFAULT_HOST;
  const h = raw.trim();
  if (net.isIP(h) || HOST_NAME.test(h)) return h;
  throw new ConfigError('LINLI_HOST', `must be an IP address (127.0.0.1, 0.0.0.0, ::, 192.168.1.10) or a host name, got "${raw}"`);
}

/** Only this machine can connect (a host name other than localhost counts as exposed). */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}
