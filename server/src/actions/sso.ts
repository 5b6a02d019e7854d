// Single sign-on, the part every provider shares: the effective configuration (an admin's
// stored copy, else PARLEY_* / PARLEY_SSO_CONFIG), the admin API over it, the public list of
// providers, the password-login switch, and `signInExternal`, which turns an identity the
// provider vouched for into a user (linked, matched by verified email, or created just in
// time), applies the group mapping, and hands over to completeFirstFactor, so second-factor
// and enrolment rules apply to SSO exactly as to passwords.
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import { seal, unseal } from '../auth/secretbox.js';
import { parseSso, SsoConfigError, type GroupMapping, type SsoSettings } from '../auth/sso/config.js';
import { anySsoEnabled, mapGroups, mayUsePassword, usernameFrom } from '../policies/sso.js';
import * as channels from '../store/channels.js';
import * as sso from '../store/sso.js';
import * as users from '../store/users.js';
import type { Db } from '../store/db.js';
import type { UserRow } from '../store/schema.js';
import type { EventQueue } from '../events/queue.js';
import { announceUser } from './announce.js';
import { addAndAnnounce } from './channels.js';
import { isUniqueViolation, transact, type Deps } from './context.js';
import { completeFirstFactor, type LoginResult } from './login.js';
import type { ClientInfo } from './sessions.js';
import { audit } from './audit.js';
import { authorizeAdmin } from '../policies/admin.js';

export type ProviderId = 'oidc' | 'saml' | 'ldap';

/** The SSO settings in force: the admin's stored copy (secrets unsealed) or the configured ones. */
export async function effectiveSso(deps: Deps, db: Db = deps.db): Promise<SsoSettings> {
  const stored = (await sso.readStoredConfig(db)) as (Record<string, any> & { secrets?: Record<string, string> }) | undefined;
  if (!stored) return deps.config.sso;
  const settings = parseSso(stored.settings);
  const secret = (k: string) => (stored.secrets?.[k] ? unseal(deps.config, stored.secrets[k]!) : null);
  if (settings.oidc) settings.oidc.clientSecret = secret('oidc');
  if (settings.ldap) settings.ldap.bindPassword = secret('ldap');
  return settings;
}

const sso404 = (p: string) => new AppError(404, 'sso_disabled', `${p} sign-in is not enabled on this server.`);

export async function enabledProvider<K extends ProviderId>(deps: Deps, id: K): Promise<NonNullable<SsoSettings[K]>> {
  const s = (await effectiveSso(deps))[id];
  if (!s || !s.enabled) throw sso404(id.toUpperCase());
  return s as NonNullable<SsoSettings[K]>;
}

export interface ProviderList {
  passwordLogin: boolean;
  providers: Array<{ id: ProviderId; label: string; kind: 'redirect' | 'password'; loginUrl: string }>;
}

/** For the sign-in screen (public): which buttons to show. */
export async function listProviders(deps: Deps): Promise<ProviderList> {
  const s = await effectiveSso(deps);
  const providers: ProviderList['providers'] = [];
  if (s.oidc?.enabled) providers.push({ id: 'oidc', label: s.oidc.label, kind: 'redirect', loginUrl: '/api/v1/auth/oidc/login' });
  if (s.saml?.enabled) providers.push({ id: 'saml', label: s.saml.label, kind: 'redirect', loginUrl: '/api/v1/auth/saml/login' });
  if (s.ldap?.enabled) providers.push({ id: 'ldap', label: s.ldap.label, kind: 'password', loginUrl: '/api/v1/auth/ldap/login' });
  return { passwordLogin: s.passwordLogin || !anySsoEnabled(s), providers };
}

/** Refuses a password sign-in (or sign-up) when an admin turned passwords off, unless break-glass. */
export async function checkPasswordAllowed(deps: Deps, username: string | null): Promise<void> {
  const s = await effectiveSso(deps);
  if (username !== null ? mayUsePassword(s, username) : s.passwordLogin || !anySsoEnabled(s)) return;
  throw new AppError(403, 'password_login_disabled', 'Password sign-in is turned off here; use single sign-on.');
}

