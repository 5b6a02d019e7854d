// Sessions: one row per signed-in device, found by the SHA-256 of its bearer token.
import type { Db } from './db.js';
import type { SessionRow, UserRow } from './schema.js';

export function insertSession(db: Db, row: {
  id: string; user_id: string; token_hash: string; csrf_token: string; user_agent: string; ip: string; expires_at: Date;
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
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  const session: SessionRow = {
    id: row.id, user_id: row.user_id, token_hash: row.token_hash, csrf_token: row.csrf_token,
    user_agent: row.user_agent, ip: row.ip, created_at: row.created_at, last_seen_at: row.last_seen_at, expires_at: row.expires_at,
  };
  const user: UserRow = {
    id: row.user_id, username: row.username, email: row.email, display_name: row.display_name,
    password_hash: row.password_hash, role: row.role, deactivated: row.deactivated, status_text: row.status_text,
    status_emoji: row.status_emoji, created_at: row.user_created_at, updated_at: row.user_updated_at,
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
