// PARLEY_* variables of the hardening features: Redis for shared rate limits, TLS, the admin
// address allowlist and sign-in lockouts. Read by config.ts, which turns a HardeningConfigError
// into its ConfigError.
import fs from 'node:fs';
import type { LockoutConfig } from './brute-force.js';
import { parseAllowlist } from './ip-allowlist.js';

export class HardeningConfigError extends Error {}

export interface TlsConfig {
  certFile: string;
  keyFile: string;
  /** TLSv1.3 unless PARLEY_TLS_MIN_VERSION allows TLSv1.2 for older clients. */
  minVersion: 'TLSv1.2' | 'TLSv1.3';
}

export interface HardeningConfig {
  /** Rate-limit counters shared by every node through Redis; null keeps them in memory. */
  redis: { url: string; prefix: string } | null;
  tls: TlsConfig | null;
  /** Comma-separated networks where admin rights work; null: everywhere. */
  adminAllowlist: string | null;
  loginLockout: LockoutConfig;
}

type Env = Record<string, string | undefined>;

function readable(key: string, file: string): string {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new HardeningConfigError(`${key} names "${file}", which does not exist or cannot be read`);
  }
  return file;
}

function redis(env: Env): HardeningConfig['redis'] {
  const url = env.PARLEY_REDIS_URL?.trim();
  if (!url) return null;
  if (!/^rediss?:\/\/[^\s]+$/.test(url)) throw new HardeningConfigError(`PARLEY_REDIS_URL must start with redis:// or rediss://, got "${url}"`);
  return { url, prefix: env.PARLEY_REDIS_PREFIX?.trim() || 'parley:' };
}

function tls(env: Env): TlsConfig | null {
  const cert = env.PARLEY_TLS_CERT_FILE?.trim();
  const key = env.PARLEY_TLS_KEY_FILE?.trim();
  if (!cert && !key) return null;
  if (!cert || !key) throw new HardeningConfigError('Set both PARLEY_TLS_CERT_FILE and PARLEY_TLS_KEY_FILE to serve HTTPS, or neither');
  const min = env.PARLEY_TLS_MIN_VERSION?.trim() || 'TLSv1.3';
  if (min !== 'TLSv1.2' && min !== 'TLSv1.3') throw new HardeningConfigError(`PARLEY_TLS_MIN_VERSION must be TLSv1.2 or TLSv1.3, got "${min}"`);
  return { certFile: readable('PARLEY_TLS_CERT_FILE', cert), keyFile: readable('PARLEY_TLS_KEY_FILE', key), minVersion: min };
}

function allowlist(env: Env): string | null {
  const raw = env.PARLEY_ADMIN_ALLOWLIST?.trim();
  if (!raw) return null;
  try {
    parseAllowlist(raw);
  } catch (err) {
    throw new HardeningConfigError(`PARLEY_ADMIN_ALLOWLIST: ${(err as Error).message}`);
  }
  return raw;
}

function lockout(env: Env): LockoutConfig {
  const on = env.PARLEY_LOGIN_LOCKOUT?.trim().toLowerCase() || 'true';
  if (!['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(on)) {
    throw new HardeningConfigError(`PARLEY_LOGIN_LOCKOUT must be true or false, got "${env.PARLEY_LOGIN_LOCKOUT}"`);
  }
  const rawMax = env.PARLEY_LOGIN_LOCKOUT_MAX_MINUTES?.trim() || '15';
  const max = /^\d+$/.test(rawMax) ? Number(rawMax) : NaN;
  if (!(max >= 1 && max <= 1440)) {
    throw new HardeningConfigError(`PARLEY_LOGIN_LOCKOUT_MAX_MINUTES must be a whole number of minutes from 1 to 1440, got "${rawMax}"`);
  }
  return { enabled: ['true', '1', 'yes', 'on'].includes(on), maxLockMinutes: max };
}

/**
 * PARLEY_TRUST_PROXY: false (the default: X-Forwarded-For is ignored), true (believed from
 * anyone who can reach Parley), or the reverse proxies' addresses or networks, from which alone
 * it is believed: the safe choice when clients can also reach Parley directly.
 */
export function trustedProxies(env: Env): boolean | string {
  const raw = env.PARLEY_TRUST_PROXY?.trim() ?? '';
  const word = raw.toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(word)) return false;
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  try {
    parseAllowlist(raw);
  } catch (err) {
    throw new HardeningConfigError(`PARLEY_TRUST_PROXY must be true, false, or your proxies' addresses: ${(err as Error).message}`);
  }
  return raw;
}

export function loadHardeningConfig(env: Env): HardeningConfig {
  return { redis: redis(env), tls: tls(env), adminAllowlist: allowlist(env), loginLockout: lockout(env) };
}
