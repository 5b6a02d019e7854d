// Sessions: listing my devices, revoking one (its sockets close), admins revoking all of a
// user's, the idle timeout and the absolute lifetime. Tokens are random and stored hashed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, Socket, startTestServer, type TestServer } from './harness.js';
import { UNKNOWN_ID } from './expect.js';
import { bearer, expectError, login } from './identity-helpers.js';
import { hashToken } from '../src/auth/tokens.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const get = (token: string, path: string) => server.request<any>('GET', path, undefined, bearer(token));
const del = (token: string, path: string) => server.request<any>('DELETE', path, undefined, bearer(token));

describe('my sessions', () => {
  it('lists each signed-in device with client, IP, times and which one is current', async () => {
    const u = await server.user();
    const laptop = (await login(server, u.user.username, PASSWORD, { 'user-agent': FIREFOX })).body.token as string;
    const phone = (await login(server, u.user.username, PASSWORD, { 'user-agent': SAFARI })).body.token as string;
    const r = await get(laptop, '/api/v1/sessions');
    expect(r.status).toBe(200);
    expect(r.body.sessions).toHaveLength(3);
    const byClient = Object.fromEntries(r.body.sessions.map((s: any) => [s.client, s]));
    expect(byClient['Firefox on Linux']).toMatchObject({ current: true, userAgent: FIREFOX, ip: '127.0.0.1' });
    expect(byClient['Safari on iOS']).toMatchObject({ current: false, userAgent: SAFARI });
    for (const s of r.body.sessions) {
      expect(Object.keys(s).sort()).toEqual(['client', 'createdAt', 'current', 'expiresAt', 'id', 'ip', 'lastSeenAt', 'userAgent']);
      expect(Date.parse(s.expiresAt) - Date.parse(s.createdAt)).toBeGreaterThan(29 * 86_400_000);
    }
    expect((await get(phone, '/api/v1/sessions')).body.sessions.filter((s: any) => s.current).map((s: any) => s.client)).toEqual(['Safari on iOS']);
    // Nothing secret is listed, and the database holds only hashes of the tokens.
    expect(JSON.stringify(r.body)).not.toContain(laptop);
    const rows = await server.deps.db.selectFrom('sessions').select('token_hash').where('user_id', '=', u.id).execute();
    expect(rows.map((x) => x.token_hash)).toContain(hashToken(laptop));
    expect(JSON.stringify(rows)).not.toContain(laptop);
    expect(laptop).toMatch(/^pst_[A-Za-z0-9_-]{43}$/);
  });

  it('shows nobody else\'s sessions', async () => {
    const a = await server.user();
    const b = await server.user();
    const ids = (await get(a.token!, '/api/v1/sessions')).body.sessions.map((s: any) => s.id);
    const theirs = (await get(b.token!, '/api/v1/sessions')).body.sessions.map((s: any) => s.id);
    expect(ids.filter((id: string) => theirs.includes(id))).toEqual([]);
    expectError(await server.request('GET', '/api/v1/sessions'), 401, 'unauthorized');
  });

  it('revokes one session: it stops working and its sockets close, the others go on', async () => {
    const u = await server.user();
    const other = (await login(server, u.user.username, PASSWORD, { 'user-agent': SAFARI })).body.token as string;
    const ws = await Socket.open(server.wsUrl, { type: 'auth', token: other });
    const mine = await Socket.open(server.wsUrl, { type: 'auth', token: u.token });
    const target = (await get(u.token!, '/api/v1/sessions')).body.sessions.find((s: any) => !s.current);
    expect((await del(u.token!, `/api/v1/sessions/${target.id}`)).status).toBe(204);
    expect(await ws.closed).toBe(4001);
    expectError(await get(other, '/api/v1/users/me'), 401, 'unauthorized');
    expect((await get(u.token!, '/api/v1/users/me')).status).toBe(200);
    expect(mine.ws.readyState).toBe(mine.ws.OPEN);
    expect((await get(u.token!, '/api/v1/sessions')).body.sessions).toHaveLength(1);
    // Gone is gone; unknown, someone else's or malformed ids are refused.
    expectError(await del(u.token!, `/api/v1/sessions/${target.id}`), 404, 'not_found');
    expectError(await del(u.token!, `/api/v1/sessions/${UNKNOWN_ID}`), 404, 'not_found');
    const stranger = await server.user();
    const theirs = (await get(stranger.token!, '/api/v1/sessions')).body.sessions[0].id;
    expectError(await del(u.token!, `/api/v1/sessions/${theirs}`), 404, 'not_found');
    expect((await get(stranger.token!, '/api/v1/users/me')).status).toBe(200);
    expectError(await del(u.token!, '/api/v1/sessions/not-a-uuid'), 400, 'invalid_request');
    await mine.close();
  });

  it('revokes the current session like a sign-out', async () => {
    const u = await server.user();
    const me = (await get(u.token!, '/api/v1/sessions')).body.sessions[0];
    expect((await del(u.token!, `/api/v1/sessions/${me.id}`)).status).toBe(204);
    expectError(await get(u.token!, '/api/v1/users/me'), 401, 'unauthorized');
  });
});

