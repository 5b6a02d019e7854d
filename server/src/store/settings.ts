// Workspace settings that admins change at run time, one JSON value per key.
import type { Db } from './db.js';

export interface WorkspaceSettings {
  workspaceName: string;
  openSignup: boolean;
}

const DEFAULTS: WorkspaceSettings = { workspaceName: 'Parley', openSignup: false };

export async function readSettings(db: Db): Promise<WorkspaceSettings> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const r of rows) if (r.key in DEFAULTS) out[r.key] = r.value;
  return out as unknown as WorkspaceSettings;
}

export async function writeSettings(db: Db, patch: Partial<WorkspaceSettings>): Promise<void> {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const json = JSON.stringify(value);
    await db.insertInto('settings').values({ key, value: json })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
  }
}
