// Sessions: one row per signed-in device or personal access token, found by the SHA-256 of
// its bearer token.
import type { Db } from './db.js';
import type { SessionRow, UserRow } from './schema.js';

export function insertSession(db: Db, row: {
  id: string; user_id: string; token_hash: string; csrf_token: string; user_agent: string; ip: string; expires_at: Date;
  kind?: SessionRow['kind']; name?: string; scopes?: string[]; stage?: SessionRow['stage'];
}): Promise<SessionRow> {
  return db.insertInto('sessions').values(row).returningAll().executeTakeFirstOrThrow();
}

/** One query: the session and its user, or undefined when unknown or expired. */
export async function findSessionWithUser(db: Db, tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .select([
      'u.username', 'u.email', 'u.display_name', 'u.password_hash', 'u.role', 'u.deactivated',
      'u.status_text', 'u.status_emoji', 'u.created_at as user_created_at', 'u.updated_at as user_updated_at',
      'u.is_bot', 'u.avatar_url',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  const session: SessionRow = {
    id: row.id, user_id: row.user_id, token_hash: row.token_hash, csrf_token: row.csrf_token,
    user_agent: row.user_agent, ip: row.ip, created_at: row.created_at, last_seen_at: row.last_seen_at, expires_at: row.expires_at,
    kind: row.kind, name: row.name, scopes: row.scopes, stage: row.stage,
  };
  const user: UserRow = {
    id: row.user_id, username: row.username, email: row.email, display_name: row.display_name,
    password_hash: row.password_hash, role: row.role, deactivated: row.deactivated, status_text: row.status_text,
    status_emoji: row.status_emoji, created_at: row.user_created_at, updated_at: row.user_updated_at,
    is_bot: row.is_bot, avatar_url: row.avatar_url,
  };
  return { session, user };
}

export async function touchSession(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes all of a user's sessions (but `keepId`) and returns the ids that were deleted. */
export async function deleteUserSessions(db: Db, userId: string, keepId?: string): Promise<string[]> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '<>', keepId);
  return (await q.returning('id').execute()).map((r) => r.id);
}

/** A user's sessions or tokens that have not expired, newest first. */
export function listUserSessions(db: Db, userId: string, kind: SessionRow['kind']): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('kind', '=', kind)
    .where('expires_at', '>', new Date()).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function countUserSessions(db: Db, userId: string, kind: SessionRow['kind']): Promise<number> {
  const r = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('kind', '=', kind).where('expires_at', '>', new Date()).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Deletes one of the user's sessions or tokens; false when they have none with that id. */
export async function deleteUserSession(db: Db, userId: string, id: string, kind: SessionRow['kind']): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function setStage(db: Db, id: string, stage: SessionRow['stage']): Promise<void> {
  await db.updateTable('sessions').set({ stage }).where('id', '=', id).execute();
}
