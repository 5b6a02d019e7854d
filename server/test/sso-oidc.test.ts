// OpenID Connect sign-in against a real OpenID provider (`oidc-provider`, certified) started
// here on 127.0.0.1, driven like a browser: redirects by hand, a cookie jar, the provider's
// own login and consent forms. Covers just-in-time creation, linking by verified email only,
// groups → roles and channels, second factor after SSO, and the refusals: bad state, a
// replayed code, an unverified email, a foreign issuer, a code minted for another client.
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Provider from 'oidc-provider';
import { startTestServer, PASSWORD, type TestServer } from './harness.js';
import { bearer, enrolTotp, expectError, login } from './identity-helpers.js';
import { Browser, freePort, parseForm } from './sso-helpers.js';
import { loadConfig } from '../src/config.js';
import type { SsoSettings } from '../src/auth/sso/config.js';

interface Account { email: string; email_verified: boolean; preferred_username: string; name: string; groups: string[] }
const accounts = new Map<string, Account>();
const CLIENT_SECRET = 'oidc-client-secret-never-shown-0123456789';

async function startProvider(port: number, redirectUri: string): Promise<{ issuer: string; close(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'parley', client_secret: CLIENT_SECRET, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] },
      { client_id: 'other-app', client_secret: 'other-secret-0123456789', redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'groups'] },
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const a = accounts.get(id);
      if (!a) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...a }) };
    },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let server: TestServer;
let idp: Awaited<ReturnType<typeof startProvider>>;
let impostor: Awaited<ReturnType<typeof startProvider>>;
let base: string;
let callback: string;

const oidcSettings = (over: Partial<NonNullable<SsoSettings['oidc']>> = {}): NonNullable<SsoSettings['oidc']> => ({
  enabled: true, label: 'Company login', issuer: idp.issuer, clientId: 'parley', clientSecret: CLIENT_SECRET,
  scopes: 'openid email profile', groupsClaim: 'groups',
  mapping: { roles: { 'parley-admins': 'admin', contractors: 'guest', staff: 'member' }, channels: { eng: ['engineering'], contractors: ['vendors'] } },
  ...over,
});

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  callback = `${base}/api/v1/auth/oidc/callback`;
  idp = await startProvider(await freePort(), callback);
  impostor = await startProvider(await freePort(), callback);
  server = await startTestServer({
    config: { port, publicUrl: base, sso: { oidc: oidcSettings(), saml: null, ldap: null, passwordLogin: true, breakGlassUsers: [] } },
  });
  await server.admin.channel('engineering');
  await server.admin.channel('vendors', 'private');
});
afterAll(async () => {
  await server?.close();
  await idp?.close();
  await impostor?.close();
});

/** Signs in at the provider with its own forms until it sends the browser back to our callback. */
async function throughProvider(b: Browser, authorizeUrl: string, accountId: string): Promise<string> {
  let r = await b.follow(authorizeUrl, callback);
  for (let i = 0; i < 6 && !r.location?.startsWith(callback); i++) {
    const form = parseForm(r.text, r.url);
    if (!form) throw new Error(`provider page without a form (${r.status}): ${r.text.slice(0, 300)}`);
    const fields = form.fields.prompt === 'login' ? { ...form.fields, login: accountId, password: 'anything' } : form.fields;
    r = await b.follow(form.action, callback, { form: fields });
  }
  if (!r.location?.startsWith(callback)) throw new Error(`provider did not return to us: ${r.status} ${r.text.slice(0, 300)}`);
  return r.location;
}

/** Starts at Parley; returns the browser, the callback URL the provider sent it to, and the authorize URL. */
async function startLogin(accountId: string, b = new Browser(), rewrite?: (authorize: URL) => URL) {
  const start = await b.request(`${base}/api/v1/auth/oidc/login`);
  expect(start.status).toBe(302);
  let authorize = new URL(start.location!);
  if (rewrite) authorize = rewrite(authorize);
  const back = await throughProvider(b, authorize.href, accountId);
  return { b, back, authorize };
}

async function fullLogin(accountId: string) {
  const { b, back } = await startLogin(accountId);
  const r = await b.request(back);
  return { b, r };
}

const me = (token: string) => server.request<any>('GET', '/api/v1/users/me', undefined, bearer(token));
const myChannels = async (token: string) =>
  (await server.request<any>('GET', '/api/v1/channels', undefined, bearer(token))).body.channels.map((c: any) => c.name).sort();

