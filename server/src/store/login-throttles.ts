// Counts of failed sign-in attempts (migration 008; the rules are in security/brute-force.ts).
import type { Db } from './db.js';

export interface ThrottleRow {
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/** The latest lock among these keys, read without locking (a refused attempt writes nothing). */
export async function latestLock(db: Db, keys: string[]): Promise<Date | null> {
  const r = await db.selectFrom('login_throttles').select((eb) => eb.fn.max('locked_until').as('until'))
    .where('key', 'in', keys).executeTakeFirst();
  return r?.until ? new Date(r.until as Date) : null;
}

/** The rows of these keys, created empty where missing, locked for the rest of the transaction. */
export async function lockThrottles(tx: Db, keys: string[], now: Date): Promise<Map<string, ThrottleRow>> {
  const sorted = [...new Set(keys)].sort(); // one order everywhere, so concurrent attempts cannot deadlock
  const rows = await tx.insertInto('login_throttles')
    .values(sorted.map((key) => ({ key, failures: 0, last_failure_at: now })))
    // A no-op update, so that existing rows are returned and locked as well.
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb.ref('login_throttles.failures') })))
    .returningAll().execute();
  return new Map(rows.map((r) => [r.key, r]));
}

export async function saveThrottle(tx: Db, row: ThrottleRow): Promise<void> {
  await tx.updateTable('login_throttles')
    .set({ failures: row.failures, last_failure_at: row.last_failure_at, locked_until: row.locked_until })
    .where('key', '=', row.key).execute();
}

export async function deleteThrottles(tx: Db, keys: string[]): Promise<void> {
  if (keys.length) await tx.deleteFrom('login_throttles').where('key', 'in', keys).execute();
}

/** Forgets counts that are past their window and hold no lock. */
export async function sweepThrottles(db: Db, failedBefore: Date, now: Date): Promise<number> {
  const r = await db.deleteFrom('login_throttles').where('last_failure_at', '<', failedBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)])).executeTakeFirst();
  return Number(r.numDeletedRows);
}
