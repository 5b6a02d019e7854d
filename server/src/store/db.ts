// Opens the database: a real PostgreSQL when a URL is configured, embedded PGlite otherwise.
// Every query passes through one Kysely instance whose log hook counts queries, which the
// tests use for query budgets on hot endpoints.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Number of queries run since start; read before and after a request to budget it. */
  stats: { queries: number };
  close(): Promise<void>;
}

// int8 (counts, sequence numbers) as JS numbers: they stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string; poolSize?: number }): Promise<DatabaseHandle> {
  const stats = { queries: 0 };
  const log = () => {
    stats.queries++;
  };
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client that loses its server must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    return { db, kind: 'postgres', stats, close: () => db.destroy() };
  }
  const dir = opts.dataDir === ':memory:' ? undefined : path.join(opts.dataDir, 'pglite');
  if (dir) fs.mkdirSync(dir, { recursive: true });
  // Loaded only when used: PGlite is large, and a PostgreSQL deployment should not pay for it.
  const { PGlitePool } = await import('./pglite-pool.js');
  const pool = await PGlitePool.open(dir);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
  return { db, kind: 'pglite', stats, close: () => db.destroy() };
}
