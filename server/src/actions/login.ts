// The sign-in pipeline. A first factor (a password today; a passkey, and later SSO) proves
// who someone is; then `completeFirstFactor` decides what comes next:
//   - a second factor when the account has one (a short-lived challenge, no session yet),
//   - else a session, restricted to enrolment when the workspace requires two-factor of
//     this person and their grace period is over.
// SSO providers plug in by calling completeFirstFactor with the user they resolved.
import type { LoginChallenge, SecondFactorMethod } from '@parley/protocol';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { unseal } from '../auth/secretbox.js';
import { totpStep } from '../auth/totp.js';
import { hashRecoveryCode } from '../auth/recovery-codes.js';
import { authenticationOptions, verifyAuthentication, type AuthenticationResponseJSON } from '../auth/webauthn.js';
import { twoFactorRequirement } from '../policies/two-factor.js';
import * as challenges from '../store/challenges.js';
import * as passkeys from '../store/passkeys.js';
import * as twoFactor from '../store/two-factor.js';
import * as users from '../store/users.js';
import { readSettings } from '../store/settings.js';
import type { Db } from '../store/db.js';
import type { UserRow } from '../store/schema.js';
import { transact, type Deps } from './context.js';
import { startSession, type ClientInfo, type NewSession, type SignInMethod } from './sessions.js';
import { beginSignInAttempt } from './sign-in-throttle.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong second factors allowed on one challenge before it is void and the password is needed again. */
export const MAX_SECOND_FACTOR_ATTEMPTS = 5;

export type LoginResult = { session: NewSession } | { challenge: LoginChallenge };

export interface Factors {
  totp: boolean;
  passkeys: number;
}

export async function factorsOf(db: Db, userId: string): Promise<Factors> {
  const [totp, count] = await Promise.all([twoFactor.findTotp(db, userId), passkeys.countPasskeys(db, userId)]);
  return { totp: Boolean(totp?.confirmed_at), passkeys: count };
}

const hasFactor = (f: Factors) => f.totp || f.passkeys > 0;

/**
 * After a first factor identified `user`. `strong` first factors (a user-verified passkey)
 * count as two factors on their own.
 */
export async function completeFirstFactor(deps: Deps, user: UserRow, client: ClientInfo, opts: { strong: boolean; via?: SignInMethod }): Promise<LoginResult> {
  if (user.deactivated) throw new AppError(403, 'account_deactivated', 'This account has been deactivated.');
  const factors = await factorsOf(deps.db, user.id);
  if (hasFactor(factors) && !opts.strong) return { challenge: await startSecondFactor(deps, user, factors) };
  const policy = (await readSettings(deps.db)).twoFactorPolicy;
  const need = twoFactorRequirement(policy, user.role);
  if (!need.required || hasFactor(factors) || opts.strong) return { session: await startSession(deps, user, client, { via: opts.via }) };
  const twoFactorNotice = { enrolmentRequired: need.overdue, enrolBy: need.enrolBy?.toISOString() ?? null };
  return { session: await startSession(deps, user, client, { stage: need.overdue ? 'enrol_2fa' : 'full', twoFactor: twoFactorNotice, via: opts.via }) };
}

async function startSecondFactor(deps: Deps, user: UserRow, factors: Factors): Promise<LoginChallenge> {
  const token = newToken('lch');
  const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
  await challenges.deleteExpired(deps.db);
  await challenges.insertChallenge(deps.db, {
    id: newId(), kind: 'second_factor', token_hash: hashToken(token), user_id: user.id, expires_at: expiresAt,
  });
  const methods: SecondFactorMethod[] = [];
  if (factors.totp) methods.push('totp');
  if (factors.passkeys > 0) methods.push('passkey');
  methods.push('recovery');
  return { twoFactorRequired: true, challenge: token, methods, expiresAt: expiresAt.toISOString() };
}

export interface SecondFactorInput {
  challenge: string;
  code?: string;
  recoveryCode?: string;
  passkey?: AuthenticationResponseJSON;
}

const badChallenge = () => new AppError(401, 'challenge_invalid', 'This sign-in step has expired or was already used; sign in again.');

