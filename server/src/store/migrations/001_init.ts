import { sql, type Kysely } from 'kysely';

// Plain SQL: one dialect (PostgreSQL) for both the real server and embedded PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY,
      username text NOT NULL,
      email text NOT NULL,
      display_name text NOT NULL,
      password_hash text,
      role text NOT NULL CHECK (role IN ('admin', 'member')),
      deactivated boolean NOT NULL DEFAULT false,
      status_text text NOT NULL DEFAULT '',
      status_emoji text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_username_key ON users (lower(username));
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));

    CREATE TABLE sessions (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      csrf_token text NOT NULL,
      user_agent text NOT NULL DEFAULT '',
      ip text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);

    CREATE TABLE invites (
      id uuid PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      created_by uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_by uuid REFERENCES users (id),
      used_at timestamptz
    );

    CREATE TABLE settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL
    );

    CREATE TABLE channels (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('public', 'private', 'dm', 'group')),
      name text,
      topic text NOT NULL DEFAULT '',
      purpose text NOT NULL DEFAULT '',
      archived boolean NOT NULL DEFAULT false,
      read_only boolean NOT NULL DEFAULT false,
      is_general boolean NOT NULL DEFAULT false,
      created_by uuid REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      dm_key text UNIQUE,
      last_seq bigint NOT NULL DEFAULT 0,
      member_count integer NOT NULL DEFAULT 0,
      CHECK ((kind IN ('public', 'private')) = (name IS NOT NULL)),
      CHECK ((kind IN ('dm', 'group')) = (dm_key IS NOT NULL))
    );
    CREATE UNIQUE INDEX channels_name_key ON channels (name) WHERE name IS NOT NULL;
    CREATE UNIQUE INDEX channels_general_key ON channels (is_general) WHERE is_general;

    CREATE TABLE channel_members (
      channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'member')),
      muted boolean NOT NULL DEFAULT false,
      last_read_seq bigint NOT NULL DEFAULT 0,
      last_read_message_id uuid,
      joined_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (channel_id, user_id)
    );
    CREATE INDEX channel_members_user_idx ON channel_members (user_id);

    CREATE TABLE messages (
      id uuid PRIMARY KEY,
      channel_id uuid NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id),
      text text NOT NULL,
      thread_root_id uuid REFERENCES messages (id),
      seq bigint NOT NULL,
      reply_count integer NOT NULL DEFAULT 0,
      reply_seq bigint NOT NULL DEFAULT 0,
      last_reply_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      edited_at timestamptz,
      deleted_at timestamptz,
      pinned_at timestamptz,
      pinned_by uuid REFERENCES users (id),
      mentions uuid[] NOT NULL DEFAULT '{}',
      broadcast_mention text CHECK (broadcast_mention IN ('channel', 'here')),
      client_id text
    );
    -- Top-level messages in channel order: history pages and unread counts walk this index.
    CREATE UNIQUE INDEX messages_channel_seq_key ON messages (channel_id, seq) WHERE thread_root_id IS NULL;
    CREATE UNIQUE INDEX messages_thread_seq_key ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL;
    -- A retried create with the same clientId finds the first one instead of making a second.
    CREATE UNIQUE INDEX messages_client_id_key ON messages (user_id, client_id) WHERE client_id IS NOT NULL;
    CREATE INDEX messages_pinned_idx ON messages (channel_id, pinned_at) WHERE pinned_at IS NOT NULL;

    CREATE TABLE message_versions (
      id uuid PRIMARY KEY,
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      text text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX message_versions_message_idx ON message_versions (message_id);

    CREATE TABLE reactions (
      message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      emoji text NOT NULL,
      user_id uuid NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (message_id, emoji, user_id)
    );

    CREATE TABLE thread_followers (
      root_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      following boolean NOT NULL,
      last_read_seq bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (root_id, user_id)
    );
    CREATE INDEX thread_followers_user_idx ON thread_followers (user_id) WHERE following;
  `.execute(db);
}
