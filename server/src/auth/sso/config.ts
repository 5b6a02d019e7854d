// Single sign-on configuration: OpenID Connect, SAML 2.0 and LDAP, read from PARLEY_OIDC_*,
// PARLEY_SAML_*, PARLEY_LDAP_* or from a JSON file named by PARLEY_SSO_CONFIG (the file wins
// where both are set). Admins may replace it at run time (PUT /api/v1/admin/sso); that copy is
// stored in the database and takes precedence. Secrets (client secret, bind password) are
// never logged or returned by the API.
import { readFileSync } from 'node:fs';

export type Role = 'admin' | 'member' | 'guest';

/** Directory or identity-provider groups mapped to a role and to channels (by name) to join. */
export interface GroupMapping {
  /** group → role; the strongest matching role wins (admin > member > guest). */
  roles: Record<string, Role>;
  /** group → channel names the user is added to (existing channels only). */
  channels: Record<string, string[]>;
}

export interface OidcSettings {
  enabled: boolean;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string;
  /** The ID-token / userinfo claim that lists the user's groups. */
  groupsClaim: string;
  mapping: GroupMapping;
}

export interface SamlSettings {
  enabled: boolean;
  label: string;
  /** The IdP's single sign-on URL (HTTP-Redirect binding). */
  entryPoint: string;
  /** Our entity id (the audience the IdP must address its assertions to). */
  spEntityId: string;
  /** The IdP's signing certificate(s), PEM or bare base64. */
  idpCerts: string[];
  /** The attribute that lists the user's groups. */
  groupsAttribute: string;
  emailAttribute: string;
  usernameAttribute: string;
  displayNameAttribute: string;
  clockSkewSeconds: number;
  mapping: GroupMapping;
}

export interface LdapSettings {
  enabled: boolean;
  label: string;
  url: string;
  bindDn: string;
  bindPassword: string | null;
  /** Users are searched under this base only. */
  userBase: string;
  /** An LDAP filter every allowed user matches, e.g. (objectClass=inetOrgPerson). */
  userFilter: string;
  usernameAttribute: string;
  emailAttribute: string;
  displayNameAttribute: string;
  groupBase: string | null;
  groupFilter: string;
  groupMemberAttribute: string;
  groupNameAttribute: string;
  /** Periodic sync (0: only on demand). */
  syncIntervalMinutes: number;
  mapping: GroupMapping;
}

export interface SsoSettings {
  oidc: OidcSettings | null;
  saml: SamlSettings | null;
  ldap: LdapSettings | null;
  /** false turns local password sign-in (and sign-up) off, except for the break-glass accounts. */
  passwordLogin: boolean;
  /** Usernames that may still sign in with a password when passwordLogin is off. */
  breakGlassUsers: string[];
}

export const NO_SSO: SsoSettings = { oidc: null, saml: null, ldap: null, passwordLogin: true, breakGlassUsers: [] };

export class SsoConfigError extends Error {}

type Env = Record<string, string | undefined>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, where: string, def?: string): string {
  const v = o[key];
  if (v === undefined || v === null || v === '') {
    if (def !== undefined) return def;
    throw new SsoConfigError(`${where}.${key} is required`);
  }
  if (typeof v !== 'string') throw new SsoConfigError(`${where}.${key} must be a string`);
  return v.trim();
}

function optStr(o: Obj, key: string, where: string): string | null {
  const v = o[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new SsoConfigError(`${where}.${key} must be a string`);
  return v;
}

function num(o: Obj, key: string, where: string, def: number, min: number, max: number): number {
  const v = o[key];
  if (v === undefined || v === null || v === '') return def;
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new SsoConfigError(`${where}.${key} must be a whole number between ${min} and ${max}`);
  }
  return n;
}

function flag(o: Obj, key: string, def: boolean): boolean {
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && v.trim()) return ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
  return def;
}