/** WebAuthn options for using a passkey as the second factor of a pending sign-in. */
export async function doSecondFactorPasskeyOptions(deps: Deps, challengeToken: string) {
  return transact(deps, async (tx) => {
    const ch = await challenges.findLiveByToken(tx, 'second_factor', hashToken(challengeToken));
    if (!ch || !ch.user_id) throw badChallenge();
    const keys = await passkeys.listPasskeys(tx, ch.user_id);
    if (keys.length === 0) throw new AppError(400, 'invalid_request', 'This account has no passkey.');
    const options = await authenticationOptions(deps.config, keys.map(stored), 'preferred');
    await challenges.setChallenge(tx, ch.id, options.challenge);
    return options;
  });
}

const stored = (p: { credential_id: string; public_key: string; counter: number; transports: string[] }) =>
  ({ credentialId: p.credential_id, publicKey: p.public_key, counter: p.counter, transports: p.transports });

/** Checks the second factor for a pending sign-in; a session on success. */
export async function doSecondFactor(deps: Deps, input: SecondFactorInput, client: ClientInfo): Promise<NewSession> {
  const given = [input.code, input.recoveryCode, input.passkey].filter((x) => x !== undefined).length;
  if (given !== 1) throw new AppError(400, 'invalid_request', 'Send exactly one of code, recoveryCode or passkey.');
  // Codes are counted against the account like passwords (actions/sign-in-throttle.ts).
  const pending = await challenges.findLiveByToken(deps.db, 'second_factor', hashToken(input.challenge));
  const attempt = pending?.user_id ? await beginSignInAttempt(deps, pending.user_id, client.ip) : null;
  // The verdict is committed before any error is thrown, so a failed attempt is always counted.
  const outcome = await transact(deps, async (tx): Promise<{ user: UserRow } | 'bad' | 'void'> => {
    const ch = await challenges.findLiveByToken(tx, 'second_factor', hashToken(input.challenge));
    if (!ch || !ch.user_id) return 'void';
    const user = await users.findUserById(tx, ch.user_id);
    if (!user) return 'void';
    if (await secondFactorHolds(deps, tx, user, ch.challenge, input)) {
      await challenges.deleteChallenge(tx, ch.id);
      return { user };
    }
    const attempts = await challenges.countAttempt(tx, ch.id);
    if (attempts >= MAX_SECOND_FACTOR_ATTEMPTS) await challenges.deleteChallenge(tx, ch.id);
    return 'bad';
  });
  if (outcome === 'void') throw badChallenge();
  if (outcome === 'bad') throw new AppError(401, 'invalid_code', 'That code is wrong or was already used.');
  if (outcome.user.deactivated) throw new AppError(403, 'account_deactivated', 'This account has been deactivated.');
  await attempt?.succeeded({ complete: true });
  return startSession(deps, outcome.user, client, { via: input.code !== undefined ? 'totp' : input.recoveryCode !== undefined ? 'recovery_code' : 'passkey' });
}

async function secondFactorHolds(deps: Deps, tx: Db, user: UserRow, webauthnChallenge: string | null, input: SecondFactorInput): Promise<boolean> {
  if (input.code !== undefined) return useTotpCode(deps, tx, user.id, input.code);
  if (input.recoveryCode !== undefined) {
    const hash = hashRecoveryCode(input.recoveryCode);
    return hash !== null && twoFactor.useRecoveryCode(tx, user.id, hash);
  }
  if (!input.passkey || !webauthnChallenge) return false;
  const key = await passkeys.findPasskeyByCredential(tx, input.passkey.id);
  if (!key || key.user_id !== user.id) return false;
  const counter = await verifyAuthentication(deps.config, input.passkey, webauthnChallenge, stored(key), false);
  if (counter === null) return false;
  await passkeys.markPasskeyUsed(tx, key.id, counter);
  return true;
}

/** A valid, never-used TOTP code of a confirmed (or, with `pending`, unconfirmed) secret. */
export async function useTotpCode(deps: Deps, tx: Db, userId: string, code: string, opts: { pending?: boolean } = {}): Promise<boolean> {
  const row = await twoFactor.findTotp(tx, userId);
  if (!row || (row.confirmed_at === null) !== Boolean(opts.pending)) return false;
  const secret = unseal(deps.config, row.secret_sealed);
  const step = secret ? totpStep(secret, code) : null;
  return step !== null && twoFactor.useTotpStep(tx, userId, step);
}
