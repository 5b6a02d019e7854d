// Single-use password-reset links, found by the SHA-256 of their token.
import type { Db } from './db.js';

export async function insertReset(db: Db, row: { id: string; user_id: string; token_hash: string; created_by: string | null; expires_at: Date }): Promise<void> {
  await db.insertInto('password_resets').values(row).execute();
}

/** Uses up a live link and returns its user; undefined when unknown, expired or used. */
export async function consumeReset(db: Db, tokenHash: string): Promise<string | undefined> {
  const r = await db.updateTable('password_resets').set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash).where('used_at', 'is', null).where('expires_at', '>', new Date())
    .returning('user_id').executeTakeFirst();
  return r?.user_id;
}

/** The user a live link is for, or undefined. */
export async function resetUser(db: Db, tokenHash: string): Promise<string | undefined> {
  const r = await db.selectFrom('password_resets').select('user_id').where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null).where('expires_at', '>', new Date()).executeTakeFirst();
  return r?.user_id;
}

/** Once the password changed, every other outstanding link for the user is void. */
export async function voidResets(db: Db, userId: string): Promise<void> {
  await db.updateTable('password_resets').set({ used_at: new Date() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