describe('OIDC sign-in', () => {
  it('lists the provider for the login screen', async () => {
    const r = await server.request<any>('GET', '/api/v1/auth/providers');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ passwordLogin: true, providers: [{ id: 'oidc', label: 'Company login', kind: 'redirect', loginUrl: '/api/v1/auth/oidc/login' }] });
  });

  it('redirects to the provider with PKCE (S256), state and nonce', async () => {
    const b = new Browser();
    const r = await b.request(`${base}/api/v1/auth/oidc/login`);
    const u = new URL(r.location!);
    expect(u.origin).toBe(idp.issuer);
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(u.searchParams.get('state')).toBe(b.cookie(base, 'parley_oidc_state'));
    expect(u.searchParams.get('nonce')).toBeTruthy();
    expect(u.searchParams.get('redirect_uri')).toBe(callback);
  });

  it('creates an account just in time, with roles and channels from its groups', async () => {
    accounts.set('alice-sub', { email: 'alice@corp.test', email_verified: true, preferred_username: 'alice', name: 'Alice Liddell', groups: ['eng', 'parley-admins'] });
    const { b, r } = await fullLogin('alice-sub');
    expect(r.status).toBe(302);
    expect(r.location).toBe(`${base}/`);
    const token = b.session(base)!;
    expect(token).toBeTruthy();
    const u = (await me(token)).body;
    expect(u).toMatchObject({ username: 'alice', displayName: 'Alice Liddell', email: 'alice@corp.test', role: 'admin' });
    expect(await myChannels(token)).toEqual(['engineering', 'general']);
    const audit = await server.admin.get(`/api/v1/admin/audit?actorId=${u.id}&action=auth.sso_login`);
    expect(audit.body.entries.map((e: any) => e.detail.method)).toEqual(['oidc']);
  });

  it('signs the same person into the same account next time and follows group changes', async () => {
    accounts.set('alice-sub', { ...accounts.get('alice-sub')!, groups: ['staff'], name: 'Alice L.' });
    const { b } = await fullLogin('alice-sub');
    const u = (await me(b.session(base)!)).body;
    expect(u).toMatchObject({ username: 'alice', role: 'member', displayName: 'Alice L.' });
    const users = await server.deps.db.selectFrom('users').select('id').where('email', '=', 'alice@corp.test').execute();
    expect(users).toHaveLength(1);
  });

  it('makes contractors guests who see only their mapped channels', async () => {
    accounts.set('gina-sub', { email: 'gina@vendor.test', email_verified: true, preferred_username: 'gina', name: 'Gina', groups: ['contractors'] });
    const { b } = await fullLogin('gina-sub');
    const token = b.session(base)!;
    expect((await me(token)).body.role).toBe('guest');
    expect(await myChannels(token)).toEqual(['vendors']);
  });

  it('links an existing account by VERIFIED email', async () => {
    const bob = await server.user('bob', { email: 'bob@corp.test' });
    accounts.set('bob-sub', { email: 'BOB@corp.test', email_verified: true, preferred_username: 'robert', name: 'Bob', groups: [] });
    const { b } = await fullLogin('bob-sub');
    expect((await me(b.session(base)!)).body.id).toBe(bob.id);
  });

  it('refuses an UNVERIFIED email and links nothing', async () => {
    const carol = await server.user('carol', { email: 'carol@corp.test' });
    accounts.set('mallory-sub', { email: 'carol@corp.test', email_verified: false, preferred_username: 'carol', name: 'Not Carol', groups: ['parley-admins'] });
    const { b, r } = await fullLogin('mallory-sub');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('sso_email_unverified');
    expect(b.session(base)).toBeUndefined();
    const links = await server.deps.db.selectFrom('sso_identities').selectAll().where('user_id', '=', carol.id).execute();
    expect(links).toEqual([]);
    const row = await server.deps.db.selectFrom('users').select('role').where('id', '=', carol.id).executeTakeFirstOrThrow();
    expect(row.role).toBe('member');
  });

  it('asks for the second factor after SSO when the account has one', async () => {
    const dave = await server.user('dave', { email: 'dave@corp.test' });
    await enrolTotp(server, dave.token!);
    accounts.set('dave-sub', { email: 'dave@corp.test', email_verified: true, preferred_username: 'dave', name: 'Dave', groups: [] });
    const { b, r } = await fullLogin('dave-sub');
    expect(r.status).toBe(302);
    expect(r.location).toMatch(new RegExp(`^${base}/login#sso_challenge=lch_`));
    expect(b.session(base)).toBeUndefined();
    const challenge = decodeURIComponent(r.location!.split('sso_challenge=')[1]!);
    const bad = await server.request<any>('POST', '/api/v1/auth/2fa', { challenge, code: '000000' });
    expectError(bad, 401, 'invalid_code');
  });

  it('refuses a deactivated account', async () => {
    accounts.set('erin-sub', { email: 'erin@corp.test', email_verified: true, preferred_username: 'erin', name: 'Erin', groups: [] });
    const first = await fullLogin('erin-sub');
    const erin = (await me(first.b.session(base)!)).body;
    expect((await server.admin.patch(`/api/v1/users/${erin.id}`, { deactivated: true })).status).toBe(200);
    const { r } = await fullLogin('erin-sub');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('account_deactivated');
  });
});

