// LDAP / Active Directory: sign-in by bind, and the directory sync that creates accounts for
// new entries, updates names, emails, roles and channels from attributes and groups, and
// deactivates accounts whose entry left the directory (or no longer matches the filter).
import { AppError } from '../errors.js';
import { DirectoryUnavailable, ldapCheckPassword, ldapFindUser, ldapListUsers, normalDn, type DirectoryUser } from '../auth/sso/ldap.js';
import * as sessions from '../store/sessions.js';
import * as sso from '../store/sso.js';
import * as users from '../store/users.js';
import type { UserRow } from '../store/schema.js';
import { announceUser } from './announce.js';
import { transact, type Deps } from './context.js';
import { beginSignInAttempt } from './sign-in-throttle.js';
import type { LoginResult } from './login.js';
import type { ClientInfo } from './sessions.js';
import { effectiveSso, enabledProvider, signInExternal, upsertExternalUser, type ExternalIdentity } from './sso.js';
import { authorizeAdmin } from '../policies/admin.js';

const unavailable = (deps: Deps, err: unknown) => {
  deps.log.warn({ reason: (err as Error).message }, 'LDAP directory unavailable');
  return new AppError(502, 'sso_unavailable', 'The directory cannot be reached; try again later.');
};

const identity = (u: DirectoryUser): ExternalIdentity => ({
  provider: 'ldap', subject: u.uuid, email: u.email, emailVerified: true, username: u.username, displayName: u.displayName, groups: u.groups,
});

/**
 * The account an LDAP attempt is counted under (actions/sign-in-throttle.ts): the linked Parley
 * user (so password and LDAP guesses add up), else the directory entry, else the login as the
 * directory would match it (uid is caseIgnoreMatch: case, outer and repeated spaces do not count).
 */
async function ldapThrottleAccount(deps: Deps, login: string, entry: DirectoryUser | null): Promise<string> {
  if (!entry) return `ldap:${login.trim().replace(/\s+/g, ' ').toLowerCase()}`;
  const linked = await sso.findLinkedUser(deps.db, 'ldap', entry.uuid);
  return linked ? linked.id : `ldap-dn:${normalDn(entry.dn)}`;
}

export async function doLdapLogin(deps: Deps, login: string, password: string, client: ClientInfo): Promise<LoginResult> {
  const settings = await enabledProvider(deps, 'ldap');
  const directory = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DirectoryUnavailable) throw unavailable(deps, err);
      throw err;
    }
  };
  // The entry is looked up first (no password involved) so the attempt counts against it.
  const entry = await directory(() => ldapFindUser(settings, login));
  const attempt = await beginSignInAttempt(deps, await ldapThrottleAccount(deps, login, entry), client.ip);
  if (!entry || !(await directory(() => ldapCheckPassword(settings, entry, password)))) {
    throw new AppError(401, 'invalid_credentials', 'The login or password is wrong.');
  }
  const result = await signInExternal(deps, identity(entry), settings.mapping, client);
  await attempt.succeeded({ complete: 'session' in result });
  return result;
}

export interface SyncReport {
  directoryUsers: number;
  created: number;
  updated: number;
  deactivated: number;
  skipped: string[];
}

/** One pass over the directory. Admin-triggered (actor given) or periodic (no actor). */
export async function doLdapSync(deps: Deps, actor?: UserRow): Promise<SyncReport> {
  if (actor) authorizeAdmin(actor, 'directorySync');
  const settings = await enabledProvider(deps, 'ldap');
  let entries: DirectoryUser[];
  try {
    entries = await ldapListUsers(settings);
  } catch (err) {
    if (err instanceof DirectoryUnavailable) throw unavailable(deps, err);
    throw err;
  }
  const report: SyncReport = { directoryUsers: entries.length, created: 0, updated: 0, deactivated: 0, skipped: [] };
  const before = new Map((await sso.listIdentities(deps.db, 'ldap')).map((i) => [i.subject, i]));
  for (const entry of entries) {
    try {
      const known = before.has(entry.uuid);
      await transact(deps, (tx, events) => upsertExternalUser(deps, tx, events, identity(entry), settings.mapping));
      if (known) report.updated++; else report.created++;
    } catch (err) {
      // One bad entry (no email, an email another account holds unverified) does not stop the sync.
      report.skipped.push(entry.username);
      deps.log.warn({ user: entry.username, reason: (err as Error).message }, 'LDAP sync skipped an entry');
    }
  }
  // An empty answer is far more likely a broken filter than an empty company: deactivate nobody then.
  if (entries.length === 0) return report;
  const present = new Set(entries.map((e) => e.uuid));
  for (const [subject, link] of before) {
    if (present.has(subject) || link.deactivated) continue;
    await transact(deps, async (tx, events) => {
      const row = await users.updateUser(tx, link.user_id, { deactivated: true });
      events.endSessions(await sessions.deleteUserSessions(tx, link.user_id));
      await announceUser(tx, events, row);
    });
    report.deactivated++;
  }
  return report;
}

/** Runs the sync every `syncIntervalMinutes` (re-read each time, so admin changes apply); returns a stopper. */
export function startLdapSyncTimer(deps: Deps, tickMs = 60_000): () => void {
  let last = 0;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const ldap = (await effectiveSso(deps)).ldap;
      if (!ldap?.enabled || ldap.syncIntervalMinutes <= 0 || Date.now() - last < ldap.syncIntervalMinutes * 60_000) return;
      last = Date.now();
      const report = await doLdapSync(deps);
      deps.log.info({ ...report, skipped: report.skipped.length }, 'LDAP directory synced');
    } catch (err) {
      deps.log.warn({ reason: (err as Error).message }, 'LDAP sync failed');
    } finally {
      running = false;
    }
  }, tickMs);
  timer.unref();
  return () => clearInterval(timer);
}
