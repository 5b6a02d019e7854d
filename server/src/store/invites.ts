import type { Db } from './db.js';

export async function insertInvite(db: Db, row: { id: string; token_hash: string; created_by: string; expires_at: Date; role?: 'member' | 'guest' }): Promise<void> {
  await db.insertInto('invites').values(row).execute();
}

/** Marks an unused, unexpired invite as used; false when there is none (call inside the signup transaction). */
export async function consumeInvite(db: Db, tokenHash: string, userId: string): Promise<boolean> {
  const r = await db
    .updateTable('invites')
    .set({ used_by: userId, used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_by', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function inviteUsable(db: Db, tokenHash: string): Promise<boolean> {
  const row = await db.selectFrom('invites').select('id').where('token_hash', '=', tokenHash)
    .where('used_by', 'is', null).where('expires_at', '>', new Date()).executeTakeFirst();
  return row !== undefined;
}

/** The role a live invite grants, or undefined when it is not usable. */
export async function inviteRole(db: Db, tokenHash: string): Promise<'member' | 'guest' | undefined> {
  const row = await db.selectFrom('invites').select('role').where('token_hash', '=', tokenHash)
    .where('used_by', 'is', null).where('expires_at', '>', new Date()).executeTakeFirst();
  return row?.role;
}
