// Endpoint tests for sign-up, login, logout, cookie sessions with CSRF, invites, the
// workspace settings and rate limiting on the auth routes. Happy paths, denials and bad input.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type Reply, type TestServer } from './harness.js';

/** Every failure is the status plus `{error: {code, message}}` and nothing else. */
function expectError(r: Reply, status: number, code: string): void {
  expect({ status: r.status, body: r.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(r.body.error.message.length).toBeGreaterThan(0);
}

const tag = () => randomBytes(4).toString('hex');
const fresh = (prefix = 'u') => `${prefix}${tag()}`;

function signup(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return server.request<any>('POST', '/api/v1/auth/signup', body, headers);
}

function login(server: TestServer, loginName: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return server.request<any>('POST', '/api/v1/auth/login', { login: loginName, password }, headers);
}

function withToken(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function channelsOf(server: TestServer, token: string): Promise<any[]> {
  const r = await server.request<any>('GET', '/api/v1/channels', undefined, withToken(token));
  expect(r.status).toBe(200);
  return r.body.channels;
}

/** Set-Cookie lines by cookie name. */
function cookies(r: Reply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.headers.getSetCookie()) out[line.split('=')[0]!] = line;
  return out;
}

function cookieValue(line: string): string {
  return decodeURIComponent(line.split(';')[0]!.split('=').slice(1).join('='));
}

describe('the first account on an empty server', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ noAdmin: true }); });
  afterAll(async () => { await server?.close(); });

  it('needs setup, makes exactly one admin among concurrent sign-ups, then closes sign-up', async () => {
    const before = await server.request<any>('GET', '/api/v1/workspace');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ name: 'Parley', setupRequired: true, openSignup: false, maxMessageLength: 40_000, linkPreviews: true, maxFileSize: 104_857_600, membersCanAddEmoji: false });

    const names = ['first1', 'first2', 'first3'];
    const replies = await Promise.all(names.map((n) =>
      signup(server, { username: n, email: `${n}@example.test`, password: PASSWORD, workspaceName: `  Acme ${n}  ` })));
    const created = replies.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    for (const r of replies.filter((x) => x.status !== 201)) expectError(r, 403, 'invite_required');

    const admin = created[0]!.body;
    expect(admin.user.role).toBe('admin');
    expect(admin.user.deactivated).toBe(false);
    expect(typeof admin.token).toBe('string');
    expect(admin.user.email).toBe(`${admin.user.username}@example.test`);

    // The first account names the workspace; setup is done; sign-up stays closed.
    const after = await server.request<any>('GET', '/api/v1/workspace');
    expect(after.body).toEqual({ name: `Acme ${admin.user.username}`, setupRequired: false, openSignup: false, maxMessageLength: 40_000, linkPreviews: true, maxFileSize: 104_857_600, membersCanAddEmoji: false });

    // The admin is in #general.
    const chans = await channelsOf(server, admin.token);
    expect(chans.filter((c) => c.isGeneral).map((c) => c.name)).toEqual(['general']);

    // Later sign-ups need an invite; workspaceName from a later sign-up changes nothing.
    const later = await signup(server, { username: fresh(), email: `${tag()}@example.test`, password: PASSWORD, workspaceName: 'Hijack' });
    expectError(later, 403, 'invite_required');
    expect((await server.request<any>('GET', '/api/v1/workspace')).body.name).toBe(`Acme ${admin.user.username}`);

    // The admin may log in and a member-to-be may not.
    expect((await login(server, admin.user.username)).status).toBe(200);
    expectError(await login(server, 'first9'), 401, 'invalid_credentials');
  });
});

