// Users and their sessions' owner lookups.
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { UserRow, UsersTable } from './schema.js';
import type { Insertable, Updateable } from 'kysely';

export function insertUser(db: Db, row: Insertable<UsersTable>): Promise<UserRow> {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** By username or email, case-insensitively (both are unique on lower()). */
export function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const l = login.toLowerCase();
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb(sql`lower(username)`, '=', l), eb(sql`lower(email)`, '=', l)]))
    .executeTakeFirst();
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export async function emailTaken(db: Db, email: string, exceptUserId?: string): Promise<boolean> {
  let q = db.selectFrom('users').select('id').where(sql`lower(email)`, '=', email.toLowerCase());
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function updateUser(db: Db, id: string, patch: Updateable<UsersTable>): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `matchEmail` only for viewers who may see emails, or the search would reveal them. */
export function searchUsers(db: Db, query: string, limit: number, matchEmail: boolean): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy(sql`lower(username)`).limit(limit);
  if (query) {
    const like = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(username)`, 'like', like), eb(sql`lower(display_name)`, 'like', like),
        ...(matchEmail ? [eb(sql`lower(email)`, 'like', like)] : []),
      ]),
    );
  }
  return q.execute();
}

export function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

export async function activeUserIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('deactivated', '=', false).execute();
  return rows.map((r) => r.id);
}
