// Cookie sessions with CSRF, workspace settings and rate limiting on the auth routes.
// Happy paths, denials and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type Reply, type TestServer } from './harness.js';
import { cookieValue, cookies, expectError, fresh, login, signup, tag } from './auth-helpers.js';

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