// ---- admin API

type Redacted = Record<string, unknown>;

/** The settings with secrets replaced by whether they are set; never the secret itself. */
function redact(s: SsoSettings): Redacted {
  return {
    passwordLogin: s.passwordLogin,
    breakGlassUsers: s.breakGlassUsers,
    oidc: s.oidc && { ...s.oidc, clientSecret: undefined, hasClientSecret: Boolean(s.oidc.clientSecret) },
    saml: s.saml,
    ldap: s.ldap && { ...s.ldap, bindPassword: undefined, hasBindPassword: Boolean(s.ldap.bindPassword) },
  };
}

const adminOnly = (actor: UserRow) => {
  authorizeAdmin(actor, 'singleSignOn');
};

export async function getSsoConfig(deps: Deps, actor: UserRow): Promise<{ source: 'config' | 'admin'; settings: Redacted }> {
  adminOnly(actor);
  const stored = await sso.readStoredConfig(deps.db);
  return { source: stored ? 'admin' : 'config', settings: redact(await effectiveSso(deps)) };
}

/**
 * Replaces the SSO settings. A secret left out (or null) keeps the one in force, so an admin
 * can edit the rest without retyping it. Turning passwords off needs an enabled provider and
 * a break-glass account that exists, is an active admin, so nobody is locked out.
 */
export async function doPutSsoConfig(deps: Deps, actor: UserRow, body: Record<string, unknown>, client: ClientInfo): Promise<{ source: 'admin'; settings: Redacted }> {
  adminOnly(actor);
  let next: SsoSettings;
  try {
    next = parseSso(body);
  } catch (err) {
    if (err instanceof SsoConfigError) throw new AppError(400, 'invalid_request', err.message);
    throw err;
  }
  const current = await effectiveSso(deps);
  if (next.oidc && !next.oidc.clientSecret && current.oidc) next.oidc.clientSecret = current.oidc.clientSecret;
  if (next.ldap && !next.ldap.bindPassword && current.ldap) next.ldap.bindPassword = current.ldap.bindPassword;
  if (!next.passwordLogin) {
    if (!anySsoEnabled(next)) throw new AppError(400, 'invalid_request', 'Enable a single sign-on provider before turning password sign-in off.');
    const admins = await Promise.all(next.breakGlassUsers.map((u) => users.findUserByLogin(deps.db, u)));
    if (!admins.some((a) => a && a.role === 'admin' && !a.deactivated && a.password_hash)) {
      throw new AppError(400, 'invalid_request', 'Name at least one break-glass admin (with a password) before turning password sign-in off.');
    }
  }
  const secrets: Record<string, string> = {};
  if (next.oidc?.clientSecret) secrets.oidc = seal(deps.config, next.oidc.clientSecret);
  if (next.ldap?.bindPassword) secrets.ldap = seal(deps.config, next.ldap.bindPassword);
  const settings = {
    ...next,
    oidc: next.oidc && { ...next.oidc, clientSecret: null },
    ldap: next.ldap && { ...next.ldap, bindPassword: null },
  };
  await transact(deps, async (tx, events) => {
    await sso.writeStoredConfig(tx, { settings, secrets });
    // Which providers are on and whether passwords still work; never the secrets, sealed or not.
    await audit({ deps, tx, events, by: actor, client }, 'sso.updated', { type: 'sso', id: null }, {
      passwordLogin: next.passwordLogin, breakGlassUsers: next.breakGlassUsers,
      oidc: next.oidc?.enabled ?? false, saml: next.saml?.enabled ?? false, ldap: next.ldap?.enabled ?? false,
      secretsChanged: [body.oidc && (body.oidc as Record<string, unknown>).clientSecret ? 'oidc' : null,
        body.ldap && (body.ldap as Record<string, unknown>).bindPassword ? 'ldap' : null].filter((x): x is string => x !== null),
    });
  });
  return { source: 'admin', settings: redact(next) };
}

// ---- signing in with an external identity

