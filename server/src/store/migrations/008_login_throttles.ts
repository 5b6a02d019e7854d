import { sql, type Kysely } from 'kysely';

// Failed sign-in attempts, counted per scope (an account, an address, or the pair of both;
// see security/brute-force.ts). Kept in the database so every node sees the same counts.
// key: the SHA-256 of the scope and its value, so a password mistyped into the login field
// is never stored in clear.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE login_throttles (
      key text PRIMARY KEY,
      failures integer NOT NULL DEFAULT 0,
      last_failure_at timestamptz NOT NULL,
      locked_until timestamptz
    );
    CREATE INDEX login_throttles_last_failure_idx ON login_throttles (last_failure_at);
  `.execute(db);
}