function httpUrl(o: Obj, key: string, where: string, protocols = ['http:', 'https:']): string {
  const raw = str(o, key, where);
  let u: URL;
  try { u = new URL(raw); } catch { throw new SsoConfigError(`${where}.${key} must be a URL`); }
  if (!protocols.includes(u.protocol)) throw new SsoConfigError(`${where}.${key} must start with ${protocols.join(' or ')}//`);
  return raw;
}

const ROLES: Role[] = ['admin', 'member', 'guest'];

export function parseMapping(v: unknown, where: string): GroupMapping {
  if (v === undefined || v === null || v === '') return { roles: {}, channels: {} };
  const o = typeof v === 'string' ? jsonOf(v, where) : v;
  if (!isObj(o)) throw new SsoConfigError(`${where} must be an object {roles, channels}`);
  const roles: Record<string, Role> = {};
  const channels: Record<string, string[]> = {};
  if (o.roles !== undefined) {
    if (!isObj(o.roles)) throw new SsoConfigError(`${where}.roles must map group names to roles`);
    for (const [g, r] of Object.entries(o.roles)) {
      if (!ROLES.includes(r as Role)) throw new SsoConfigError(`${where}.roles.${g} must be admin, member or guest`);
      roles[g] = r as Role;
    }
  }
  if (o.channels !== undefined) {
    if (!isObj(o.channels)) throw new SsoConfigError(`${where}.channels must map group names to channel names`);
    for (const [g, list] of Object.entries(o.channels)) {
      const names = typeof list === 'string' ? [list] : list;
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
        throw new SsoConfigError(`${where}.channels.${g} must be a list of channel names`);
      }
      channels[g] = names.map((n) => n.replace(/^#/, '').toLowerCase());
    }
  }
  return { roles, channels };
}

function jsonOf(raw: string, where: string): unknown {
  try { return JSON.parse(raw); } catch { throw new SsoConfigError(`${where} must be JSON`); }
}

export function parseOidc(o: Obj, where = 'oidc'): OidcSettings {
  return {
    enabled: flag(o, 'enabled', true),
    label: str(o, 'label', where, 'Single sign-on'),
    issuer: httpUrl(o, 'issuer', where),
    clientId: str(o, 'clientId', where),
    clientSecret: optStr(o, 'clientSecret', where),
    scopes: str(o, 'scopes', where, 'openid email profile'),
    groupsClaim: str(o, 'groupsClaim', where, 'groups'),
    mapping: parseMapping(o.mapping, `${where}.mapping`),
  };
}

function certs(v: unknown, where: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => typeof c === 'string' && c.trim())) {
    throw new SsoConfigError(`${where}.idpCerts needs at least one certificate (PEM)`);
  }
  return list.map((c: string) => c.trim());
}

export function parseSaml(o: Obj, where = 'saml'): SamlSettings {
  return {
    enabled: flag(o, 'enabled', true),
    label: str(o, 'label', where, 'SAML single sign-on'),
    entryPoint: httpUrl(o, 'entryPoint', where),
    spEntityId: str(o, 'spEntityId', where),
    idpCerts: certs(o.idpCerts ?? o.idpCert, where),
    groupsAttribute: str(o, 'groupsAttribute', where, 'groups'),
    emailAttribute: str(o, 'emailAttribute', where, 'email'),
    usernameAttribute: str(o, 'usernameAttribute', where, 'uid'),
    displayNameAttribute: str(o, 'displayNameAttribute', where, 'displayName'),
    clockSkewSeconds: num(o, 'clockSkewSeconds', where, 60, 0, 600),
    mapping: parseMapping(o.mapping, `${where}.mapping`),
  };
}

