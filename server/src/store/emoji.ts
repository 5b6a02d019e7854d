// Custom emoji, one row per name.
import type { Db } from './db.js';
import type { CustomEmojiRow } from './schema.js';

export async function insertEmoji(db: Db, row: Omit<CustomEmojiRow, 'created_at'>): Promise<CustomEmojiRow> {
  return db.insertInto('custom_emoji').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findEmoji(db: Db, name: string): Promise<CustomEmojiRow | undefined> {
  return db.selectFrom('custom_emoji').selectAll().where('name', '=', name).executeTakeFirst();
}

export function listEmoji(db: Db): Promise<CustomEmojiRow[]> {
  return db.selectFrom('custom_emoji').selectAll().orderBy('name').execute();
}

export function deleteEmoji(db: Db, name: string): Promise<CustomEmojiRow | undefined> {
  return db.deleteFrom('custom_emoji').where('name', '=', name).returningAll().executeTakeFirst();
}
