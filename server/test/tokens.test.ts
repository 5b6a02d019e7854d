// Personal access tokens: created with scopes, shown once, stored hashed, used as Bearer,
// scopes enforced per route (read = GET only; write = member rights; admin = admin rights),
// kept away from account-security routes, listed and revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Socket, startTestServer, type Client, type TestServer } from './harness.js';
import { UNKNOWN_ID } from './expect.js';
import { bearer, expectError } from './identity-helpers.js';
import { hashToken } from '../src/auth/tokens.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const req = (token: string, method: string, path: string, body?: unknown) => server.request<any>(method, path, body, bearer(token));

async function token(owner: Client, scopes: string[], extra: Record<string, unknown> = {}) {
  const r = await owner.post('/api/v1/tokens', { name: `t-${scopes.join('-')}`, scopes, ...extra });
  expect(r.status).toBe(201);
  return r.body as { token: any; secret: string };
}

describe('creating, listing and revoking', () => {
  it('shows the secret once and stores only its hash', async () => {
    const u = await server.user();
    const r = await u.post('/api/v1/tokens', { name: '  deploy bot ', scopes: ['write', 'read', 'write'], expiresInDays: 30 });
    expect(r.status).toBe(201);
    expect(r.body.secret).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);
    expect(r.body.token).toEqual({
      id: expect.any(String), name: 'deploy bot', scopes: ['read', 'write'], createdAt: expect.any(String),
      lastUsedAt: expect.any(String), expiresAt: expect.any(String),
    });
    const days = (Date.parse(r.body.token.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    const list = await u.get('/api/v1/tokens');
    expect(list.body.tokens).toEqual([r.body.token]);
    expect(JSON.stringify(list.body)).not.toContain(r.body.secret);
    const row = await server.deps.db.selectFrom('sessions').selectAll().where('id', '=', r.body.token.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(r.body.secret));
    expect(JSON.stringify(row)).not.toContain(r.body.secret);
    // Tokens are not sessions and sessions are not tokens.
    expect((await u.get('/api/v1/sessions')).body.sessions.map((s: any) => s.id)).not.toContain(r.body.token.id);
    const never = await token(u, ['read']);
    expect(never.token.expiresAt).toBeNull();
  });

  it('validates the request', async () => {
    const u = await server.user();
    for (const bad of [{}, { name: 'x' }, { name: 'x', scopes: [] }, { name: 'x', scopes: ['root'] }, { name: '', scopes: ['read'] },
      { name: 'x', scopes: ['read'], expiresInDays: 0 }, { name: 'x', scopes: ['read'], expiresInDays: 3651 }, { name: 'x', scopes: 'read' },
      { name: 'n'.repeat(101), scopes: ['read'] }, { name: 'x', scopes: ['read'], other: 1 }]) {
      expectError(await u.post('/api/v1/tokens', bad), 400, 'invalid_request');
    }
    expectError(await u.post('/api/v1/tokens', { name: '   ', scopes: ['read'] }), 400, 'invalid_request');
    expectError(await u.post('/api/v1/tokens', { name: 'mine', scopes: ['admin'] }), 403, 'forbidden');
    expect((await u.get('/api/v1/tokens')).body.tokens).toEqual([]);
  });

  it('revokes: the token stops working at once, its sockets close, and only its owner can revoke it', async () => {
    const u = await server.user();
    const t = await token(u, ['read']);
    const ws = await Socket.open(server.wsUrl, { type: 'auth', token: t.secret });
    const other = await server.user();
    expectError(await other.del(`/api/v1/tokens/${t.token.id}`), 404, 'not_found');
    // A session id is not a token id.
    const sid = (await u.get('/api/v1/sessions')).body.sessions[0].id;
    expectError(await u.del(`/api/v1/tokens/${sid}`), 404, 'not_found');
    expect((await req(t.secret, 'GET', '/api/v1/users/me')).status).toBe(200);
    expect((await u.del(`/api/v1/tokens/${t.token.id}`)).status).toBe(204);
    expect(await ws.closed).toBe(4001);
    expectError(await req(t.secret, 'GET', '/api/v1/users/me'), 401, 'unauthorized');
    expectError(await u.del(`/api/v1/tokens/${t.token.id}`), 404, 'not_found');
    expectError(await u.del(`/api/v1/tokens/${UNKNOWN_ID}`), 404, 'not_found');
    expect((await u.get('/api/v1/users/me')).status).toBe(200);
  });

  it('stops an expired token', async () => {
    const u = await server.user();
    const t = await token(u, ['read'], { expiresInDays: 1 });
    await server.deps.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', t.token.id).execute();
    expectError(await req(t.secret, 'GET', '/api/v1/users/me'), 401, 'unauthorized');
    expect((await u.get('/api/v1/tokens')).body.tokens).toEqual([]);
  });
});

describe('scopes', () => {
  it('read: GET only', async () => {
    const u = await server.user();
    const general = await server.general();
    const t = await token(u, ['read']);
    expect((await req(t.secret, 'GET', '/api/v1/channels')).status).toBe(200);
    expect((await req(t.secret, 'GET', `/api/v1/channels/${general}/messages`)).status).toBe(200);
    expectError(await req(t.secret, 'POST', `/api/v1/channels/${general}/messages`, { text: 'hi' }), 403, 'insufficient_scope');
    expectError(await req(t.secret, 'PATCH', '/api/v1/users/me', { displayName: 'x' }), 403, 'insufficient_scope');
    expectError(await req(t.secret, 'POST', '/api/v1/channels', { name: 'nope-read', kind: 'public' }), 403, 'insufficient_scope');
    expectError(await req(t.secret, 'POST', '/api/v1/auth/logout'), 403, 'insufficient_scope');
    // It reads events too.
    const ws = await Socket.open(server.wsUrl, { type: 'auth', token: t.secret });
    await u.say(general, 'over the socket');
    await ws.event('message.created', (d) => d.message.text === 'over the socket');
    await ws.close();
  });

  it('write: what the member may do, nothing an admin may do, even on an admin\'s token', async () => {
    const u = await server.user();
    const general = await server.general();
    const t = await token(u, ['write']);
    const m = await req(t.secret, 'POST', `/api/v1/channels/${general}/messages`, { text: 'from a script' });
    expect(m.status).toBe(201);
    expect(m.body.userId).toBe(u.id);

    const adminWrite = await token(server.admin, ['write']);
    const me = await req(adminWrite.secret, 'GET', '/api/v1/users/me');
    expect(me.body.role).toBe('member');
    expectError(await req(adminWrite.secret, 'POST', '/api/v1/invites', {}), 403, 'forbidden');
    expectError(await req(adminWrite.secret, 'PATCH', `/api/v1/users/${u.id}`, { role: 'admin' }), 403, 'forbidden');
    expectError(await req(adminWrite.secret, 'PATCH', '/api/v1/workspace', { name: 'Taken over' }), 403, 'forbidden');
    expect((await u.get('/api/v1/users/me')).body.role).toBe('member');

    const adminAll = await token(server.admin, ['admin']);
    expect((await req(adminAll.secret, 'GET', '/api/v1/users/me')).body.role).toBe('admin');
    expect((await req(adminAll.secret, 'POST', '/api/v1/invites', {})).status).toBe(201);
  });

  it('keeps every token away from account-security routes', async () => {
    const t = await token(server.admin, ['admin']);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/tokens'], ['POST', '/api/v1/tokens', { name: 'more', scopes: ['admin'] }], ['DELETE', `/api/v1/tokens/${t.token.id}`],
      ['GET', '/api/v1/sessions'], ['DELETE', `/api/v1/sessions/${UNKNOWN_ID}`], ['POST', '/api/v1/2fa/totp'],
      ['GET', '/api/v1/passkeys'], ['POST', '/api/v1/passkeys/options'], ['PUT', '/api/v1/2fa/policy', { require: 'off', graceDays: 0 }],
      ['POST', `/api/v1/users/${server.admin.id}/password-reset`, {}],
    ];
    for (const [method, path, body] of routes) expectError(await req(t.secret, method, path, body), 403, 'session_required');
    expect((await server.admin.get('/api/v1/tokens')).body.tokens.map((x: any) => x.id)).toContain(t.token.id);
  });

  it('ends with the owner\'s password change, like every other session', async () => {
    const u = await server.user();
    const t = await token(u, ['read']);
    const r = await u.patch('/api/v1/users/me', { password: 'an entirely new passphrase', currentPassword: 'correct horse battery staple' });
    expect(r.status).toBe(200);
    expectError(await req(t.secret, 'GET', '/api/v1/users/me'), 401, 'unauthorized');
  });
});
