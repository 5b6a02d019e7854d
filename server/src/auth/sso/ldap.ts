// LDAP / Active Directory on `ldapts` (loaded on first use). Sign-in is search-then-bind: the
// service account finds the one entry under the user base that matches the configured filter
// and the username (escaped, RFC 4515), then we bind as that entry with the given password.
// Directory listing for the periodic sync uses the same base and filter.
import type { LdapSettings } from './config.js';

type Lib = typeof import('ldapts');
let lib: Promise<Lib> | null = null;
const load = () => (lib ??= import('ldapts'));

/** Escapes a value for use inside an LDAP search filter (RFC 4515): no injection through usernames. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface DirectoryUser {
  dn: string;
  /** entryUUID (OpenLDAP) or objectGUID (AD), else the DN: the stable subject. */
  uuid: string;
  username: string;
  email: string | null;
  displayName: string | null;
  groups: string[];
}

export class DirectoryUnavailable extends Error {}

const normDn = (dn: string) => dn.toLowerCase().replace(/\s*,\s*/g, ',').replace(/\s*=\s*/g, '=');

function first(v: unknown): string | null {
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined || x === null) return null;
  if (Buffer.isBuffer(x)) return x.toString('hex');
  const s = String(x).trim();
  return s || null;
}

async function withServiceClient<T>(s: LdapSettings, work: (c: InstanceType<Lib['Client']>, l: Lib) => Promise<T>): Promise<T> {
  const l = await load();
  const c = new l.Client({ url: s.url, timeout: 10_000, connectTimeout: 5_000 });
  try {
    try {
      await c.bind(s.bindDn, s.bindPassword ?? '');
    } catch (err) {
      throw new DirectoryUnavailable(`service bind failed: ${(err as Error).message}`);
    }
    return await work(c, l);
  } catch (err) {
    if (err instanceof DirectoryUnavailable) throw err;
    throw new DirectoryUnavailable((err as Error).message);
  } finally {
    await c.unbind().catch(() => {});
  }
}

const userAttributes = (s: LdapSettings) => [s.usernameAttribute, s.emailAttribute, s.displayNameAttribute, 'entryUUID', 'objectGUID'];

function toUser(s: LdapSettings, e: Record<string, unknown> & { dn: string }, groups: string[]): DirectoryUser | null {
  const username = first(e[s.usernameAttribute]);
  if (!username) return null;
  return {
    dn: e.dn, uuid: first(e.entryUUID) ?? first(e.objectGUID) ?? normDn(e.dn), username,
    email: first(e[s.emailAttribute]), displayName: first(e[s.displayNameAttribute]), groups,
  };
}

async function groupsOf(c: InstanceType<Lib['Client']>, s: LdapSettings, memberDn: string | null): Promise<Map<string, string[]>> {
  const byMember = new Map<string, string[]>();
  if (!s.groupBase) return byMember;
  const filter = memberDn ? `(&${s.groupFilter}(${s.groupMemberAttribute}=${escapeFilterValue(memberDn)}))` : s.groupFilter;
  const { searchEntries } = await c.search(s.groupBase, { scope: 'sub', filter, attributes: [s.groupNameAttribute, s.groupMemberAttribute] });
  for (const g of searchEntries) {
    const name = first(g[s.groupNameAttribute]);
    if (!name) continue;
    const members = memberDn ? [memberDn] : [g[s.groupMemberAttribute]].flat().filter(Boolean).map(String);
    for (const m of members) {
      const k = normDn(m);
      byMember.set(k, [...(byMember.get(k) ?? []), name]);
    }
  }
  return byMember;
}

/** The directory entry for these credentials, or null for a wrong username or password. */
/** The one entry the login names (found by the service account), or null: the first half of sign-in. */
export async function ldapFindUser(s: LdapSettings, username: string): Promise<DirectoryUser | null> {
  if (!username || username.length > 256) return null;
  return withServiceClient(s, async (c) => {
    const filter = `(&${s.userFilter}(${s.usernameAttribute}=${escapeFilterValue(username)}))`;
    const { searchEntries } = await c.search(s.userBase, { scope: 'sub', filter, attributes: userAttributes(s), sizeLimit: 2 });
    if (searchEntries.length !== 1) return null;
    const entry = searchEntries[0]!;
    const groups = (await groupsOf(c, s, entry.dn)).get(normDn(entry.dn)) ?? [];
    return toUser(s, entry, groups);
  });
}

/** Whether `password` binds as the entry: the second half of sign-in. */
export async function ldapCheckPassword(s: LdapSettings, found: DirectoryUser, password: string): Promise<boolean> {
  // An empty password would be an "unauthenticated bind", which servers accept: never.
  if (!password) return false;
  const l = await load();
  const asUser = new l.Client({ url: s.url, timeout: 10_000, connectTimeout: 5_000 });
  try {
    await asUser.bind(found.dn, password);
    return true;
  } catch (err) {
    if (err instanceof l.InvalidCredentialsError) return false;
    throw new DirectoryUnavailable((err as Error).message);
  } finally {
    await asUser.unbind().catch(() => {});
  }
}

/** The entry's DN as compared (lower-cased, no spaces around separators): a stable key for it. */
export const normalDn = normDn;

export async function ldapListUsers(s: LdapSettings): Promise<DirectoryUser[]> {
  return withServiceClient(s, async (c) => {
    const { searchEntries } = await c.search(s.userBase, { scope: 'sub', filter: s.userFilter, attributes: userAttributes(s), paged: true });
    const groups = await groupsOf(c, s, null);
    return searchEntries.map((e) => toUser(s, e, groups.get(normDn(e.dn)) ?? [])).filter((u): u is DirectoryUser => u !== null);
  });
}
