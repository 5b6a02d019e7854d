// Sessions: starting one after sign-in, listing and revoking my own, and an admin revoking
// all of someone's. Revoking closes the session's sockets (events.endSessions, after commit).
import { randomBytes } from 'node:crypto';
import type { SessionInfo, TwoFactorNotice, User } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { presentSession } from '../presenters/identity.js';
import { presentUser } from '../presenters/user.js';
import * as sessions from '../store/sessions.js';
import * as users from '../store/users.js';
import type { SessionRow, UserRow } from '../store/schema.js';
import { transact, type Deps } from './context.js';
import { audit } from './audit.js';
import { authorizeAdmin } from '../policies/admin.js';

export interface ClientInfo {
  userAgent: string;
  ip: string;
}

export interface NewSession {
  user: User;
  token: string;
  csrfToken: string;
  expiresAt: Date;
  /** Set when the policy requires two-factor of this user and they have none yet. */
  twoFactor?: TwoFactorNotice;
}

/** How a session was earned, for the audit log: SSO providers log 'auth.sso_login', a new account 'auth.signup'. */
export type SignInMethod = 'password' | 'signup' | 'totp' | 'recovery_code' | 'passkey' | 'oidc' | 'saml' | 'ldap';

export async function startSession(deps: Deps, user: UserRow, client: ClientInfo,
  opts: { stage?: SessionRow['stage']; twoFactor?: TwoFactorNotice; via?: SignInMethod } = {}): Promise<NewSession> {
  const token = newToken('pst');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + deps.config.sessionTtlDays * 86_400_000);
  const via = opts.via ?? 'password';
  await transact(deps, async (tx, events) => {
    const row = await sessions.insertSession(tx, {
      id: newId(), user_id: user.id, token_hash: hashToken(token), csrf_token: csrfToken,
      user_agent: client.userAgent.slice(0, 512), ip: client.ip, expires_at: expiresAt, stage: opts.stage ?? 'full',
    });
    const action = via === 'signup' ? 'auth.signup' : via === 'oidc' || via === 'saml' || via === 'ldap' ? 'auth.sso_login' : 'auth.login';
    await audit({ deps, tx, events, by: user, client }, action, { type: 'user', id: user.id },
      { method: via, sessionId: row.id, role: user.role, ...(row.stage === 'enrol_2fa' && { restrictedTo: 'two_factor_enrolment' }) });
  });
  return { user: presentUser(user, user), token, csrfToken, expiresAt, ...(opts.twoFactor && { twoFactor: opts.twoFactor }) };
}

export async function listMySessions(deps: Deps, me: UserRow, current: SessionRow): Promise<SessionInfo[]> {
  const rows = await sessions.listUserSessions(deps.db, me.id, 'session');
  return rows.map((r) => presentSession(r, current.id));
}

/** Ends one of my sessions (this one included) and closes its sockets. */
export async function doRevokeSession(deps: Deps, me: UserRow, id: string, client: ClientInfo): Promise<void> {
  await transact(deps, async (tx, events) => {
    if (!(await sessions.deleteUserSession(tx, me.id, id, 'session'))) throw notFound('Session');
    events.endSessions([id]);
    await audit({ deps, tx, events, by: me, client }, 'session.revoked', { type: 'session', id }, { userId: me.id, scope: 'one' });
  });
}

/** Admins: ends every session and personal access token of a user. */
export async function doRevokeUserSessions(deps: Deps, actor: UserRow, userId: string, client: ClientInfo): Promise<{ revoked: number }> {
  authorizeAdmin(actor, 'endSessions');
  if (!(await users.findUserById(deps.db, userId))) throw notFound('User');
  return transact(deps, async (tx, events) => {
    const ended = await sessions.deleteUserSessions(tx, userId);
    events.endSessions(ended);
    await audit({ deps, tx, events, by: actor, client }, 'session.revoked', { type: 'user', id: userId }, { scope: 'all', revoked: ended.length });
    return { revoked: ended.length };
  });
}
