// Opaque bearer tokens: 32 random bytes, shown to the client once, stored only as SHA-256.
// (A fast hash is right here: the token has 256 bits of entropy, nothing to brute-force.)
import { createHash, randomBytes } from 'node:crypto';

export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