describe('invites on a server with closed sign-up', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const r = await server.admin.patch('/api/v1/workspace', { openSignup: false });
    expect(r.status).toBe(200);
    expect(r.body.openSignup).toBe(false);
  });
  afterAll(async () => { await server?.close(); });

  async function invite(): Promise<{ token: string; url: string; expiresAt: string }> {
    const r = await server.admin.post('/api/v1/invites', {});
    expect(r.status).toBe(201);
    return r.body;
  }

  it('refuses sign-up without an invite', async () => {
    const u = fresh();
    expectError(await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD }), 403, 'invite_required');
    // Nothing was created: the same name still signs up with an invite.
    const inv = await invite();
    const r = await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD, inviteToken: inv.token });
    expect(r.status).toBe(201);
  });

  it('creates an invite link that signs up one member, once', async () => {
    const inv = await invite();
    expect(Object.keys(inv).sort()).toEqual(['expiresAt', 'token', 'url']);
    expect(inv.url).toBe(`http://127.0.0.1/signup?invite=${encodeURIComponent(inv.token)}`);
    const days = (Date.parse(inv.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect((await server.request<any>('GET', `/api/v1/invites/${encodeURIComponent(inv.token)}`)).body).toEqual({ valid: true });

    const u = fresh();
    const r = await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD, inviteToken: inv.token, displayName: '  Una  ' });
    expect(r.status).toBe(201);
    expect(r.body.user).toMatchObject({ username: u, role: 'member', displayName: 'Una', email: `${u}@example.test` });
    expect((await channelsOf(server, r.body.token)).some((c) => c.isGeneral)).toBe(true);

    expect((await server.request<any>('GET', `/api/v1/invites/${encodeURIComponent(inv.token)}`)).body).toEqual({ valid: false });
    const v = fresh();
    expectError(await signup(server, { username: v, email: `${v}@example.test`, password: PASSWORD, inviteToken: inv.token }), 403, 'invite_invalid');
    // The refused sign-up left nothing behind.
    expectError(await login(server, v), 401, 'invalid_credentials');
  });

  it('lets only one of two concurrent sign-ups use an invite', async () => {
    const inv = await invite();
    const [a, b] = [fresh(), fresh()];
    const replies = await Promise.all([a, b].map((u) =>
      signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD, inviteToken: inv.token })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403]);
    expectError(replies.find((r) => r.status === 403)!, 403, 'invite_invalid');
  });

  it('refuses unknown and expired invites', async () => {
    const u = fresh();
    expectError(await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD, inviteToken: 'inv_nope' }), 403, 'invite_invalid');
    expect((await server.request<any>('GET', '/api/v1/invites/inv_nope')).body).toEqual({ valid: false });

    const inv = await invite();
    // Age the invite past its expiry directly in the database (there is no clock to move).
    const { hashToken } = await import('../src/auth/tokens.js');
    await server.deps.db.updateTable('invites').set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', hashToken(inv.token)).execute();
    expect((await server.request<any>('GET', `/api/v1/invites/${encodeURIComponent(inv.token)}`)).body).toEqual({ valid: false });
    expectError(await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD, inviteToken: inv.token }), 403, 'invite_invalid');
  });

  it('honours expiresInDays and validates it', async () => {
    const r = await server.admin.post('/api/v1/invites', { expiresInDays: 1 });
    expect(r.status).toBe(201);
    const days = (Date.parse(r.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(0.9);
    expect(days).toBeLessThanOrEqual(1);
    expect((await server.admin.post('/api/v1/invites')).status).toBe(201);
    for (const bad of [{ expiresInDays: 0 }, { expiresInDays: 91 }, { expiresInDays: 1.5 }, { expiresInDays: '3' }, { nope: 1 }]) {
      expectError(await server.admin.post('/api/v1/invites', bad), 400, 'invalid_request');
    }
    expect((await server.request<any>('GET', `/api/v1/invites/${'x'.repeat(100)}`)).body).toEqual({ valid: false });
    expectError(await server.request<any>('GET', '/api/v1/invites/%zz'), 400, 'invalid_request');
  });

  it('lets only admins create invites', async () => {
    const inv = await invite();
    const u = fresh();
    const member = (await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD, inviteToken: inv.token })).body;
    expectError(await server.request<any>('POST', '/api/v1/invites', {}, withToken(member.token)), 403, 'forbidden');
    expectError(await server.request<any>('POST', '/api/v1/invites', {}), 401, 'unauthorized');
  });

  it('lets the admin open sign-up, after which no invite is needed', async () => {
    const u = fresh();
    expectError(await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD }), 403, 'invite_required');
    const open = await server.admin.patch('/api/v1/workspace', { openSignup: true });
    expect(open.status).toBe(200);
    expect(open.body.openSignup).toBe(true);
    try {
      expect((await server.request<any>('GET', '/api/v1/workspace')).body.openSignup).toBe(true);
      const r = await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD });
      expect(r.status).toBe(201);
      expect(r.body.user.role).toBe('member');
    } finally {
      expect((await server.admin.patch('/api/v1/workspace', { openSignup: false })).status).toBe(200);
    }
    const v = fresh();
    expectError(await signup(server, { username: v, email: `${v}@example.test`, password: PASSWORD }), 403, 'invite_required');
  });
});

