// Migrations are listed in code (not discovered on disk) so the compiled server and the
// tests run exactly the same set, in the same order.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './migrations/001_init.js';
import * as m002 from './migrations/002_files.js';
import * as m003 from './migrations/003_search.js';
import * as m004 from './migrations/004_identity.js';
import * as m005 from './migrations/005_import.js';
import * as m006 from './migrations/006_sso.js';
import * as m007audit from './migrations/007_audit.js';
import * as m008 from './migrations/008_login_throttles.js';
import * as m009 from './migrations/009_preview_images.js';
import * as m010 from './migrations/010_search_link_index.js';

const MIGRATIONS: Record<string, Migration> = {
  '001_init': m001,
  '002_files': m002,
  '003_search': m003,
  '004_identity': m004,
  '005_import': m005,
  '006_sso': m006,
  '007_audit': m007audit,
  '008_login_throttles': m008,
  '009_preview_images': m009,
  '010_search_link_index': m010,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
