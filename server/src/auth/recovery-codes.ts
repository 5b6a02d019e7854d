// One-time recovery codes: ten per user, 80 random bits each (xxxx-xxxx-xxxx-xxxx in base32),
// shown once and stored as SHA-256 (80 bits leave nothing to brute-force from a hash).
import { Secret } from 'otpauth';
import { hashToken } from './tokens.js';

export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    new Secret({ size: 10 }).base32.toLowerCase().match(/.{4}/g)!.join('-'));
}

/** Case, spaces and dashes do not matter when the code is typed back. */
export function hashRecoveryCode(code: string): string | null {
  const normal = code.toLowerCase().replace(/[\s-]+/g, '');
  if (!/^[a-z2-7]{16}$/.test(normal)) return null;
  return hashToken(`recovery:${normal}`);
}
