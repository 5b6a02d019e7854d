// Builds a migrated template database once per run (real PostgreSQL only). Its name is
// unique to this run, so several runs against one PostgreSQL never collide.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { adminQuery, adminUrl, withDatabase } from './db.js';
import { openDatabase } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = adminUrl();
  if (!base) {
    project.provide('templateDb', null);
    return async () => {};
  }
  const name = `parley_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const h = await openDatabase({ databaseUrl: withDatabase(base, name), dataDir: ':memory:' });
  try {
    await migrateToLatest(h.db);
  } finally {
    await h.close();
  }
  project.provide('templateDb', name);
  return () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