describe('OIDC refusals', () => {
  const codeOf = (r: { text: string }) => JSON.parse(r.text).error.code;

  it('refuses a callback whose state is not the one this browser started with', async () => {
    accounts.set('frank-sub', { email: 'frank@corp.test', email_verified: true, preferred_username: 'frank', name: 'Frank', groups: [] });
    const { b, back } = await startLogin('frank-sub');
    const forged = new URL(back);
    forged.searchParams.set('state', 'forged-state');
    const r1 = await b.request(forged.href);
    expect(r1.status).toBe(401);
    expect(codeOf(r1)).toBe('sso_failed');
    // The right state from another browser (no cookie: a login-CSRF attempt) is refused too.
    const r2 = await new Browser().request(back);
    expect(r2.status).toBe(401);
    expect(codeOf(r2)).toBe('sso_failed');
    expect(b.session(base)).toBeUndefined();
  });

  it('refuses a replayed callback and a replayed code', async () => {
    const { b, back } = await startLogin('frank-sub');
    const ok = await b.request(back);
    expect(ok.status).toBe(302);
    // The same callback again (its state is used up), with the cookie put back.
    b.setCookie(base, 'parley_oidc_state', new URL(back).searchParams.get('state'));
    const again = await b.request(back);
    expect(again.status).toBe(401);
    expect(codeOf(again)).toBe('sso_failed');
    // The old code under a fresh, valid state: the provider refuses the used code (and the PKCE verifier differs).
    const b2 = new Browser();
    const start = await b2.request(`${base}/api/v1/auth/oidc/login`);
    const fresh = new URL(back);
    fresh.searchParams.set('state', new URL(start.location!).searchParams.get('state')!);
    const replay = await b2.request(fresh.href);
    expect(replay.status).toBe(401);
    expect(codeOf(replay)).toBe('sso_failed');
    expect(b2.session(base)).toBeUndefined();
  });

  it('refuses an answer from another issuer (a provider we do not trust)', async () => {
    // The browser is sent to an impostor provider with our authorization request; it answers with its own code and iss.
    const { b, back } = await startLogin('frank-sub', new Browser(), (u) => new URL(u.pathname + u.search, impostor.issuer));
    expect(new URL(back).searchParams.get('iss')).toBe(impostor.issuer);
    const r = await b.request(back);
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe('sso_failed');
    expect(b.session(base)).toBeUndefined();
  });

  it('refuses a code the provider minted for another client (audience)', async () => {
    const { b, back } = await startLogin('frank-sub', new Browser(), (u) => {
      u.searchParams.set('client_id', 'other-app');
      return u;
    });
    const r = await b.request(back);
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe('sso_failed');
  });

  it('refuses to start when the provider does not claim the configured issuer', async () => {
    const wrong = idp.issuer.replace('127.0.0.1', 'localhost');
    const put = await server.admin.put('/api/v1/admin/sso', { oidc: { ...oidcSettings(), issuer: wrong } });
    expect(put.status).toBe(200);
    try {
      const r = await new Browser().request(`${base}/api/v1/auth/oidc/login`);
      expect(r.status).toBe(502);
      expect(codeOf(r)).toBe('sso_unavailable');
    } finally {
      await server.admin.put('/api/v1/admin/sso', { oidc: oidcSettings() });
    }
  });

  it('answers 400 to a malformed callback, never 500', async () => {
    const r = await new Browser().request(`${callback}?state=${'x'.repeat(600)}`);
    expect(r.status).toBe(400);
    const e = await new Browser().request(`${callback}?error=access_denied&state=abc`);
    expect(e.status).toBe(401);
  });
});

