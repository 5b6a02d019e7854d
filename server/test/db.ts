// Test databases. With PARLEY_DATABASE_URL set (as in CI) every test server gets its own
// database on the real PostgreSQL, copied from a migrated template in milliseconds; without
// it, an in-memory PGlite. Either way each test file starts from an empty, migrated schema.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export function adminUrl(): string | null {
  return process.env.PARLEY_DATABASE_URL || null;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl()! });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<{ url: string | null; drop(): Promise<void> }> {
  const base = adminUrl();
  if (!base) return { url: null, drop: async () => {} };
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  return {
    url: withDatabase(base, name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export { withDatabase };