describe('admins revoking all of a user\'s sessions', () => {
  it('ends every session, token and socket of that user only', async () => {
    const victim = await server.user();
    const second = (await login(server, victim.user.username)).body.token as string;
    const pat = (await victim.post('/api/v1/tokens', { name: 'cron', scopes: ['read'] })).body.secret as string;
    const bystander = await server.user();
    const sockets = await Promise.all([victim.token, second].map((t) => Socket.open(server.wsUrl, { type: 'auth', token: t })));
    const safe = await Socket.open(server.wsUrl, { type: 'auth', token: bystander.token });

    expectError(await bystander.post(`/api/v1/users/${victim.id}/sessions/revoke`), 403, 'forbidden');
    expect((await get(second, '/api/v1/users/me')).status).toBe(200);

    const r = await server.admin.post(`/api/v1/users/${victim.id}/sessions/revoke`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ revoked: 3 });
    for (const s of sockets) expect(await s.closed).toBe(4001);
    for (const t of [victim.token!, second, pat]) expectError(await get(t, '/api/v1/users/me'), 401, 'unauthorized');
    expect(safe.ws.readyState).toBe(safe.ws.OPEN);
    expect((await get(bystander.token!, '/api/v1/users/me')).status).toBe(200);
    // The user can sign in again.
    expect((await login(server, victim.user.username)).status).toBe(200);
    expectError(await server.admin.post(`/api/v1/users/${UNKNOWN_ID}/sessions/revoke`), 404, 'not_found');
    expectError(await server.admin.post('/api/v1/users/nope/sessions/revoke'), 400, 'invalid_request');
    await safe.close();
  });

  it('still ends sessions and sockets when an admin deactivates someone', async () => {
    const u = await server.user();
    const ws = await u.connect();
    expect((await server.admin.patch(`/api/v1/users/${u.id}`, { deactivated: true })).status).toBe(200);
    expect(await ws.closed).toBe(4001);
    expectError(await u.get('/api/v1/users/me'), 401, 'unauthorized');
  });
});

describe('lifetime and idle timeout', () => {
  let idle: TestServer;
  beforeAll(async () => { idle = await startTestServer({ config: { sessionIdleMinutes: 30, sessionTtlDays: 2 } }); });
  afterAll(async () => { await idle?.close(); });

  it('ends a session unused for longer than the idle timeout, and closes its sockets', async () => {
    const u = await idle.user();
    const ws = await u.connect();
    const active = (await login(idle, u.user.username)).body.token as string;
    // Age the first session's last use past the timeout (there is no clock to move).
    await idle.deps.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('token_hash', '=', hashToken(u.token!)).execute();
    await idle.deps.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 29 * 60_000) })
      .where('token_hash', '=', hashToken(active)).execute();
    expectError(await u.get('/api/v1/users/me'), 401, 'unauthorized');
    expect(await ws.closed).toBe(4001);
    expect(await idle.deps.db.selectFrom('sessions').select('id').where('token_hash', '=', hashToken(u.token!)).executeTakeFirst()).toBeUndefined();
    // Just inside the timeout it works, and using it starts the clock again.
    expect((await idle.request('GET', '/api/v1/users/me', undefined, bearer(active))).status).toBe(200);
    const row = await idle.deps.db.selectFrom('sessions').select('last_seen_at').where('token_hash', '=', hashToken(active)).executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(60_000);
  });

  it('ends every session at its lifetime, however busy', async () => {
    const u = await idle.user();
    const s = (await idle.request<any>('GET', '/api/v1/sessions', undefined, bearer(u.token!))).body.sessions[0];
    const days = (Date.parse(s.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(1.9);
    expect(days).toBeLessThanOrEqual(2);
    await idle.deps.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', s.id).execute();
    expectError(await u.get('/api/v1/users/me'), 401, 'unauthorized');
  });

  it('leaves personal access tokens out of the idle timeout', async () => {
    const u = await idle.user();
    const pat = (await u.post('/api/v1/tokens', { name: 'nightly', scopes: ['read'] })).body;
    await idle.deps.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 10 * 86_400_000) }).where('id', '=', pat.token.id).execute();
    expect((await idle.request('GET', '/api/v1/users/me', undefined, bearer(pat.secret))).status).toBe(200);
  });
});
