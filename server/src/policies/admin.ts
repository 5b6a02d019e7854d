// What only workspace admins may do: one table, checked with one call from each action.
// The actor's role here is already the effective one: a token without the admin scope, or
// an admin outside PARLEY_ADMIN_ALLOWLIST, acts as a member (see credentials.ts and
// security/ip-allowlist.ts), so those refusals come from this same table.
import { AppError } from '../errors.js';
import type { Actor } from './channels.js';

const ADMIN_ONLY = {
  invite: 'Only admins can create invites.',
  manageAccounts: 'Only admins can change other accounts.',
  endSessions: "Only admins can end other people's sessions.",
  resetLinks: 'Only admins can create password-reset links.',
  workspaceSettings: 'Only admins can change workspace settings.',
  viewTwoFactorPolicy: 'Only admins can see the two-factor policy.',
  twoFactorPolicy: 'Only admins can change the two-factor policy.',
  singleSignOn: 'Only admins can configure single sign-on.',
  directorySync: 'Only admins can run the directory sync.',
  import: 'Only admins can import.',
  storageReport: 'Only admins can see storage use.',
  auditLog: 'Only admins can read the audit log and security alerts.',
  adminTokens: 'Only admins can create tokens with the admin scope.',
} as const;

export type AdminAction = keyof typeof ADMIN_ONLY;

export function checkAdmin(actor: Pick<Actor, 'role'>, action: AdminAction): string | null {
  return actor.role === 'admin' ? null : ADMIN_ONLY[action];
}

export function authorizeAdmin(actor: Pick<Actor, 'role'>, action: AdminAction): void {
  const reason = checkAdmin(actor, action);
  if (reason) throw new AppError(403, 'forbidden', reason);
}