export interface ExternalIdentity {
  provider: ProviderId;
  /** Stable at the provider: OIDC issuer + sub, SAML NameID, LDAP entryUUID. */
  subject: string;
  email: string | null;
  /** The provider vouches for the email (OIDC email_verified; a directory or SAML IdP is authoritative). */
  emailVerified: boolean;
  username: string | null;
  displayName: string | null;
  groups: string[];
}

const failed = (message: string) => new AppError(401, 'sso_failed', message);

/** The user behind an identity, linked, matched by verified email, or created; with the group mapping applied. */
export async function upsertExternalUser(deps: Deps, tx: Db, events: EventQueue, id: ExternalIdentity, mapping: GroupMapping,
  opts: { create: boolean } = { create: true }): Promise<UserRow> {
  let user = await sso.findLinkedUser(tx, id.provider, id.subject);
  if (!user) {
    if (!id.email) throw failed('The identity provider sent no email address for this account.');
    if (!id.emailVerified) {
      throw new AppError(403, 'sso_email_unverified', 'The identity provider has not verified this email address, so it cannot be used here.');
    }
    user = await sso.findUserByEmail(tx, id.email);
    if (!user) {
      if (!opts.create) throw failed('No account matches this identity.');
      user = await createUser(tx, events, id, mapGroups(mapping, id.groups).role ?? 'member');
    }
  }
  await sso.linkIdentity(tx, id.provider, id.subject, user.id);
  return applyMapping(deps.log, tx, events, user, id, mapping);
}

async function createUser(tx: Db, events: EventQueue, id: ExternalIdentity, role: UserRow['role']): Promise<UserRow> {
  const base = usernameFrom([id.username, id.email, id.displayName]);
  let username = base;
  for (let n = 2; await users.usernameTaken(tx, username); n++) username = `${base.slice(0, 28)}${n}`;
  const row = await users.insertUser(tx, {
    id: newId(), username, email: id.email!, display_name: (id.displayName ?? username).slice(0, 80), password_hash: null, role,
  });
  await announceUser(tx, events, row);
  const general = role === 'guest' ? undefined : await channels.findGeneral(tx);
  if (general) await addAndAnnounce(tx, events, general.id, [row.id]);
  return row;
}

async function applyMapping(log: Logger, tx: Db, events: EventQueue, user: UserRow, id: ExternalIdentity, mapping: GroupMapping): Promise<UserRow> {
  const access = mapGroups(mapping, id.groups);
  const patch: Parameters<typeof users.updateUser>[2] = {};
  if (access.role && access.role !== user.role) patch.role = access.role;
  if (id.displayName && id.displayName.slice(0, 80) !== user.display_name) patch.display_name = id.displayName.slice(0, 80);
  if (id.email && id.emailVerified && id.email.toLowerCase() !== user.email.toLowerCase() && !(await users.emailTaken(tx, id.email, user.id))) {
    patch.email = id.email;
  }
  let row = user;
  if (Object.keys(patch).length) {
    row = await users.updateUser(tx, user.id, patch);
    await announceUser(tx, events, row);
  }
  if (access.channels.length) {
    const found = await sso.findChannelsByNames(tx, access.channels);
    const missing = access.channels.filter((n) => !found.some((c) => c.name === n));
    if (missing.length) log.warn({ channels: missing }, 'SSO group mapping names channels that do not exist');
    for (const c of found) await addAndAnnounce(tx, events, c.id, [row.id]);
  }
  return row;
}

/** The whole sign-in: identity → user (in one transaction, events after commit) → completeFirstFactor. */
export async function signInExternal(deps: Deps, id: ExternalIdentity, mapping: GroupMapping, client: ClientInfo): Promise<LoginResult> {
  const attempt = () => transact(deps, (tx, events) => upsertExternalUser(deps, tx, events, id, mapping));
  const user = await attempt().catch((err) => {
    // Two first sign-ins racing for one username or email: the second re-reads and links.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  });
  return completeFirstFactor(deps, user, client, { strong: false, via: id.provider });
}
