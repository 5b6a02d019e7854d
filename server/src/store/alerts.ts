// Security alerts raised by the anomaly detector (server/src/security/anomalies.ts).
import { sql, type Selectable } from 'kysely';
import type { Db } from './db.js';
import type { SecurityAlertsTable } from './schema.js';

export type AlertRow = Selectable<SecurityAlertsTable>;

/** A new alert: the columns as read, with the detail as an object (stored as JSON). */
export type NewAlertRow = Omit<Selectable<SecurityAlertsTable>, 'detail'> & { detail: Record<string, unknown> };

/**
 * Serializes raising alerts about one kind and subject until the transaction ends, so two
 * nodes (or two requests) seeing the same burst at once raise it once.
 */
export async function lockSubject(db: Db, kind: string, subject: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`alert:${kind}:${subject}`}))`.execute(db);
}

export async function raisedSince(db: Db, kind: string, subject: string, since: Date): Promise<boolean> {
  const row = await db.selectFrom('security_alerts').select('id')
    .where('kind', '=', kind).where('subject', '=', subject).where('at', '>=', since).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function insertAlert(db: Db, row: NewAlertRow): Promise<AlertRow> {
  return db.insertInto('security_alerts').values({ ...row, detail: JSON.stringify(row.detail) }).returningAll().executeTakeFirstOrThrow();
}

/** Newest first, older than `before` (an alert id, UUIDv7). */
export async function listAlerts(db: Db, before: string | null, limit: number): Promise<AlertRow[]> {
  let q = db.selectFrom('security_alerts').selectAll();
  if (before) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

export async function activeAdminIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('deactivated', '=', false).execute();
  return rows.map((r) => r.id);
}