export function parseLdap(o: Obj, where = 'ldap'): LdapSettings {
  const filter = (key: string, def: string) => {
    const f = str(o, key, where, def);
    if (!/^\(.*\)$/s.test(f)) throw new SsoConfigError(`${where}.${key} must be an LDAP filter in parentheses`);
    return f;
  };
  return {
    enabled: flag(o, 'enabled', true),
    label: str(o, 'label', where, 'Directory (LDAP)'),
    url: httpUrl(o, 'url', where, ['ldap:', 'ldaps:']),
    bindDn: str(o, 'bindDn', where),
    bindPassword: optStr(o, 'bindPassword', where),
    userBase: str(o, 'userBase', where),
    userFilter: filter('userFilter', '(objectClass=inetOrgPerson)'),
    usernameAttribute: str(o, 'usernameAttribute', where, 'uid'),
    emailAttribute: str(o, 'emailAttribute', where, 'mail'),
    displayNameAttribute: str(o, 'displayNameAttribute', where, 'cn'),
    groupBase: optStr(o, 'groupBase', where),
    groupFilter: filter('groupFilter', '(objectClass=groupOfNames)'),
    groupMemberAttribute: str(o, 'groupMemberAttribute', where, 'member'),
    groupNameAttribute: str(o, 'groupNameAttribute', where, 'cn'),
    syncIntervalMinutes: num(o, 'syncIntervalMinutes', where, 0, 0, 10_080),
    mapping: parseMapping(o.mapping, `${where}.mapping`),
  };
}

/** Validates a whole SSO document (the JSON file, or an admin's PUT body). */
export function parseSso(doc: unknown): SsoSettings {
  if (!isObj(doc)) throw new SsoConfigError('The SSO configuration must be a JSON object');
  const users = doc.breakGlassUsers ?? [];
  if (!Array.isArray(users) || !users.every((u) => typeof u === 'string')) {
    throw new SsoConfigError('breakGlassUsers must be a list of usernames');
  }
  const sub = (key: string) => {
    const v = doc[key];
    if (v === undefined || v === null) return null;
    if (!isObj(v)) throw new SsoConfigError(`${key} must be an object`);
    return v;
  };
  const oidc = sub('oidc');
  const saml = sub('saml');
  const ldap = sub('ldap');
  const settings: SsoSettings = {
    oidc: oidc && parseOidc(oidc),
    saml: saml && parseSaml(saml),
    ldap: ldap && parseLdap(ldap),
    passwordLogin: flag(doc, 'passwordLogin', true),
    breakGlassUsers: users.map((u: string) => u.trim().toLowerCase()).filter(Boolean),
  };
  return settings;
}

/** From env vars with a prefix, e.g. PARLEY_OIDC_CLIENT_ID → clientId. */
function fromEnv(env: Env, prefix: string): Obj | null {
  const out: Obj = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith(prefix) || v === undefined) continue;
    const camel = k.slice(prefix.length).toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[camel] = v;
  }
  return Object.keys(out).length ? out : null;
}

export function loadSsoConfig(env: Env): SsoSettings {
  const file = env.PARLEY_SSO_CONFIG?.trim();
  const doc: Obj = {};
  for (const [key, prefix] of [['oidc', 'PARLEY_OIDC_'], ['saml', 'PARLEY_SAML_'], ['ldap', 'PARLEY_LDAP_']] as const) {
    const o = fromEnv(env, prefix);
    if (o) doc[key] = o;
  }
  if (env.PARLEY_PASSWORD_LOGIN !== undefined) doc.passwordLogin = env.PARLEY_PASSWORD_LOGIN;
  if (env.PARLEY_BREAK_GLASS_USERS) doc.breakGlassUsers = env.PARLEY_BREAK_GLASS_USERS.split(',');
  if (file) {
    let parsed: unknown;
    try { parsed = JSON.parse(readFileSync(file, 'utf8')); } catch (err) {
      throw new SsoConfigError(`PARLEY_SSO_CONFIG: cannot read ${file} as JSON (${(err as Error).message})`);
    }
    if (!isObj(parsed)) throw new SsoConfigError('PARLEY_SSO_CONFIG must hold a JSON object');
    Object.assign(doc, parsed);
  }
  return parseSso(doc);
}
