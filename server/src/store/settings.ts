// Workspace settings that admins change at run time, one JSON value per key.
import type { Db } from './db.js';

export interface TwoFactorPolicySetting {
  require: 'off' | 'admins' | 'everyone';
  graceDays: number;
  /** ISO time the grace period ends (set when the policy is set). */
  enforceAt: string | null;
}

export interface WorkspaceSettings {
  workspaceName: string;
  openSignup: boolean;
  twoFactorPolicy: TwoFactorPolicySetting;
  /** Members (not only admins) may add custom emoji. */
  membersCanAddEmoji: boolean;
  /** Fetch Open Graph previews of links in new and edited messages. */
  linkPreviews: boolean;
}

const DEFAULTS: WorkspaceSettings = {
  workspaceName: 'Parley', openSignup: false, twoFactorPolicy: { require: 'off', graceDays: 0, enforceAt: null },
  membersCanAddEmoji: false, linkPreviews: true,
};

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
