// Two-factor: TOTP enrolment (secret, otpauth URL, QR), confirmation with a first code,
// recovery codes, disabling, and the workspace policy that requires it.
import type { TwoFactorPolicy, TwoFactorStatus } from '@parley/protocol';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { checkCurrentPassword } from './sign-in-throttle.js';
import { seal } from '../auth/secretbox.js';
import { newTotpSecret, otpauthUrl, qrDataUrl } from '../auth/totp.js';
import { hashRecoveryCode, newRecoveryCodes } from '../auth/recovery-codes.js';
import { twoFactorRequirement } from '../policies/two-factor.js';
import * as twoFactor from '../store/two-factor.js';
import * as sessions from '../store/sessions.js';
import { readSettings, writeSettings, type TwoFactorPolicySetting } from '../store/settings.js';
import type { Db } from '../store/db.js';
import type { SessionRow, UserRow } from '../store/schema.js';
import { transact, type Deps } from './context.js';
import { factorsOf, useTotpCode } from './login.js';
import { audit, type AuditClient } from './audit.js';
import { authorizeAdmin } from '../policies/admin.js';

export async function getTwoFactorStatus(deps: Deps, me: UserRow, session: SessionRow): Promise<TwoFactorStatus> {
  const [factors, codes, settings] = await Promise.all([
    factorsOf(deps.db, me.id), twoFactor.countRecoveryCodes(deps.db, me.id), readSettings(deps.db),
  ]);
  const need = twoFactorRequirement(settings.twoFactorPolicy, me.role);
  return {
    totp: factors.totp, passkeys: factors.passkeys, recoveryCodesLeft: codes,
    required: need.required, enrolBy: need.enrolBy?.toISOString() ?? null, enrolmentRequired: session.stage === 'enrol_2fa',
  };
}

/** Step one: a fresh secret to scan. Nothing changes for sign-in until it is confirmed. */
export async function doBeginTotp(deps: Deps, me: UserRow): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const secret = newTotpSecret();
  if (!(await twoFactor.putPendingTotp(deps.db, me.id, seal(deps.config, secret)))) {
    throw new AppError(409, 'already_exists', 'An authenticator app is already set up; disable it first to replace it.');
  }
  const workspace = (await readSettings(deps.db)).workspaceName;
  const url = otpauthUrl(secret, me.username, workspace);
  return { secret, otpauthUrl: url, qrDataUrl: await qrDataUrl(url) };
}

/** Makes ten new recovery codes (the old ones stop working) and returns them, once. */
async function issueRecoveryCodes(tx: Db, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await twoFactor.replaceRecoveryCodes(tx, userId, codes.map((c) => ({ id: newId(), code_hash: hashRecoveryCode(c)! })));
  return codes;
}

/**
 * After a second factor is added: a session that was only allowed to enrol becomes a full one,
 * and recovery codes are issued when `fresh` or when the user has none left (the first factor).
 */
export async function afterFactorAdded(tx: Db, userId: string, session: SessionRow, fresh: boolean): Promise<string[] | null> {
  if (session.stage === 'enrol_2fa') await sessions.setStage(tx, session.id, 'full');
  return fresh || (await twoFactor.countRecoveryCodes(tx, userId)) === 0 ? issueRecoveryCodes(tx, userId) : null;
}

/** Step two: a code from the app proves it was set up; two-factor is on from now. */
export async function doConfirmTotp(deps: Deps, me: UserRow, session: SessionRow, code: string, client: AuditClient): Promise<{ recoveryCodes: string[] }> {
  const r = await transact(deps, async (tx, events) => {
    const row = await twoFactor.findTotp(tx, me.id);
    if (!row) return 'none' as const;
    if (row.confirmed_at) return 'done' as const;
    if (!(await useTotpCode(deps, tx, me.id, code, { pending: true }))) return 'bad' as const;
    await audit({ deps, tx, events, by: me, client }, 'auth.2fa_enabled', { type: 'user', id: me.id }, { method: 'totp' });
    // Confirming the app always hands out a fresh set, even when passkeys came with codes before.
    return { recoveryCodes: (await afterFactorAdded(tx, me.id, session, true))! };
  });
  if (r === 'none') throw new AppError(404, 'not_found', 'Start setting up the authenticator app first.');
  if (r === 'done') throw new AppError(409, 'already_exists', 'The authenticator app is already set up.');
  if (r === 'bad') throw new AppError(400, 'invalid_code', 'That code is wrong or has expired; try the current one.');
  return r;
}

