import { sql, type Kysely } from 'kysely';

// has:link beside a frequent word: without an index on has_link, PostgreSQL read a heap page
// for every message with the word to test has_link there (a page per match, all over the
// table). This small partial index (about 6 % of messages) lets it AND the word's GIN bitmap
// with the messages that have a link before reading any row. Its columns change only when the
// text does (has_link is generated from it; deleting empties the text), which already updates
// the GIN index, so it costs no HOT updates. is:thread gets no such index on purpose: its
// predicate reads reply_count, which every reply updates on its root, and indexing it would
// turn those cheap in-place (HOT) updates into full index updates on the posting path.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX messages_link_idx ON messages (id) WHERE has_link AND deleted_at IS NULL`.execute(db);
}