describe('sign-up, login and logout', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  it('signs up a member who is in #general and can use the token at once', async () => {
    const u = fresh('New');
    const r = await signup(server, { username: u, email: `${u}@Example.test`, password: PASSWORD });
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['csrfToken', 'token', 'user']);
    expect(r.body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      username: u, email: `${u}@Example.test`, displayName: u, role: 'member', deactivated: false,
      statusText: '', statusEmoji: '', createdAt: expect.any(String),
    });
    expect(new Date(r.body.user.createdAt).toISOString()).toBe(r.body.user.createdAt);
    const me = await server.request<any>('GET', '/api/v1/users/me', undefined, withToken(r.body.token));
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(r.body.user.id);

    const general = (await channelsOf(server, r.body.token)).find((c) => c.isGeneral);
    expect(general?.name).toBe('general');
    const members = await server.admin.get(`/api/v1/channels/${general.id}/members`);
    expect(members.status).toBe(200);
    expect(JSON.stringify(members.body)).toContain(r.body.user.id);
  });

  it('keeps usernames unique regardless of case', async () => {
    const u = fresh('Case');
    expect((await signup(server, { username: u, email: `${tag()}@example.test`, password: PASSWORD })).status).toBe(201);
    for (const variant of [u, u.toLowerCase(), u.toUpperCase()]) {
      expectError(await signup(server, { username: variant, email: `${tag()}@example.test`, password: PASSWORD }), 409, 'username_taken');
    }
  });

  it('keeps emails unique regardless of case', async () => {
    const email = `${fresh('mail')}@example.test`;
    expect((await signup(server, { username: fresh(), email, password: PASSWORD })).status).toBe(201);
    expectError(await signup(server, { username: fresh(), email, password: PASSWORD }), 409, 'email_taken');
    expectError(await signup(server, { username: fresh(), email: email.toUpperCase(), password: PASSWORD }), 409, 'email_taken');
  });

  it('answers one 201 and one 409 to two concurrent sign-ups with the same username', async () => {
    const u = fresh();
    const replies = await Promise.all([1, 2].map(() => signup(server, { username: u, email: `${tag()}@example.test`, password: PASSWORD })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    expectError(replies.find((r) => r.status === 409)!, 409, 'username_taken');
  });

  it('refuses weak passwords', async () => {
    const u = fresh('weak');
    const base = { username: u, email: `mailbox${tag()}@example.test` };
    expectError(await signup(server, { ...base, password: 'elevenchars' }), 400, 'weak_password');
    expectError(await signup(server, { ...base, password: `xx${u.toUpperCase()}xx-long-enough` }), 400, 'weak_password');
    expectError(await signup(server, { ...base, password: `${base.email.split('@')[0]}-long-enough` }), 400, 'weak_password');
    expectError(await signup(server, { ...base, password: '' }), 400, 'invalid_request');
    // Exactly twelve characters is enough, and nothing was created by the refusals.
    const ok = await signup(server, { ...base, password: 'twelve-chars' });
    expect(ok.status).toBe(201);
  });

  it('refuses bad usernames', async () => {
    const bad = ['a', 'x'.repeat(33), 'has space', '-lead', 'trail-', 'trail.', '_under', 'ünï', 'a/b', 'a@b', 'here', 'Channel', 'everyone', 'all', ''];
    for (const username of bad) {
      const r = await signup(server, { username, email: `${tag()}@example.test`, password: PASSWORD });
      expectError(r, 400, 'invalid_request');
    }
    // Two characters, inner dots/dashes/underscores, and 32 characters are all fine.
    for (const username of [`a${tag().slice(0, 1)}`, `a.b-c_d${tag()}`, `${tag()}${'x'.repeat(24)}`]) {
      const r = await signup(server, { username, email: `${tag()}@example.test`, password: PASSWORD });
      expect(r.status).toBe(201);
      expect(r.body.user.username).toBe(username);
    }
  });

  it('refuses malformed bodies with 400 and a stable code', async () => {
    const good = () => ({ username: fresh(), email: `${tag()}@example.test`, password: PASSWORD });
    const invalid: unknown[] = [
      {}, { ...good(), email: 'not-an-email' }, { ...good(), email: '' }, { ...good(), email: 'a@' },
      (() => { const g: any = good(); delete g.username; return g; })(),
      (() => { const g: any = good(); delete g.email; return g; })(),
      (() => { const g: any = good(); delete g.password; return g; })(),
      { ...good(), username: 5 }, { ...good(), password: 123456789012345 }, { ...good(), email: ['a@b.c'] },
      { ...good(), displayName: 7 }, { ...good(), displayName: 'd'.repeat(81) }, { ...good(), inviteToken: null },
      { ...good(), role: 'admin' }, { ...good(), password: 'p'.repeat(1025) }, [], 'null', '"text"', '42',
    ];
    for (const body of invalid) expectError(await signup(server, body), 400, 'invalid_request');
    expectError(await signup(server, '{"username": "x",'), 400, 'invalid_json');
    expectError(await signup(server, 'not json at all'), 400, 'invalid_json');
    expectError(await server.request('POST', '/api/v1/auth/signup'), 400, 'invalid_request');
    // Plain text is read as a string, which is not the object the route needs; unknown types are refused.
    expectError(await signup(server, JSON.stringify(good()), { 'content-type': 'text/plain' }), 400, 'invalid_request');
    expectError(await signup(server, JSON.stringify(good()), { 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
    // Nobody slipped in as admin through the extra field.
    const users = await server.admin.get('/api/v1/users?limit=1000');
    expect(users.body.users.filter((u: any) => u.role === 'admin').map((u: any) => u.username)).toEqual(['admin']);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const body = JSON.stringify({ username: fresh(), email: `${tag()}@example.test`, password: PASSWORD, displayName: 'x'.repeat(1024 * 1024) });
    expectError(await signup(server, body), 413, 'payload_too_large');
    expectError(await server.admin.patch('/api/v1/users/me', { statusText: 'y'.repeat(1024 * 1024 + 10) }), 413, 'payload_too_large');
  });

  it('logs in by username or email in any case', async () => {
    const alice = await server.user(fresh('Alice'));
    const ids = new Set<string>();
    for (const name of [alice.user.username, alice.user.username.toUpperCase(), alice.user.email!, alice.user.email!.toUpperCase()]) {
      const r = await login(server, name);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['csrfToken', 'token', 'user']);
      expect(r.body.user.id).toBe(alice.id);
      expect(r.body.user.email).toBe(alice.user.email);
      ids.add(r.body.token);
      expect((await server.request<any>('GET', '/api/v1/users/me', undefined, withToken(r.body.token))).body.id).toBe(alice.id);
    }
    expect(ids.size).toBe(4);
    expect(ids.has(alice.token!)).toBe(false);
  });

  it('refuses wrong passwords and unknown users alike', async () => {
    const bob = await server.user();
    expectError(await login(server, bob.user.username, PASSWORD + 'x'), 401, 'invalid_credentials');
    expectError(await login(server, bob.user.username, PASSWORD.toUpperCase()), 401, 'invalid_credentials');
    expectError(await login(server, `nobody${tag()}`), 401, 'invalid_credentials');
    expectError(await login(server, `nobody${tag()}@example.test`), 401, 'invalid_credentials');
    for (const body of [{}, { login: bob.user.username }, { password: PASSWORD }, { login: '', password: PASSWORD },
      { login: bob.user.username, password: '' }, { login: 1, password: PASSWORD }, { login: bob.user.username, password: PASSWORD, extra: 1 }]) {
      expectError(await server.request('POST', '/api/v1/auth/login', body), 400, 'invalid_request');
    }
    expectError(await server.request('POST', '/api/v1/auth/login', '{bad'), 400, 'invalid_json');
  });

  it('refuses deactivated accounts with 403 account_deactivated', async () => {
    const carol = await server.user();
    const r = await server.admin.patch(`/api/v1/users/${carol.id}`, { deactivated: true });
    expect(r.status).toBe(200);
    expectError(await login(server, carol.user.username), 403, 'account_deactivated');
    expectError(await login(server, carol.user.email!), 403, 'account_deactivated');
    // A wrong password still gets the generic answer, so deactivation is not revealed to guessers.
    expectError(await login(server, carol.user.username, 'wrong-password-here'), 401, 'invalid_credentials');
    expect((await server.admin.patch(`/api/v1/users/${carol.id}`, { deactivated: false })).status).toBe(200);
    expect((await login(server, carol.user.username)).status).toBe(200);
  });

  it('ends only this session on logout', async () => {
    const dave = await server.user();
    const other = (await login(server, dave.user.username)).body.token as string;
    const r = await dave.post('/api/v1/auth/logout');
    expect(r.status).toBe(204);
    expect(r.body).toBeNull();
    const cleared = cookies(r);
    expect(cleared.parley_session).toMatch(/Expires=Thu, 01 Jan 1970/i);
    expectError(await dave.get('/api/v1/users/me'), 401, 'unauthorized');
    expectError(await dave.post('/api/v1/auth/logout'), 401, 'unauthorized');
    expect((await server.request<any>('GET', '/api/v1/users/me', undefined, withToken(other))).status).toBe(200);
  });

  it('answers 401 unauthorized without credentials or with bad ones', async () => {
    for (const headers of <Record<string, string>[]>[{}, { authorization: 'Bearer pst_nope' }, { authorization: 'Bearer ' + 'x'.repeat(300) },
      { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, { cookie: 'parley_session=pst_nope' }]) {
      expectError(await server.request('GET', '/api/v1/users/me', undefined, headers), 401, 'unauthorized');
      expectError(await server.request('POST', '/api/v1/auth/logout', undefined, headers), 401, 'unauthorized');
    }
  });

  it('answers unknown API routes with a 404 error body', async () => {
    expectError(await server.admin.get('/api/v1/auth/nothing'), 404, 'not_found');
  });
});

describe('cookie sessions', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  async function cookieLogin() {
    const u = await server.user();
    const r = await login(server, u.user.username);
    expect(r.status).toBe(200);
    const c = cookies(r);
    return { user: u, reply: r, c, cookie: `parley_session=${cookieValue(c.parley_session!)}`, csrf: cookieValue(c.parley_csrf!) };
  }

  it('sets an httpOnly session cookie and a readable CSRF cookie on login and sign-up', async () => {
    const { reply, c } = await cookieLogin();
    expect(Object.keys(c).sort()).toEqual(['parley_csrf', 'parley_session']);
    expect(cookieValue(c.parley_session!)).toBe(reply.body.token);
    expect(cookieValue(c.parley_csrf!)).toBe(reply.body.csrfToken);
    expect(c.parley_session).toMatch(/;\s*HttpOnly/i);
    expect(c.parley_session).toMatch(/;\s*SameSite=Lax/i);
    expect(c.parley_session).toMatch(/;\s*Path=\//i);
    expect(c.parley_session).toMatch(/;\s*Expires=/i);
    expect(c.parley_csrf).not.toMatch(/HttpOnly/i);
    expect(c.parley_session).not.toMatch(/;\s*Secure/i); // plain http here; see the https server below
    expect(c.parley_csrf).toMatch(/;\s*SameSite=Lax/i);

    const u = fresh();
    const s = await signup(server, { username: u, email: `${u}@example.test`, password: PASSWORD });
    const sc = cookies(s);
    expect(cookieValue(sc.parley_session!)).toBe(s.body.token);
    expect(sc.parley_session).toMatch(/HttpOnly/i);
  });

  it('authenticates GET requests by cookie alone', async () => {
    const { user, cookie } = await cookieLogin();
    const r = await server.request<any>('GET', '/api/v1/users/me', undefined, { cookie });
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(user.id);
  });

  it('requires the CSRF header on state-changing cookie requests', async () => {
    const { user, cookie, csrf } = await cookieLogin();
    const patch = (headers: Record<string, string>) =>
      server.request<any>('PATCH', '/api/v1/users/me', { displayName: 'Cookie Monster' }, { cookie, ...headers });
    expectError(await patch({}), 403, 'csrf_failed');
    expectError(await patch({ 'x-csrf-token': 'wrong' }), 403, 'csrf_failed');
    expectError(await patch({ 'x-csrf-token': '' }), 403, 'csrf_failed');
    // Another session's CSRF token does not fit this session.
    const other = await cookieLogin();
    expectError(await patch({ 'x-csrf-token': other.csrf }), 403, 'csrf_failed');
    expect((await user.get('/api/v1/users/me')).body.displayName).toBe(user.user.username);

    const ok = await patch({ 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
    expect(ok.body.displayName).toBe('Cookie Monster');
    // A bearer token needs no CSRF header.
    expect((await user.patch('/api/v1/users/me', { displayName: 'Bearer' })).status).toBe(200);
  });

  it('logs out a cookie session only with the CSRF header', async () => {
    const { cookie, csrf } = await cookieLogin();
    expectError(await server.request('POST', '/api/v1/auth/logout', undefined, { cookie }), 403, 'csrf_failed');
    expect((await server.request('GET', '/api/v1/users/me', undefined, { cookie })).status).toBe(200);
    const r = await server.request('POST', '/api/v1/auth/logout', undefined, { cookie, 'x-csrf-token': csrf });
    expect(r.status).toBe(204);
    const cleared = cookies(r);
    expect(Object.keys(cleared).sort()).toEqual(['parley_csrf', 'parley_session']);
    expectError(await server.request('GET', '/api/v1/users/me', undefined, { cookie }), 401, 'unauthorized');
  });

  it('lets a browser holding a session cookie sign in again without the CSRF header', async () => {
    const { user, cookie } = await cookieLogin();
    const r = await login(server, user.user.username, PASSWORD, { cookie });
    expect(r.status).toBe(200);
    expect(r.body.user.id).toBe(user.id);
  });
});

describe('cookie sessions behind https', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ config: { publicUrl: 'https://chat.example.test' } }); });
  afterAll(async () => { await server?.close(); });

  it('marks both cookies Secure and builds invite links on the public URL', async () => {
    const u = await server.user();
    const c = cookies(await login(server, u.user.username));
    expect(c.parley_session).toMatch(/;\s*Secure/i);
    expect(c.parley_csrf).toMatch(/;\s*Secure/i);
    const inv = await server.admin.post('/api/v1/invites', {});
    expect(inv.body.url).toBe(`https://chat.example.test/signup?invite=${encodeURIComponent(inv.body.token)}`);
  });
});

