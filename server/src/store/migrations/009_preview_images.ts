import { sql, type Kysely } from 'kysely';

// Link preview images are stored by Parley (previews/image.ts) and served from its origin, so
// viewers' browsers never contact the linked site. image_id names the stored object
// (previews/<last two>/<image_id> in the file storage) and the URL it is served at;
// image_encrypted says whether it was encrypted at rest when written. image_url keeps the
// page's own address of the image, for the server only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE link_previews
      ADD COLUMN image_id uuid,
      ADD COLUMN image_width integer,
      ADD COLUMN image_height integer,
      ADD COLUMN image_encrypted boolean NOT NULL DEFAULT false;
  `.execute(db);
}
