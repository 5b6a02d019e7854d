import { sql, type Kysely } from 'kysely';

// Imports from other chat systems (Slack first). Imported rows use deterministic ids
// (ids.ts idAt), so a re-run finds what it already wrote; these tables hold what ids cannot:
// - import_maps: an external id mapped to a row that was not minted from it (a Slack user
//   matched to an existing account by email, Slack's #general mapped to Parley's #general);
// - import_runs: one per import of one zip (keyed by a fingerprint of the zip), with the
//   per-day files already committed and the report so far, written in the same transaction
//   as each batch. A killed run resumes from it without counting anything twice.
// Messages gain a subtype (system events, bot posts, broadcast replies) and users a bot flag.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users ADD COLUMN is_bot boolean NOT NULL DEFAULT false;
    ALTER TABLE users ADD COLUMN avatar_url text;
    ALTER TABLE messages ADD COLUMN subtype text;

    CREATE TABLE import_maps (
      source text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('user', 'channel')),
      external_id text NOT NULL,
      internal_id uuid NOT NULL,
      PRIMARY KEY (source, kind, external_id)
    );

    CREATE TABLE import_runs (
      id uuid PRIMARY KEY,
      source text NOT NULL,
      fingerprint text NOT NULL,
      dry_run boolean NOT NULL DEFAULT false,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
      created_by uuid REFERENCES users (id) ON DELETE SET NULL,
      zip_path text,
      done_entries text[] NOT NULL DEFAULT '{}',
      progress jsonb NOT NULL DEFAULT '{}',
      report jsonb,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX import_runs_fingerprint_idx ON import_runs (source, fingerprint, created_at);
  `.execute(db);
}
