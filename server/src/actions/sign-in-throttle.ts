// Applies the brute-force rules (security/brute-force.ts) around a credential check:
//   const attempt = await beginSignInAttempt(deps, account, ip);   // 429 while locked
//   ...check the password or code; on failure just throw: the attempt stays counted...
//   await attempt.succeeded({ complete });                          // forgiven
import { verifyPassword } from '../auth/passwords.js';
import { AppError, RetryLaterError } from '../errors.js';
import { COUNTING_WINDOW_MS, lockAfter, throttleKeys, type Scope } from '../security/brute-force.js';
import { deleteThrottles, latestLock, lockThrottles, saveThrottle, sweepThrottles, type ThrottleRow } from '../store/login-throttles.js';
import { transact, type Deps } from './context.js';

export interface SignInAttempt {
  /**
   * The credential was right. `complete` when it ends the sign-in (a session): the account's
   * and the pair's counts are cleared. A password answered by a second-factor challenge is
   * only forgiven, so that guessing codes after a known password still adds up.
   */
  succeeded(opts: { complete: boolean }): Promise<void>;
}

const SCOPES: Scope[] = ['pair', 'account', 'address'];
const NOTHING: SignInAttempt = { succeeded: async () => {} };

export const nowOf = (deps: Deps): Date => deps.clock?.() ?? new Date();

/** The same answer for every account, known or not, so a lock reveals nothing. */
function locked(seconds: number): RetryLaterError {
  const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return new RetryLaterError(429, 'too_many_attempts',
    `Too many failed sign-in attempts. Try again in ${wait}, or reset your password.`, seconds);
}

/**
 * Counts an attempt on `account` (a user id, or the login text when it names nobody) from
 * `ip` before the credential is checked; refuses it with 429 while any of its scopes is locked.
 */
export async function beginSignInAttempt(deps: Deps, account: string, ip: string): Promise<SignInAttempt> {
  const cfg = deps.config.loginLockout;
  if (!cfg.enabled) return NOTHING;
  const keys = throttleKeys(account.toLowerCase(), ip);
  const now = nowOf(deps);
  // Most attempts during an attack meet a lock: those are refused by one read.
  const until = await latestLock(deps.db, SCOPES.map((s) => keys[s]));
  if (until && until > now) throw locked(Math.ceil((until.getTime() - now.getTime()) / 1000));
  const before = await transact(deps, async (tx) => {
    const rows = await lockThrottles(tx, SCOPES.map((s) => keys[s]), now);
    const until = Math.max(0, ...[...rows.values()].map((r) => r.locked_until?.getTime() ?? 0));
    if (until > now.getTime()) return { lockedForMs: until - now.getTime(), previous: null };
    const previous = new Map<Scope, ThrottleRow>();
    for (const scope of SCOPES) {
      const row = rows.get(keys[scope])!;
      previous.set(scope, { ...row });
      const fresh = now.getTime() - row.last_failure_at.getTime() > COUNTING_WINDOW_MS;
      const failures = (fresh ? 0 : row.failures) + 1;
      const lockMs = lockAfter(scope, failures, cfg);
      await saveThrottle(tx, { key: row.key, failures, last_failure_at: now, locked_until: lockMs ? new Date(now.getTime() + lockMs) : null });
    }
    return { lockedForMs: 0, previous };
  });
  const previous = before.previous;
  if (!previous) throw locked(Math.ceil(before.lockedForMs / 1000));
  return {
    succeeded: ({ complete }) => transact(deps, async (tx) => {
      const rows = await lockThrottles(tx, SCOPES.map((s) => keys[s]), now);
      if (complete) await deleteThrottles(tx, [keys.pair, keys.account]);
      for (const scope of complete ? (['address'] as Scope[]) : SCOPES) {
        // Undo this attempt's count, and the lock it set, without losing attempts made meanwhile.
        const row = rows.get(keys[scope])!;
        const prev = previous.get(scope)!;
        const lockedByUs = row.locked_until !== null && row.last_failure_at.getTime() === now.getTime();
        await saveThrottle(tx, {
          key: row.key, failures: Math.max(0, row.failures - 1),
          last_failure_at: row.failures > 1 ? row.last_failure_at : prev.last_failure_at,
          locked_until: lockedByUs ? prev.locked_until : row.locked_until,
        });
      }
    }),
  };
}

/**
 * A signed-in person re-entering their password (to change it or the email, see or renew
 * recovery codes, turn two-factor off): counted like a sign-in on their account from `client.ip`,
 * so a stolen session cannot guess the password without limit. 403 when wrong, 429 while locked.
 * Call it outside any transaction (the attempt is counted in its own).
 */
export async function checkCurrentPassword(deps: Deps, user: { id: string; password_hash: string | null }, password: string,
  client: { ip: string }): Promise<void> {
  const attempt = await beginSignInAttempt(deps, user.id, client.ip);
  if (!user.password_hash || !(await verifyPassword(user.password_hash, password))) {
    throw new AppError(403, 'invalid_credentials', 'The current password is wrong.');
  }
  // Forgiven, not cleared: guesses made before this right answer still count.
  await attempt.succeeded({ complete: false });
}

/** After a password reset by link: the owner proved themselves, so the account's lock goes. */
export async function clearAccountLockout(deps: Deps, userId: string): Promise<void> {
  const keys = throttleKeys(userId.toLowerCase(), '');
  await transact(deps, (tx) => deleteThrottles(tx, [keys.account]));
}

/** Forgets counts past their window; run now and then (server.ts). */
export function sweepSignInThrottles(deps: Deps): Promise<number> {
  const now = nowOf(deps);
  return sweepThrottles(deps.db, new Date(now.getTime() - COUNTING_WINDOW_MS), now);
}