/** The code half of turning a factor off; the password is checked first, outside the transaction (checkCurrentPassword). */
async function checkCode(deps: Deps, tx: Db, me: UserRow, code: string): Promise<void> {
  const recovery = hashRecoveryCode(code);
  const ok = recovery ? await twoFactor.useRecoveryCode(tx, me.id, recovery) : await useTotpCode(deps, tx, me.id, code);
  if (!ok) throw new AppError(403, 'invalid_code', 'That code is wrong or was already used.');
}

/** Refuses to remove a person's last second factor while the policy requires one. */
export async function checkCanRemoveFactor(deps: Deps, tx: Db, me: UserRow, remaining: { totp: boolean; passkeys: number }): Promise<void> {
  if (remaining.totp || remaining.passkeys > 0) return;
  const need = twoFactorRequirement((await readSettings(tx)).twoFactorPolicy, me.role);
  if (need.required) {
    throw new AppError(403, 'two_factor_required', 'The workspace requires two-factor authentication; add another method before removing this one.');
  }
}

/** Turns the authenticator app off; needs the password and a current code (or a recovery code). */
export async function doDisableTotp(deps: Deps, me: UserRow, password: string, code: string, client: AuditClient): Promise<void> {
  await checkCurrentPassword(deps, me, password, client);
  await transact(deps, async (tx, events) => {
    const factors = await factorsOf(tx, me.id);
    if (!factors.totp) throw new AppError(404, 'not_found', 'No authenticator app is set up.');
    await checkCode(deps, tx, me, code);
    await checkCanRemoveFactor(deps, tx, me, { ...factors, totp: false });
    await twoFactor.deleteTotp(tx, me.id);
    if (factors.passkeys === 0) await twoFactor.deleteRecoveryCodes(tx, me.id);
    await audit({ deps, tx, events, by: me, client }, 'auth.2fa_disabled', { type: 'user', id: me.id }, { method: 'totp', passkeysLeft: factors.passkeys });
  });
}

/** New recovery codes for someone with two-factor on; needs the password. */
export async function doRegenerateRecoveryCodes(deps: Deps, me: UserRow, password: string, client: AuditClient): Promise<{ recoveryCodes: string[] }> {
  await checkCurrentPassword(deps, me, password, client);
  return transact(deps, async (tx, events) => {
    const factors = await factorsOf(tx, me.id);
    if (!factors.totp && factors.passkeys === 0) throw new AppError(404, 'not_found', 'Two-factor authentication is not on.');
    await audit({ deps, tx, events, by: me, client }, 'auth.recovery_codes_regenerated', { type: 'user', id: me.id });
    return { recoveryCodes: await issueRecoveryCodes(tx, me.id) };
  });
}

function presentPolicy(p: TwoFactorPolicySetting): TwoFactorPolicy {
  return { require: p.require, graceDays: p.graceDays, enforceAt: p.enforceAt };
}

export async function getTwoFactorPolicy(deps: Deps, actor: UserRow): Promise<TwoFactorPolicy> {
  authorizeAdmin(actor, 'viewTwoFactorPolicy');
  return presentPolicy((await readSettings(deps.db)).twoFactorPolicy);
}

/** Admins: require two-factor of everyone or of admins, with a grace period that starts now. */
export async function doSetTwoFactorPolicy(deps: Deps, actor: UserRow, input: { require: TwoFactorPolicySetting['require']; graceDays: number },
  client: AuditClient): Promise<TwoFactorPolicy> {
  authorizeAdmin(actor, 'twoFactorPolicy');
  const policy: TwoFactorPolicySetting = {
    require: input.require,
    graceDays: input.graceDays,
    enforceAt: input.require === 'off' ? null : new Date(Date.now() + input.graceDays * 86_400_000).toISOString(),
  };
  await transact(deps, async (tx, events) => {
    await writeSettings(tx, { twoFactorPolicy: policy });
    await audit({ deps, tx, events, by: actor, client }, '2fa.policy_updated', { type: 'two_factor_policy', id: null },
      { require: policy.require, graceDays: policy.graceDays, enforceAt: policy.enforceAt });
  });
  return presentPolicy(policy);
}
