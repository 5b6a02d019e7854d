// Single sign-on rules: what a person's groups at the identity provider make them here, and
// who may still use a password when an admin has turned password sign-in off.
import type { GroupMapping, Role, SsoSettings } from '../auth/sso/config.js';

const STRENGTH: Record<Role, number> = { guest: 0, member: 1, admin: 2 };

export interface MappedAccess {
  /** null: the mapping says nothing about roles, keep the account's role. */
  role: Role | null;
  channels: string[];
}

/**
 * With a role mapping configured, the strongest role among the person's groups, or member
 * when none matches (so leaving the admins group at the provider demotes at the next sign-in).
 * Group names compare case-insensitively. Channels are the union over matching groups.
 */
export function mapGroups(mapping: GroupMapping, groups: readonly string[]): MappedAccess {
  const mine = new Set(groups.map((g) => g.toLowerCase()));
  const has = (g: string) => mine.has(g.toLowerCase());
  const roleGroups = Object.entries(mapping.roles);
  let role: Role | null = roleGroups.length ? 'member' : null;
  let best = -1;
  for (const [g, r] of roleGroups) {
    if (has(g) && STRENGTH[r] > best) {
      best = STRENGTH[r];
      role = r;
    }
  }
  const channels = new Set<string>();
  for (const [g, names] of Object.entries(mapping.channels)) if (has(g)) names.forEach((n) => channels.add(n));
  return { role, channels: [...channels].sort() };
}

export function anySsoEnabled(s: SsoSettings): boolean {
  return Boolean(s.oidc?.enabled || s.saml?.enabled || s.ldap?.enabled);
}

/** Password sign-in is on, or off while SSO is on, except for the break-glass accounts. */
export function mayUsePassword(s: SsoSettings, username: string): boolean {
  if (s.passwordLogin || !anySsoEnabled(s)) return true;
  return s.breakGlassUsers.includes(username.toLowerCase());
}

/** A username for a new account from what the provider calls the person. */
export function usernameFrom(candidates: Array<string | null | undefined>): string {
  for (const c of candidates) {
    if (!c) continue;
    const base = c.split('@')[0]!.normalize('NFKD').replace(/[^a-zA-Z0-9._-]/g, '').replace(/^[._-]+|[._-]+$/g, '').slice(0, 28);
    if (base.length >= 2 && !['channel', 'here', 'everyone', 'all'].includes(base.toLowerCase())) return base;
  }
  return 'user';
}
