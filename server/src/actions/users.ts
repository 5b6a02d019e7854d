// Profiles, lookups and admin changes to accounts.
import type { User } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.js';
import { checkCurrentPassword } from './sign-in-throttle.js';
import { presentUser } from '../presenters/user.js';
import * as users from '../store/users.js';
import * as sessions from '../store/sessions.js';
import type { UserRow } from '../store/schema.js';
import { canSeePerson } from '../policies/people.js';
import { peersAmong, searchPeers } from '../store/people.js';
import { voidResets } from '../store/password-resets.js';
import { isUniqueViolation, transact, type Deps } from './context.js';
import { announceUser } from './announce.js';
import { audit, CLI_CLIENT, type AuditClient } from './audit.js';
import { authorizeAdmin } from '../policies/admin.js';

export interface ProfilePatch {
  displayName?: string;
  statusText?: string;
  statusEmoji?: string;
  email?: string;
  password?: string;
  currentPassword?: string;
}

/** `sessionId` is the session making the change: a new password ends every other one. */
export async function doUpdateMe(deps: Deps, me: UserRow, sessionId: string, patch: ProfilePatch, client: AuditClient): Promise<User> {
  const set: Parameters<typeof users.updateUser>[2] = {};
  if (patch.displayName !== undefined) {
    if (!patch.displayName.trim()) throw new AppError(400, 'invalid_request', 'The display name cannot be empty.');
    set.display_name = patch.displayName.trim();
  }
  if (patch.statusText !== undefined) set.status_text = patch.statusText;
  if (patch.statusEmoji !== undefined) set.status_emoji = patch.statusEmoji;
  if (patch.email !== undefined || patch.password !== undefined) {
    // Changing how one signs in needs the current password, so a stolen session cannot take the account.
    await checkCurrentPassword(deps, me, patch.currentPassword ?? '', client);
  }
  if (patch.email !== undefined) {
    if (await users.emailTaken(deps.db, patch.email, me.id)) throw new AppError(409, 'email_taken', 'An account with that email exists.');
    set.email = patch.email;
  }
  if (patch.password !== undefined) {
    const weak = checkPasswordPolicy(patch.password, deps.config, { username: me.username, email: patch.email ?? me.email });
    if (weak) throw new AppError(400, 'weak_password', weak);
    set.password_hash = await hashPassword(patch.password, deps.config);
  }
  if (Object.keys(set).length === 0) return presentUser(me, me);
  const row = await transact(deps, async (tx, events) => {
    const updated = await users.updateUser(tx, me.id, set);
    if (set.password_hash) {
      // Every other session and personal access token ends, and outstanding reset links are void.
      const ended = await sessions.deleteUserSessions(tx, me.id, sessionId);
      events.endSessions(ended);
      await voidResets(tx, me.id);
      await audit({ deps, tx, events, by: me, client }, 'auth.password_changed', { type: 'user', id: me.id }, { otherSessionsEnded: ended.length });
    }
    await announceUser(tx, events, updated);
    return updated;
  }).catch((err) => {
    if (isUniqueViolation(err, 'users_email_key')) throw new AppError(409, 'email_taken', 'An account with that email exists.');
    throw err;
  });
  return presentUser(row, row);
}

export async function getUser(deps: Deps, viewer: UserRow, id: string): Promise<User> {
  const row = await users.findUserById(deps.db, id);
  // A guest sees only the people they share a channel with; anyone else is not found.
  const shares = viewer.role === 'guest' && row ? (await peersAmong(deps.db, viewer.id, [id])).has(id) : false;
  if (!row || !canSeePerson(viewer, id, shares)) throw notFound('User');
  return presentUser(row, viewer);
}

export async function listUsers(deps: Deps, viewer: UserRow, query: string, limit: number): Promise<User[]> {
  // Emails are shown to admins only (see presentUser), so only admins search by them.
  const rows = viewer.role === 'guest'
    ? await searchPeers(deps.db, viewer.id, query.trim(), limit)
    : await users.searchUsers(deps.db, query.trim(), limit, viewer.role === 'admin');
  return rows.map((r) => presentUser(r, viewer));
}

export interface AdminUserPatch {
  role?: 'admin' | 'member' | 'guest';
  deactivated?: boolean;
  displayName?: string;
}

export async function doAdminUpdateUser(deps: Deps, actor: UserRow, id: string, patch: AdminUserPatch, client: AuditClient): Promise<User> {
  authorizeAdmin(actor, 'manageAccounts');
  const target = await users.findUserById(deps.db, id);
  if (!target) throw notFound('User');
  if (target.id === actor.id && ((patch.role !== undefined && patch.role !== 'admin') || patch.deactivated === true)) {
    throw new AppError(400, 'invalid_request', 'Admins cannot demote or deactivate themselves; ask another admin.');
  }
  const row = await transact(deps, async (tx, events) => {
    const updated = await users.updateUser(tx, id, {
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.deactivated !== undefined && { deactivated: patch.deactivated }),
      ...(patch.displayName !== undefined && { display_name: patch.displayName.trim() || target.display_name }),
    });
    // Deactivation ends every session now; the realtime hub closes the sockets on this event.
    if (patch.deactivated) events.endSessions(await sessions.deleteUserSessions(tx, id));
    await announceUser(tx, events, updated);
    const ctx = { deps, tx, events, by: actor, client };
    const about = { type: 'user', id } as const;
    if (updated.role !== target.role) await audit(ctx, 'user.role_changed', about, { from: target.role, to: updated.role, username: updated.username });
    if (updated.deactivated !== target.deactivated) {
      await audit(ctx, updated.deactivated ? 'user.deactivated' : 'user.reactivated', about, { username: updated.username });
    }
    return updated;
  });
  return presentUser(row, actor);
}

/** For the CLI: sets a new password and ends the user's sessions. */
export async function doResetPassword(deps: Deps, login: string, password: string): Promise<UserRow> {
  const user = await users.findUserByLogin(deps.db, login);
  if (!user) throw notFound('User');
  const weak = checkPasswordPolicy(password, deps.config, user);
  if (weak) throw new AppError(400, 'weak_password', weak);
  const hashed = await hashPassword(password, deps.config);
  return transact(deps, async (tx, events) => {
    const ended = await sessions.deleteUserSessions(tx, user.id);
    events.endSessions(ended);
    await audit({ deps, tx, events, by: null, client: CLI_CLIENT }, 'auth.password_reset', { type: 'user', id: user.id }, { via: 'cli', sessionsEnded: ended.length });
    return users.updateUser(tx, user.id, { password_hash: hashed });
  });
}
