// Personal access tokens for scripts: created with scopes, shown once, stored hashed, used
// as `Authorization: Bearer pat_...`, listed and revoked by their owner.
import { randomBytes } from 'node:crypto';
import type { AccessToken, TokenScope } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { hashToken, newToken } from '../auth/tokens.js';
import { NEVER, presentToken } from '../presenters/identity.js';
import * as sessions from '../store/sessions.js';
import type { UserRow } from '../store/schema.js';
import { transact, type Deps } from './context.js';
import { audit } from './audit.js';
import type { ClientInfo } from './sessions.js';
import { authorizeAdmin } from '../policies/admin.js';

export const MAX_TOKENS = 50;

export async function listTokens(deps: Deps, me: UserRow): Promise<AccessToken[]> {
  return (await sessions.listUserSessions(deps.db, me.id, 'token')).map(presentToken);
}

export async function doCreateToken(deps: Deps, me: UserRow,
  input: { name: string; scopes: TokenScope[]; expiresInDays?: number }, client: ClientInfo): Promise<{ token: AccessToken; secret: string }> {
  const name = input.name.trim();
  if (!name) throw new AppError(400, 'invalid_request', 'Give the token a name.');
  const scopes = [...new Set(input.scopes)].sort();
  if (scopes.length === 0) throw new AppError(400, 'invalid_request', 'A token needs at least one scope.');
  if (scopes.includes('admin')) authorizeAdmin(me, 'adminTokens');
  if ((await sessions.countUserSessions(deps.db, me.id, 'token')) >= MAX_TOKENS) {
    throw new AppError(409, 'already_exists', `You have ${MAX_TOKENS} tokens; revoke one first.`);
  }
  const secret = newToken('pat');
  const row = await transact(deps, async (tx, events) => {
    const made = await sessions.insertSession(tx, {
      id: newId(), user_id: me.id, token_hash: hashToken(secret), csrf_token: randomBytes(24).toString('base64url'),
      user_agent: '', ip: '', kind: 'token', name, scopes,
      expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : NEVER,
    });
    await audit({ deps, tx, events, by: me, client }, 'token.created', { type: 'token', id: made.id },
      { name, scopes, expiresAt: input.expiresInDays ? made.expires_at.toISOString() : null });
    return made;
  });
  return { token: presentToken(row), secret };
}

/** Revokes one of my tokens; anything connected with it is cut off. */
export async function doRevokeToken(deps: Deps, me: UserRow, id: string, client: ClientInfo): Promise<void> {
  await transact(deps, async (tx, events) => {
    if (!(await sessions.deleteUserSession(tx, me.id, id, 'token'))) throw notFound('Token');
    events.endSessions([id]);
    await audit({ deps, tx, events, by: me, client }, 'token.revoked', { type: 'token', id });
  });
}