describe('SSO administration', () => {
  it('shows the settings to admins without the client secret', async () => {
    const r = await server.admin.get('/api/v1/admin/sso');
    expect(r.status).toBe(200);
    expect(r.body.settings.oidc).toMatchObject({ issuer: idp.issuer, clientId: 'parley', hasClientSecret: true });
    expect(JSON.stringify(r.body)).not.toContain(CLIENT_SECRET);
    const member = await server.user();
    expectError(await member.get('/api/v1/admin/sso'), 403, 'forbidden');
    expectError(await member.put('/api/v1/admin/sso', { passwordLogin: true }), 403, 'forbidden');
  });

  it('validates the settings it is given', async () => {
    expectError(await server.admin.put('/api/v1/admin/sso', { oidc: { issuer: 'not a url', clientId: 'x' } }), 400, 'invalid_request');
    expectError(await server.admin.put('/api/v1/admin/sso', { oidc: { ...oidcSettings(), surprise: 1 } }), 400, 'invalid_request');
    expectError(await server.admin.put('/api/v1/admin/sso', { passwordLogin: false, oidc: oidcSettings() }), 400, 'invalid_request');
    expectError(await server.admin.put('/api/v1/admin/sso', { passwordLogin: false, breakGlassUsers: ['admin'] }), 400, 'invalid_request');
  });

  it('turns password sign-in off, except for the break-glass admin', async () => {
    const member = await server.user('pat');
    const { clientSecret: _omit, ...withoutSecret } = oidcSettings();
    const put = await server.admin.put('/api/v1/admin/sso', { passwordLogin: false, breakGlassUsers: ['Admin'], oidc: withoutSecret });
    expect(put.status).toBe(200);
    try {
      expect((await server.request<any>('GET', '/api/v1/auth/providers')).body.passwordLogin).toBe(false);
      expectError(await login(server, member.user.username), 403, 'password_login_disabled');
      expectError(await login(server, 'nobody-at-all'), 403, 'password_login_disabled');
      expect((await login(server, 'admin')).status).toBe(200);
      expectError(await server.request('POST', '/api/v1/auth/signup', { username: 'newbie', email: 'newbie@x.test', password: PASSWORD }),
        403, 'password_login_disabled');
      // SSO still works, with the secret kept from before (it was left out of the PUT).
      const { r } = await fullLogin('frank-sub');
      expect(r.status).toBe(302);
    } finally {
      expect((await server.admin.put('/api/v1/admin/sso', { passwordLogin: true, oidc: oidcSettings() })).status).toBe(200);
    }
    expect((await login(server, member.user.username)).status).toBe(200);
  });

  it('answers 404 sso_disabled for a provider that is not configured', async () => {
    const r = await new Browser().request(`${base}/api/v1/auth/saml/login`);
    expect([404]).toContain(r.status);
  });
});

describe('SSO configuration from the environment', () => {
  it('reads PARLEY_OIDC_* variables', () => {
    const c = loadConfig({
      PARLEY_OIDC_ISSUER: 'https://id.example.com', PARLEY_OIDC_CLIENT_ID: 'parley', PARLEY_OIDC_CLIENT_SECRET: 's3cret',
      PARLEY_OIDC_MAPPING: '{"roles":{"admins":"admin"},"channels":{"eng":["#Engineering"]}}',
      PARLEY_PASSWORD_LOGIN: 'false', PARLEY_BREAK_GLASS_USERS: 'root, Admin',
    });
    expect(c.sso.oidc).toMatchObject({ issuer: 'https://id.example.com', clientId: 'parley', clientSecret: 's3cret', enabled: true,
      mapping: { roles: { admins: 'admin' }, channels: { eng: ['engineering'] } } });
    expect(c.sso.passwordLogin).toBe(false);
    expect(c.sso.breakGlassUsers).toEqual(['root', 'admin']);
  });

  it('reads a JSON file named by PARLEY_SSO_CONFIG and refuses bad ones with a sentence', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-sso-'));
    const file = path.join(dir, 'sso.json');
    writeFileSync(file, JSON.stringify({ ldap: { url: 'ldap://127.0.0.1:389', bindDn: 'cn=svc', userBase: 'ou=people,dc=x' } }));
    expect(loadConfig({ PARLEY_SSO_CONFIG: file }).sso.ldap).toMatchObject({ url: 'ldap://127.0.0.1:389', usernameAttribute: 'uid' });
    writeFileSync(file, JSON.stringify({ ldap: { url: 'http://nope', bindDn: 'cn=svc', userBase: 'dc=x' } }));
    expect(() => loadConfig({ PARLEY_SSO_CONFIG: file })).toThrow(/ldap\.url must start with ldap:/);
    expect(() => loadConfig({ PARLEY_OIDC_CLIENT_ID: 'x' })).toThrow(/oidc\.issuer is required/);
  });
});
