// Password reset by a single-use link: made by an admin (who hands it over), or mailed to
// the account's address when SMTP is configured. Using the link sets a new password, ends
// every session and token of the account, and voids its other links. A second factor is
// still asked at the next sign-in: a reset link is not a way around two-factor.
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.js';
import * as resets from '../store/password-resets.js';
import * as sessions from '../store/sessions.js';
import * as users from '../store/users.js';
import type { UserRow } from '../store/schema.js';
import { transact, type Deps } from './context.js';
import { audit, type AuditClient } from './audit.js';
import { clearAccountLockout } from './sign-in-throttle.js';
import { authorizeAdmin } from '../policies/admin.js';

export interface ResetLink {
  token: string;
  url: string;
  expiresAt: string;
}

async function createLink(deps: Deps, user: UserRow, createdBy: UserRow | null, ttlMinutes: number, client: AuditClient | null): Promise<ResetLink> {
  const token = newToken('rst');
  const expiresAt = new Date(Date.now() + ttlMinutes * 60_000);
  await transact(deps, async (tx, events) => {
    await resets.insertReset(tx, { id: newId(), user_id: user.id, token_hash: hashToken(token), created_by: createdBy?.id ?? null, expires_at: expiresAt });
    await audit({ deps, tx, events, by: createdBy, client }, 'auth.password_reset_link_created', { type: 'user', id: user.id },
      { delivery: createdBy ? 'admin' : 'email', expiresAt: expiresAt.toISOString() });
  });
  return { token, url: `${deps.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
}

/** Admins: a link for someone who cannot sign in, to hand over by a channel the admin trusts. */
export async function doCreateResetLink(deps: Deps, actor: UserRow, userId: string, expiresInMinutes: number, client: AuditClient): Promise<ResetLink> {
  authorizeAdmin(actor, 'resetLinks');
  const user = await users.findUserById(deps.db, userId);
  if (!user) throw notFound('User');
  if (user.deactivated) throw new AppError(400, 'invalid_request', 'This account is deactivated; reactivate it first.');
  return createLink(deps, user, actor, expiresInMinutes, client);
}

/**
 * "Forgot password": mails a link when the login names an active account. The answer is the
 * same, and as quick, whether or not it does, so it reveals nothing about who has an account.
 */
export async function doRequestResetEmail(deps: Deps, login: string, client: AuditClient): Promise<void> {
  const mailer = deps.mailer;
  if (!mailer) throw new AppError(403, 'email_disabled', 'Password reset by email is not set up here; ask an admin for a reset link.');
  const user = await users.findUserByLogin(deps.db, login);
  if (!user || user.deactivated) return;
  const link = await createLink(deps, user, null, deps.config.passwordResetTtlMinutes, client);
  void mailer.send({
    to: user.email,
    subject: 'Reset your Parley password',
    text: [
      `Hello ${user.display_name},`, '',
      `Someone (hopefully you) asked to reset the password of ${user.username} on ${deps.config.publicUrl}.`,
      `Open this link within ${deps.config.passwordResetTtlMinutes} minutes to choose a new one:`, '', link.url, '',
      'If you did not ask for this, ignore this email; your password stays as it is.',
    ].join('\n'),
  }).catch((err: unknown) => deps.log.error({ err }, 'password reset mail failed'));
}

export async function checkResetLink(deps: Deps, token: string): Promise<boolean> {
  return (await resets.resetUser(deps.db, hashToken(token))) !== undefined;
}

/** Uses a link: new password, every session and token ended, other links void. */
export async function doResetPasswordWithLink(deps: Deps, token: string, password: string, client: AuditClient): Promise<void> {
  const invalid = () => new AppError(400, 'reset_token_invalid', 'This reset link is unknown, expired or already used.');
  const hash = hashToken(token);
  // Checked before using the link, so a weak password does not spend it.
  const userId = await resets.resetUser(deps.db, hash);
  const pending = userId ? await users.findUserById(deps.db, userId) : undefined;
  if (!pending || pending.deactivated) throw invalid();
  const weak = checkPasswordPolicy(password, deps.config, pending);
  if (weak) throw new AppError(400, 'weak_password', weak);
  const passwordHash = await hashPassword(password, deps.config);
  await transact(deps, async (tx, events) => {
    if ((await resets.consumeReset(tx, hash)) !== pending.id) throw invalid();
    await users.updateUser(tx, pending.id, { password_hash: passwordHash });
    await resets.voidResets(tx, pending.id);
    const ended = await sessions.deleteUserSessions(tx, pending.id);
    events.endSessions(ended);
    // The link proved who they are, so the account's owner is the actor.
    await audit({ deps, tx, events, by: pending, client }, 'auth.password_reset', { type: 'user', id: pending.id }, { via: 'link', sessionsEnded: ended.length });
  });
  // The owner proved themselves by the link: a lockout of their account ends here.
  await clearAccountLockout(deps, pending.id);
}
