// The audit log (append-only: the database refuses UPDATE/DELETE/TRUNCATE, migration 007)
// and the queries the anomaly detector counts with. Newest first, paged by id: ids are
// UUIDv7, so their order is the order entries were written.
import type { Selectable } from 'kysely';
import type { Db } from './db.js';
import type { AuditLogTable } from './schema.js';

export type AuditRow = Selectable<AuditLogTable>;

/** A new entry: the columns as read, with the detail as an object (stored as JSON). */
export type NewAuditRow = Omit<AuditRow, 'detail'> & { detail: Record<string, unknown> };

export async function insertEntry(db: Db, row: NewAuditRow): Promise<void> {
  await db.insertInto('audit_log').values({ ...row, detail: JSON.stringify(row.detail) }).execute();
}

export interface AuditFilter {
  /** An exact action, or a prefix ending in '.*' ('auth.*'). */
  action?: string;
  actorId?: string;
  targetId?: string;
  ip?: string;
  since?: Date;
  until?: Date;
}

/** One page, newest first, of the entries older than `before` (an entry id). */
export async function listEntries(db: Db, filter: AuditFilter, before: string | null, limit: number): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.action?.endsWith('.*')) q = q.where('action', 'like', `${filter.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`);
  else if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.ip) q = q.where('ip', '=', filter.ip);
  if (filter.since) q = q.where('at', '>=', filter.since);
  if (filter.until) q = q.where('at', '<', filter.until);
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function countSince(db: Db, action: string, by: { targetId?: string; actorId?: string; ip?: string }, since: Date): Promise<number> {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action).where('at', '>=', since);
  if (by.targetId) q = q.where('target_id', '=', by.targetId);
  if (by.actorId) q = q.where('actor_id', '=', by.actorId);
  if (by.ip) q = q.where('ip', '=', by.ip);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Whether `actorId` signed in before `beforeId`: from `ip` (when given), or at all. */
export async function signedInBefore(db: Db, actorId: string, beforeId: string, ip?: string): Promise<boolean> {
  let q = db.selectFrom('audit_log').select('id')
    .where('actor_id', '=', actorId).where('action', 'in', ['auth.login', 'auth.sso_login', 'auth.signup']).where('id', '<', beforeId);
  if (ip !== undefined) q = q.where('ip', '=', ip);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}
