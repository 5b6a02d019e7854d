// argon2id password hashes (@node-rs/argon2), with the cost taken from config.
import { hash, verify } from '@node-rs/argon2';
import type { Config } from '../config.js';
import { isCommonPassword } from './common-passwords.js';

// Algorithm.Argon2id; the const enum is not importable under isolatedModules.
const ARGON2ID = 2;

export function hashPassword(password: string, config: Config): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: config.argon2.memoryCost, timeCost: config.argon2.timeCost });
}

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) return false;
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash that never verifies, checked against when the user is unknown so timing does not reveal it. */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0000000000000000000000000000000000000000000';

/** The reason a password is refused, or null. Length first, then the common list, then personal data. */
export function checkPasswordPolicy(password: string, config: Pick<Config, 'passwordMinLength'>, user: { username: string; email: string }): string | null {
  if (password.length < config.passwordMinLength) {
    return `The password must be at least ${config.passwordMinLength} characters long.`;
  }
  if (isCommonPassword(password)) return 'This password is one of the most commonly used ones; choose another.';
  const lower = password.toLowerCase();
  if (lower.includes(user.username.toLowerCase())) return 'The password must not contain the username.';
  const local = user.email.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) return 'The password must not contain the email address.';
  return null;
}
