// The rules against password guessing: who is counted, and how long each count locks.
//
// How others do it, and why not exactly that:
//   - Mattermost locks an account after N failures until an admin or a reset unlocks it:
//     anyone who knows a username can lock its owner out for good.
//   - GitLab (Devise lockable) locks an account for 10 minutes after 10 failures: temporary,
//     but one attacker still locks the owner out from everywhere, again and again.
//   - Zulip rate-limits attempts per address and per username with temporary buckets.
// Parley counts three scopes, each with its own, always temporary, lock:
//   - the pair (account, address): the common case of one attacker against one account.
//     After PAIR_FREE_FAILURES, each further failure locks the pair for twice as long as the
//     previous one (1 min, 2, 4, ... capped at maxLockMinutes). The owner signing in from
//     anywhere else is not affected at all.
//   - the account, over every address: a distributed guess (a botnet rotating addresses).
//     After ACCOUNT_FAILURES within the counting window the account is locked for
//     maxLockMinutes; the lock expires by itself, a password-reset link lifts it at once, and
//     passkey and SSO sign-in never count or check it (nothing to guess there).
//   - the address, over every account: credential stuffing from one place. After
//     ADDRESS_FAILURES it locks that address only (IPv6 by its /64, which one host usually owns).
// Every attempt is counted as a failure *before* the password is checked and forgiven on
// success, so parallel guesses cannot slip past a lock while it is being decided. Attempts
// refused by a lock are not counted, so an attacker cannot stretch a lock by hammering it.
// Unknown logins are counted exactly like real ones (under the login text), so neither the
// answers nor the locks reveal whether an account exists.
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

export interface LockoutConfig {
  enabled: boolean;
  /** The longest any lock lasts. */
  maxLockMinutes: number;
}

export const PAIR_FREE_FAILURES = 10;
export const ACCOUNT_FAILURES = 30;
export const ADDRESS_FAILURES = 100;
const FIRST_PAIR_LOCK_MS = 60_000;
/** Failures older than this are forgotten: a count starts again after a quiet day. */
export const COUNTING_WINDOW_MS = 24 * 3_600_000;

export type Scope = 'pair' | 'account' | 'address';

/** How long the `failures`-th failure in a scope locks it (0: not at all). */
export function lockAfter(scope: Scope, failures: number, cfg: LockoutConfig): number {
  const cap = cfg.maxLockMinutes * 60_000;
  switch (scope) {
    case 'pair':
      if (failures < PAIR_FREE_FAILURES) return 0;
      return Math.min(cap, FIRST_PAIR_LOCK_MS * 2 ** Math.min(failures - PAIR_FREE_FAILURES, 30));
    case 'account':
      return failures >= ACCOUNT_FAILURES ? cap : 0;
    case 'address':
      if (failures < ADDRESS_FAILURES) return 0;
      return Math.min(cap, FIRST_PAIR_LOCK_MS * 2 ** Math.min(failures - ADDRESS_FAILURES, 30));
  }
}

/** An address as counted: IPv4 (also when mapped into IPv6) as is, IPv6 by its /64. */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':') + '::/64';
}

/**
 * The stored keys of one sign-in attempt. `account` is the user's id when the login names
 * one, else the login text itself (lower-cased), so unknown logins are throttled the same way.
 */
export function throttleKeys(account: string, ip: string): Record<Scope, string> {
  const h = (s: string) => createHash('sha256').update(s).digest('hex');
  const address = addressKey(ip);
  return { pair: h(`pair\n${account}\n${address}`), account: h(`account\n${account}`), address: h(`address\n${address}`) };
}
