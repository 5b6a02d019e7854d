// Who shares a channel with whom: the reach of a guest. Only public and private channels
// count (a DM does not make its people reachable to a guest in new conversations).
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { UserRow } from './schema.js';

/** The ids among `others` who are in some public or private channel with `userId`. */
export async function peersAmong(db: Db, userId: string, others: readonly string[]): Promise<Set<string>> {
  if (others.length === 0) return new Set();
  const rows = await db
    .selectFrom('channel_members as mine')
    .innerJoin('channels as c', 'c.id', 'mine.channel_id')
    .innerJoin('channel_members as theirs', 'theirs.channel_id', 'mine.channel_id')
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .where('c.kind', 'in', ['public', 'private'])
    .where('theirs.user_id', 'in', others)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** People search restricted to `userId` and those who share a public or private channel with them. */
export function searchPeers(db: Db, userId: string, query: string, limit: number): Promise<UserRow[]> {
  let q = db.selectFrom('users as u').selectAll('u')
    .where((eb) => eb.or([
      eb('u.id', '=', userId),
      eb.exists(eb.selectFrom('channel_members as mine')
        .innerJoin('channels as c', 'c.id', 'mine.channel_id')
        .innerJoin('channel_members as theirs', 'theirs.channel_id', 'mine.channel_id')
        .select('theirs.user_id')
        .where('mine.user_id', '=', userId)
        .where('c.kind', 'in', ['public', 'private'])
        .whereRef('theirs.user_id', '=', 'u.id')),
    ]))
    .orderBy(sql`lower(u.username)`)
    .limit(limit);
  if (query) {
    const like = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) => eb.or([eb(sql`lower(u.username)`, 'like', like), eb(sql`lower(u.display_name)`, 'like', like)]));
  }
  return q.execute();
}
