import { sql, type Kysely } from 'kysely';

// Full-text search over messages, and the link previews attached to them.
//
// The search vector is a STORED generated column, so PostgreSQL keeps it in step with the
// text in the very statement that writes the text (insert, edit, and delete, which empties
// the text): no trigger, no second write path, no drift. The 'english' configuration stems
// ("deploy" finds "deployed", "deploying", "deployment") and drops stop words, which keeps
// the most frequent words out of the index (a query for "the" would otherwise rank half the
// table). Its costs: words of other languages are indexed unstemmed, and a query made only
// of stop words finds nothing (the search answers search_query_empty). Accents are kept as
// written ("café" does not find "cafe"): unaccent is an extension that PGlite does not ship,
// and one schema serves both databases. Changing the configuration later means replacing the
// column, which rewrites the table.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE messages
      ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED,
      ADD COLUMN has_link boolean GENERATED ALWAYS AS (text ~* 'https?://[^[:space:]/?#]') STORED;
    CREATE INDEX messages_search_idx ON messages USING gin (search_vector);
    -- Filters, and filter-only searches newest first: from:@user, in:#channel, dates.
    CREATE INDEX messages_user_created_idx ON messages (user_id, created_at, id);
    CREATE INDEX messages_channel_created_idx ON messages (channel_id, created_at, id);
    CREATE INDEX messages_created_idx ON messages (created_at, id);

    -- Open Graph previews of the links in a message, fetched after the message is committed.
    -- A dismissed row stays, so a fetch that finishes later (or an edit) does not bring the
    -- preview back.
    CREATE TABLE link_previews (
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      url text NOT NULL,
      position smallint NOT NULL,
      title text NOT NULL DEFAULT '',
      description text NOT NULL DEFAULT '',
      image_url text,
      site_name text NOT NULL DEFAULT '',
      dismissed boolean NOT NULL DEFAULT false,
      fetched_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (message_id, url)
    );
  `.execute(db);
}
