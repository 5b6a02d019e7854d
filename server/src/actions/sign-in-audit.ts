// Failed sign-ins for the audit log (and so for the failed-login burst detector). Wraps a
// sign-in action: a refusal (401, 403, 429) is recorded right after it happens, with its
// reason code and the account when one is known, never with what was typed (neither the
// secret nor the login text; an unknown login is kept as a keyed fingerprint only).
// Successful sign-ins are recorded where the session is made (startSession).
import { AppError } from '../errors.js';
import { hashToken } from '../auth/tokens.js';
import { fingerprint } from '../auth/secretbox.js';
import * as challenges from '../store/challenges.js';
import * as users from '../store/users.js';
import type { Deps } from './context.js';
import { auditNow, type AuditClient } from './audit.js';

export interface SignInAttempt {
  method: 'password' | 'second_factor' | 'passkey' | 'ldap' | 'oidc' | 'saml';
  /** What was typed as the username or email (password and LDAP sign-in). */
  login?: string;
  /** The pending second-factor challenge, to know whose sign-in it is. */
  challenge?: string;
}

const REFUSALS = new Set([401, 403, 429]);

export async function auditingSignIn<T>(deps: Deps, client: AuditClient, attempt: SignInAttempt, work: () => Promise<T>): Promise<T> {
  // Looked up first: a failed code can use up the challenge.
  const challengeUser = attempt.challenge
    ? (await challenges.findLiveByToken(deps.db, 'second_factor', hashToken(attempt.challenge)))?.user_id ?? null : null;
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && REFUSALS.has(err.status)) {
      const user = challengeUser ? await users.findUserById(deps.db, challengeUser)
        : attempt.login && attempt.method === 'password' ? await users.findUserByLogin(deps.db, attempt.login) : undefined;
      // The typed login is never kept (it may be a password typed into the wrong field): the account
      // it names, else a keyed fingerprint, which still tells repeated tries of one name apart.
      const login = attempt.login?.trim().replace(/\s+/g, ' ').toLowerCase();
      await auditNow(deps, null, client, 'auth.login_failed', user ? { type: 'user', id: user.id } : null, {
        method: attempt.method, reason: err.code,
        ...(user ? { username: user.username } : login ? { loginFingerprint: fingerprint(deps.config, login) } : {}),
      }).catch((e: unknown) => deps.log.error({ err: e }, 'recording a failed sign-in failed'));
    }
    throw err;
  }
}
