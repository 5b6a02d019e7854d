// Endpoint tests for sign-up, login, logout and invites. Happy paths, denials and bad input.
// (Cookie sessions with CSRF, workspace settings and auth rate limits are in auth-web.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type Reply, type TestServer } from './harness.js';
import { channelsOf, cookies, expectError, fresh, login, signup, tag, withToken } from './auth-helpers.js';

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
