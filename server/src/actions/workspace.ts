// The workspace as a whole: its settings and the #general channel every user is in.
import type { Workspace } from '@parley/protocol';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import * as channels from '../store/channels.js';
import * as users from '../store/users.js';
import { readSettings, writeSettings, type WorkspaceSettings } from '../store/settings.js';
import type { UserRow } from '../store/schema.js';
import { isUniqueViolation, transact, type Deps } from './context.js';
import { audit, type AuditClient } from './audit.js';
import { authorizeAdmin } from '../policies/admin.js';

/** Creates #general on first start; safe to run on every start and on several nodes at once. */
export async function ensureGeneral(deps: Deps): Promise<void> {
  if (await channels.findGeneral(deps.db)) return;
  try {
    await channels.insertChannel(deps.db, {
      id: newId(), kind: 'public', name: 'general', is_general: true, created_by: null,
      purpose: 'Announcements and conversation for everyone in the workspace.',
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}

export async function getWorkspace(deps: Deps): Promise<Workspace> {
  const s = await readSettings(deps.db);
  return {
    name: s.workspaceName,
    setupRequired: (await users.countUsers(deps.db)) === 0,
    openSignup: s.openSignup,
    maxMessageLength: deps.config.maxMessageLength,
    maxFileSize: deps.config.files.maxFileSize,
    membersCanAddEmoji: s.membersCanAddEmoji,
    linkPreviews: s.linkPreviews,
  };
}

export async function doUpdateWorkspace(deps: Deps, actor: UserRow, patch: Partial<WorkspaceSettings>, client: AuditClient): Promise<Workspace> {
  authorizeAdmin(actor, 'workspaceSettings');
  if (patch.workspaceName !== undefined && !patch.workspaceName.trim()) {
    throw new AppError(400, 'invalid_request', 'The workspace needs a name.');
  }
  const next = { ...patch, workspaceName: patch.workspaceName?.trim() };
  await transact(deps, async (tx, events) => {
    await writeSettings(tx, next);
    const changed = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as Record<string, string | boolean>;
    await audit({ deps, tx, events, by: actor, client }, 'workspace.updated', { type: 'workspace', id: null }, { changed });
  });
  return getWorkspace(deps);
}
