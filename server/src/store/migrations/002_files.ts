import { sql, type Kysely } from 'kysely';

// Uploaded files and custom emoji. The bytes live in the file storage (disk or S3) under
// `storage_key`; these rows say who owns them, where they are shared and what they are.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE files (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id),
      -- Null while an upload waits to be sent with a message; set once, in the posting transaction.
      message_id uuid REFERENCES messages (id) ON DELETE CASCADE,
      channel_id uuid REFERENCES channels (id) ON DELETE CASCADE,
      name text NOT NULL,
      mime_type text NOT NULL,
      size bigint NOT NULL,
      width integer,
      height integer,
      placeholder text,
      -- The prefix of the stored objects: <prefix>/original, and /thumbnail, /preview for images.
      storage_key text NOT NULL,
      has_previews boolean NOT NULL DEFAULT false,
      -- Whether the stored bytes are encrypted at rest (so turning encryption on later still reads old files).
      encrypted boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      -- Set when the sharing message is deleted: the file is gone for everyone from then on.
      deleted_at timestamptz,
      CHECK ((message_id IS NULL) = (channel_id IS NULL))
    );
    CREATE INDEX files_message_idx ON files (message_id) WHERE message_id IS NOT NULL;
    -- A channel's files, newest first (ids are UUIDv7, so id order is upload order).
    CREATE INDEX files_channel_idx ON files (channel_id, id) WHERE channel_id IS NOT NULL AND deleted_at IS NULL;
    CREATE INDEX files_user_idx ON files (user_id) WHERE deleted_at IS NULL;

    CREATE TABLE custom_emoji (
      name text PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      mime_type text NOT NULL,
      size integer NOT NULL,
      storage_key text NOT NULL,
      encrypted boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}
