// Seals the few secrets the server must read back (TOTP seeds) with AES-256-GCM from
// node:crypto, so a copy of the database alone does not reveal them. The key comes from
// PARLEY_SECRET_KEY (set it when several nodes share a database), else from a key file
// created under the data directory, else (an in-memory test server) from a per-process key.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

const VERSION = 'v1';
const keys = new Map<string, Buffer>();

function keyFor(config: Pick<Config, 'secretKey' | 'dataDir'>): Buffer {
  const id = config.secretKey ? `env:${config.secretKey}` : `dir:${config.dataDir}`;
  let key = keys.get(id);
  if (key) return key;
  let material: Buffer;
  if (config.secretKey) {
    material = Buffer.from(config.secretKey, 'utf8');
  } else if (config.dataDir === ':memory:') {
    material = randomBytes(32);
  } else {
    const file = path.join(config.dataDir, 'secret.key');
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    material = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  }
  key = Buffer.from(hkdfSync('sha256', material, 'parley', 'secretbox v1', 32));
  keys.set(id, key);
  return key;
}

export function seal(config: Pick<Config, 'secretKey' | 'dataDir'>, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(config), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The sealed text, or null when it was sealed with another key or tampered with. */
export function unseal(config: Pick<Config, 'secretKey' | 'dataDir'>, sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(config), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

const fingerprintKeys = new WeakMap<Buffer, Buffer>();

/**
 * A short keyed fingerprint of `text` (HMAC-SHA256 under a key derived from the server's, first
 * 12 hex digits): equal texts match, but without the key the text cannot be guessed back from it.
 * For what must be recognisable but not kept, like a login nobody has (actions/sign-in-audit.ts).
 */
export function fingerprint(config: Pick<Config, 'secretKey' | 'dataDir'>, text: string): string {
  const base = keyFor(config);
  let key = fingerprintKeys.get(base);
  if (!key) fingerprintKeys.set(base, (key = Buffer.from(hkdfSync('sha256', base, 'parley', 'fingerprint v1', 32))));
  return createHmac('sha256', key).update(text, 'utf8').digest('hex').slice(0, 12);
}
