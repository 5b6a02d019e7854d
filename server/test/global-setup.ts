// Builds the migrated template database once per run (real PostgreSQL only).
import { adminQuery, adminUrl, TEMPLATE_DB, withDatabase } from './db.js';
import { openDatabase } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';

export default async function setup(): Promise<void> {
  const base = adminUrl();
  if (!base) return;
  await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  const h = await openDatabase({ databaseUrl: withDatabase(base, TEMPLATE_DB), dataDir: ':memory:' });
  try {
    await migrateToLatest(h.db);
  } finally {
    await h.close();
  }
}
