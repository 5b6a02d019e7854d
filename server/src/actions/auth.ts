// Sign-up, login, logout, invites, and turning a bearer token into a user.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../auth/passwords.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { presentChannel } from '../presenters/channel.js';
import * as users from '../store/users.js';
import * as sessions from '../store/sessions.js';
import * as invites from '../store/invites.js';
import * as channels from '../store/channels.js';
import { readSettings, writeSettings } from '../store/settings.js';
import type { SessionRow, UserRow } from '../store/schema.js';
import { effectiveRole } from '../policies/credentials.js';
import { checkUsername } from './validate.js';
import { isUniqueViolation, transact, type Deps } from './context.js';
import { announceUser } from './announce.js';
import type { ClientInfo, NewSession } from './sessions.js';
import { completeFirstFactor, type LoginResult } from './login.js';
import { checkPasswordAllowed } from './sso.js';
import { audit } from './audit.js';
import { beginSignInAttempt } from './sign-in-throttle.js';
import { authorizeAdmin } from '../policies/admin.js';

export type { ClientInfo, NewSession, LoginResult };

export interface SignupInput {
  username: string;
  email: string;
  password: string;
  displayName?: string;
  inviteToken?: string;
  workspaceName?: string;
}

export async function doSignup(deps: Deps, input: SignupInput, client: ClientInfo): Promise<NewSession> {
  checkUsername(input.username);
  if ((await users.countUsers(deps.db)) > 0) await checkPasswordAllowed(deps, null);
  const weak = checkPasswordPolicy(input.password, deps.config, input);
  if (weak) throw new AppError(400, 'weak_password', weak);
  const passwordHash = await hashPassword(input.password, deps.config);
  const user = await transact(deps, async (tx, events) => {
    // Serializes sign-ups so that exactly one account can become the first admin.
    await sql`SELECT pg_advisory_xact_lock(7001)`.execute(tx);
    const first = (await users.countUsers(tx)) === 0;
    const settings = await readSettings(tx);
    if (!first && !settings.openSignup && !input.inviteToken) {
      throw new AppError(403, 'invite_required', 'Sign-up needs an invite from an admin.');
    }
    if (await users.usernameTaken(tx, input.username)) throw new AppError(409, 'username_taken', 'That username is taken.');
    if (await users.emailTaken(tx, input.email)) throw new AppError(409, 'email_taken', 'An account with that email exists.');
    const id = newId();
    // An invite may make a guest, who joins no channel until someone adds them.
    const invitedAs = !first && input.inviteToken ? await invites.inviteRole(tx, hashToken(input.inviteToken)) : undefined;
    const role = first ? 'admin' : invitedAs ?? 'member';
    const row = await users.insertUser(tx, {
      id, username: input.username, email: input.email, display_name: input.displayName?.trim() || input.username,
      password_hash: passwordHash, role,
    });
    if (!first && input.inviteToken && !(await invites.consumeInvite(tx, hashToken(input.inviteToken), id))) {
      // An invite that is wrong or used up fails even when sign-up is open: the user meant to use it.
      throw new AppError(403, 'invite_invalid', 'This invite is unknown, expired or already used.');
    }
    if (first && input.workspaceName?.trim()) await writeSettings(tx, { workspaceName: input.workspaceName.trim() });
    const general = role === 'guest' ? undefined : await channels.findGeneral(tx);
    if (!general) await announceUser(tx, events, row);
    if (general) {
      const latest = await channels.latestTopLevel(tx, general.id);
      await channels.addMembers(tx, general.id, [id], 'member', { seq: latest?.seq ?? 0, messageId: latest?.id ?? null });
      const after = (await channels.findChannel(tx, general.id))!;
      const memberIds = await channels.memberIds(tx, general.id);
      await announceUser(tx, events, row);
      events.toUsers('channel.member_added', {
        channel: presentChannel(after), userId: id, role: 'member',
        lastReadMessageId: latest?.id ?? null, lastReadSeq: latest?.seq ?? 0,
      }, memberIds);
    }
    return row;
  }).catch((err) => {
    if (isUniqueViolation(err, 'users_username_key')) throw new AppError(409, 'username_taken', 'That username is taken.');
    if (isUniqueViolation(err, 'users_email_key')) throw new AppError(409, 'email_taken', 'An account with that email exists.');
    throw err;
  });
  // A new account has no second factor: this is a session, restricted to enrolment when the policy says so.
  const result = await completeFirstFactor(deps, user, client, { strong: false, via: 'signup' });
  if (!('session' in result)) throw new Error('a new account cannot have a second factor');
  return result.session;
}