describe('workspace settings', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  it('shows the public shape without signing in', async () => {
    const r = await server.request<any>('GET', '/api/v1/workspace');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: 'Parley', setupRequired: false, openSignup: true, maxMessageLength: 40_000, linkPreviews: true, maxFileSize: 104_857_600, membersCanAddEmoji: false });
  });

  it('lets admins rename the workspace', async () => {
    const r = await server.admin.patch('/api/v1/workspace', { name: '  Night Shift  ' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: 'Night Shift', setupRequired: false, openSignup: true, maxMessageLength: 40_000, linkPreviews: true, maxFileSize: 104_857_600, membersCanAddEmoji: false });
    expect((await server.request<any>('GET', '/api/v1/workspace')).body.name).toBe('Night Shift');
    expect((await server.admin.patch('/api/v1/workspace', {})).body.name).toBe('Night Shift');
  });

  it('refuses members and anonymous callers', async () => {
    const member = await server.user();
    expectError(await member.patch('/api/v1/workspace', { name: 'Mine' }), 403, 'forbidden');
    expectError(await member.patch('/api/v1/workspace', { openSignup: false }), 403, 'forbidden');
    expectError(await server.request('PATCH', '/api/v1/workspace', { name: 'Anon' }), 401, 'unauthorized');
    const ws = (await server.request<any>('GET', '/api/v1/workspace')).body;
    expect(ws.name).not.toBe('Mine');
    expect(ws.name).not.toBe('Anon');
    expect(ws.openSignup).toBe(true);
  });

  it('validates the patch', async () => {
    for (const bad of [{ name: '' }, { name: '   ' }, { name: 'n'.repeat(81) }, { name: 5 }, { openSignup: 'yes' }, { openSignup: null }, { other: true }]) {
      expectError(await server.admin.patch('/api/v1/workspace', bad), 400, 'invalid_request');
    }
    expectError(await server.admin.patch('/api/v1/workspace', '{'), 400, 'invalid_json');
    const ws = (await server.request<any>('GET', '/api/v1/workspace')).body;
    expect(ws.name.trim().length).toBeGreaterThan(0);
    expect(ws.openSignup).toBe(true);
  });
});

describe('rate limiting on the auth routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { rateLimit: { enabled: true, perMinute: 1000, authPerMinute: 3 } } });
  });
  afterAll(async () => { await server?.close(); });

  it('answers the fourth login in a minute with 429 and Retry-After, whatever the headers say', async () => {
    const name = server.admin.user.username;
    expectError(await login(server, name, 'wrong-password-1'), 401, 'invalid_credentials');
    expectError(await login(server, name, 'wrong-password-2'), 401, 'invalid_credentials');
    expect((await login(server, name)).status).toBe(200);

    const limited = await login(server, name);
    expectError(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    for (const headers of <Record<string, string>[]>[
      { 'user-agent': `Mozilla/5.0 (${tag()})` },
      { 'x-forwarded-for': '203.0.113.7' },
      { 'x-forwarded-for': '198.51.100.1, 203.0.113.8', 'user-agent': 'curl/8.0' },
      { 'x-real-ip': '192.0.2.44', forwarded: 'for=192.0.2.45' },
    ]) {
      const r = await login(server, name, PASSWORD, headers);
      expectError(r, 429, 'rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
