// TOTP credentials and recovery codes.
import type { Db } from './db.js';
import type { TotpRow } from './schema.js';

export function findTotp(db: Db, userId: string): Promise<TotpRow | undefined> {
  return db.selectFrom('totp_credentials').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A new, unconfirmed secret replaces any earlier unconfirmed one (never a confirmed one). */
export async function putPendingTotp(db: Db, userId: string, secretSealed: string): Promise<boolean> {
  const r = await db.insertInto('totp_credentials').values({ user_id: userId, secret_sealed: secretSealed })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_sealed: secretSealed, created_at: new Date(), last_used_step: 0 })
      .where('totp_credentials.confirmed_at', 'is', null))
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Records that a code of `step` was accepted, only if no code of that step or a later one was:
 * false means a replay (or a race with another use of the same code). Confirms a pending secret.
 */
export async function useTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const r = await db.updateTable('totp_credentials')
    .set((eb) => ({ last_used_step: step, confirmed_at: eb.fn.coalesce('confirmed_at', eb.val(new Date())) }))
    .where('user_id', '=', userId).where('last_used_step', '<', step).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('totp_credentials').where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(db: Db, userId: string, rows: Array<{ id: string; code_hash: string }>): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length) await db.insertInto('recovery_codes').values(rows.map((r) => ({ ...r, user_id: userId }))).execute();
}

/** Uses up an unused code; false when it is unknown or already used. */
export async function useRecoveryCode(db: Db, userId: string, codeHash: string): Promise<boolean> {
  const r = await db.updateTable('recovery_codes').set({ used_at: new Date() })
    .where('user_id', '=', userId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countRecoveryCodes(db: Db, userId: string): Promise<number> {
  const r = await db.selectFrom('recovery_codes').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteRecoveryCodes(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}