let dummyHash: Promise<string> | null = null;

/** The password as first factor; then a second factor, a session, or an enrolment-only session. */
export async function doLogin(deps: Deps, login: string, password: string, client: ClientInfo): Promise<LoginResult> {
  const user = await users.findUserByLogin(deps.db, login);
  // With password sign-in turned off for SSO, only break-glass accounts may go on.
  await checkPasswordAllowed(deps, user?.username ?? login);
  // Verify against a throwaway hash for unknown logins so the answer takes as long either way.
  // Counted before the check, refused with 429 while locked (actions/sign-in-throttle.ts).
  const attempt = await beginSignInAttempt(deps, user?.id ?? login, client.ip);
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'), deps.config);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), password);
  if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'The login or password is wrong.');
  const result = await completeFirstFactor(deps, user, client, { strong: false });
  await attempt.succeeded({ complete: 'session' in result });
  return result;
}

export async function doLogout(deps: Deps, session: SessionRow, user: UserRow, client: ClientInfo): Promise<void> {
  await transact(deps, async (tx, events) => {
    await sessions.deleteSession(tx, session.id);
    events.endSessions([session.id]);
    await audit({ deps, tx, events, by: user, client }, 'auth.logout', { type: 'session', id: session.id });
  });
}

export interface Authenticated {
  user: UserRow;
  session: SessionRow;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * The session (or personal access token) and user behind a bearer token, or null. A session
 * idle for longer than PARLEY_SESSION_IDLE_MINUTES is ended here. Refreshes last-seen at most
 * once a minute (more often when the idle timeout is short). A token without the admin scope
 * carries member rights even for an admin.
 */
export async function authenticate(deps: Deps, token: string): Promise<Authenticated | null> {
  if (!token || token.length > 256) return null;
  const found = await sessions.findSessionWithUser(deps.db, hashToken(token));
  if (!found || found.user.deactivated) return null;
  const now = new Date();
  const idle = now.getTime() - found.session.last_seen_at.getTime();
  const idleLimit = deps.config.sessionIdleMinutes * 60_000;
  if (idleLimit > 0 && found.session.kind === 'session' && idle > idleLimit) {
    await transact(deps, async (tx, events) => {
      await sessions.deleteSession(tx, found.session.id);
      events.endSessions([found.session.id]);
    });
    return null;
  }
  if (idle > (idleLimit > 0 ? Math.min(TOUCH_EVERY_MS, idleLimit / 2) : TOUCH_EVERY_MS)) {
    await sessions.touchSession(deps.db, found.session.id, now);
  }
  const role = effectiveRole(found.user.role, found.session);
  return role === found.user.role ? found : { session: found.session, user: { ...found.user, role } };
}

export async function doCreateInvite(deps: Deps, actor: UserRow, client: ClientInfo, expiresInDays: number,
  role: 'member' | 'guest' = 'member'): Promise<{ token: string; url: string; expiresAt: string }> {
  authorizeAdmin(actor, 'invite');
  const token = newToken('inv');
  const expiresAt = new Date(Date.now() + expiresInDays * 86_400_000);
  const id = newId();
  await transact(deps, async (tx, events) => {
    await invites.insertInvite(tx, { id, token_hash: hashToken(token), created_by: actor.id, expires_at: expiresAt, role });
    await audit({ deps, tx, events, by: actor, client }, 'invite.created', { type: 'invite', id }, { role, expiresAt: expiresAt.toISOString() });
  });
  return { token, url: `${deps.config.publicUrl}/signup?invite=${encodeURIComponent(token)}`, expiresAt: expiresAt.toISOString() };
}

export async function checkInvite(deps: Deps, token: string): Promise<boolean> {
  return invites.inviteUsable(deps.db, hashToken(token));
}
