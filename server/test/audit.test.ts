// The audit log through HTTP: every audited action appears with its actor, address, client
// and target; filters and paging; the NDJSON export carries no secret; the database itself
// refuses to rewrite history; only admins read it.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transact } from '../src/actions/context.js';
import { audit } from '../src/actions/audit.js';
import { Client, startTestServer, type TestServer } from './harness.js';
import { expectError, watch } from './expect.js';
import { bearer, totpCode } from './identity-helpers.js';
import { form, png, postForm } from './files-helpers.js';
import { exportZip } from './import-helpers.js';
import { auditPage, entriesFor, from } from './audit-helpers.js';

let server: TestServer;
const serverErrors: string[] = [];

beforeAll(async () => {
  server = watch(await startTestServer({ config: { trustProxy: true } }), serverErrors);
});
afterAll(async () => { await server?.close(); });
afterEach(() => { expect(serverErrors.splice(0)).toEqual([]); });

const hex = () => randomBytes(6).toString('hex');

async function signupFrom(ip: string, password: string): Promise<Client> {
  const username = `aud${hex()}`;
  const r = await server.request<any>('POST', '/api/v1/auth/signup', { username, email: `${username}@example.test`, password }, from(ip));
  expect(r.status).toBe(201);
  return new Client(server, r.body.token, r.body.user);
}

describe('audit log', () => {
  it('records sign-up, a failed and a good sign-in and sign-out with actor, address, client and target', async () => {
    const password = `Pw-${hex()}-long enough`;
    const u = await signupFrom('10.61.0.1', password);
    const wrong = await server.request('POST', '/api/v1/auth/login', { login: u.user.username, password: `Wrong-${hex()}` }, from('10.61.0.2', 'curl/8.0'));
    expectError(wrong, 401, 'invalid_credentials');
    const ok = await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.email, password }, from('10.61.0.3'));
    expect(ok.status).toBe(200);
    const out = await server.request('POST', '/api/v1/auth/logout', undefined, { ...bearer(ok.body.token), ...from('10.61.0.3') });
    expect(out.status).toBe(204);

    const entries = await entriesFor(server.admin, { targetId: u.id });
    expect(entries.map((e) => e.action)).toEqual(['auth.login', 'auth.login_failed', 'auth.signup']);
    const [login, failed, signup] = entries;
    expect(signup).toMatchObject({ actorId: u.id, actorName: u.user.username, ip: '10.61.0.1', targetType: 'user', detail: { method: 'signup', role: 'member' } });
    expect(failed).toMatchObject({ actorId: null, ip: '10.61.0.2', userAgent: 'curl/8.0', detail: { method: 'password', reason: 'invalid_credentials', username: u.user.username } });
    expect(login).toMatchObject({ actorId: u.id, ip: '10.61.0.3', userAgent: 'audit-test/1.0', detail: { method: 'password' } });
    expect(Date.parse(login.at)).toBeGreaterThan(Date.now() - 60_000);
    const logout = (await entriesFor(server.admin, { actorId: u.id, action: 'auth.logout' }))[0];
    expect(logout).toMatchObject({ targetType: 'session', targetId: login.detail.sessionId, ip: '10.61.0.3' });
    // An unknown login is recorded against the address, with no account.
    await server.request('POST', '/api/v1/auth/login', { login: `nobody${hex()}`, password: 'x' }, from('10.61.0.9'));
    const [unknown] = await entriesFor(server.admin, { ip: '10.61.0.9' });
    expect(unknown).toMatchObject({ action: 'auth.login_failed', targetId: null, detail: { reason: 'invalid_credentials' } });
    // What was typed is not kept (it may be a password typed into the wrong field), only a keyed fingerprint.
    expect(unknown.detail.login).toBeUndefined();
    expect(unknown.detail.loginFingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(failed.detail.login).toBeUndefined();
  });

  it('records every security and admin action, and the export is NDJSON with none of the secrets used', async () => {
    const secrets: string[] = [];
    const keep = <T extends string>(s: T): T => (secrets.push(s), s);
    const ip = '10.62.0.1';
    const p1 = keep(`First-${hex()}-password`);
    const u = await signupFrom(ip, p1);
    secrets.push(u.token!);
    const as = (token: string) => ({ ...bearer(token), ...from(ip) });
    const call = async (method: string, path: string, token: string, body?: unknown, status = 200) => {
      const r = await server.request<any>(method, path, body, as(token));
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
      return r.body;
    };
    const admin = server.admin.token!;

    const guess = keep(`Guess-${hex()}`);
    expectError(await server.request('POST', '/api/v1/auth/login', { login: u.user.username, password: guess }, from(ip)), 401, 'invalid_credentials');
    // Two-factor on, a sign-in with a wrong code then a recovery code, new codes, two-factor off.
    const begin = await call('POST', '/api/v1/2fa/totp', u.token!);
    keep(begin.secret);
    const { recoveryCodes } = await call('POST', '/api/v1/2fa/totp/confirm', u.token!, { code: keep(totpCode(begin.secret)) });
    secrets.push(...recoveryCodes);
    const challenge = (await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.username, password: p1 }, from(ip))).body.challenge;
    keep(challenge);
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge, code: keep('13579') }, from(ip)), 401, 'invalid_code');
    const second = await server.request<any>('POST', '/api/v1/auth/2fa', { challenge, recoveryCode: recoveryCodes[0] }, from(ip));
    expect(second.status).toBe(200);
    const t2 = keep(second.body.token as string);
    const fresh = (await call('POST', '/api/v1/2fa/recovery-codes', t2, { password: p1 })).recoveryCodes as string[];
    secrets.push(...fresh);
    await call('POST', '/api/v1/2fa/totp/disable', t2, { password: p1, code: fresh[0] }, 204);
    // A personal access token made, used and revoked; one session ended.
    const pat = await call('POST', '/api/v1/tokens', t2, { name: 'ci', scopes: ['read'] }, 201);
    keep(pat.secret);
    expect((await server.request('GET', '/api/v1/users/me', undefined, bearer(pat.secret))).status).toBe(200);
    await call('DELETE', `/api/v1/tokens/${pat.token.id}`, t2, undefined, 204);
    const mine = (await call('GET', '/api/v1/sessions', t2)).sessions as any[];
    const other = mine.find((s) => !s.current)!;
    await call('DELETE', `/api/v1/sessions/${other.id}`, t2, undefined, 204);
    // Password changed, then reset by an admin's link.
    const p2 = keep(`Second-${hex()}-password`);
    await call('PATCH', '/api/v1/users/me', t2, { password: p2, currentPassword: p1 });
    const link = await call('POST', `/api/v1/users/${u.id}/password-reset`, admin, {}, 201);
    keep(link.token);
    const p3 = keep(`Third-${hex()}-password`);
    expect((await server.request('POST', '/api/v1/auth/password-reset', { token: link.token, password: p3 }, from(ip))).status).toBe(204);
    // Admin actions.
    await call('PATCH', `/api/v1/users/${u.id}`, admin, { role: 'admin' });
    await call('PATCH', `/api/v1/users/${u.id}`, admin, { role: 'member' });
    await call('PATCH', `/api/v1/users/${u.id}`, admin, { deactivated: true });
    await call('PATCH', `/api/v1/users/${u.id}`, admin, { deactivated: false });
    await call('PATCH', '/api/v1/workspace', admin, { name: `Audited ${hex()}` });
    const oidcSecret = keep(`oidc-client-secret-${hex()}`);
    await call('PUT', '/api/v1/admin/sso', admin, { oidc: { enabled: false, issuer: 'https://idp.example.test', clientId: 'parley', clientSecret: oidcSecret } });
    await call('PUT', '/api/v1/2fa/policy', admin, { require: 'admins', graceDays: 7 });
    await call('PUT', '/api/v1/2fa/policy', admin, { require: 'off', graceDays: 0 });
    keep((await call('POST', '/api/v1/invites', admin, { role: 'guest' }, 201)).token);
    const emojiName = `audit_${hex()}`;
    expect((await postForm(server, server.admin, '/api/v1/emoji', form([{ name: 'e.png', data: await png(32, 32), type: 'image/png' }], { name: emojiName }, 'image'))).status).toBe(201);
    await call('DELETE', `/api/v1/emoji/${emojiName}`, admin, undefined, 204);
    const zip = fs.readFileSync(exportZip({ users: [], days: {} }));
    expect((await postForm(server, server.admin, '/api/v1/admin/imports?dryRun=true', form([{ name: 'export.zip', data: zip }]))).status).toBe(202);
    // u deletes a message; then an admin ends all of u's sessions; u signs in again and out.
    const t3 = keep((await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.username, password: p3 }, from(ip))).body.token as string);
    const general = await server.general();
    const m = await new Client(server, t3, u.user).say(general, 'soon gone');
    await call('DELETE', `/api/v1/messages/${m.id}`, t3, undefined, 204);
    await call('POST', `/api/v1/users/${u.id}/sessions/revoke`, admin);
    const t4 = keep((await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.username, password: p3 }, from(ip))).body.token as string);
    await call('POST', '/api/v1/auth/logout', t4, undefined, 204);

    const res = await fetch(`${server.url}/api/v1/admin/audit/export?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="parley-audit-\d{4}-\d{2}-\d{2}\.ndjson"$/);
    const text = await res.text();
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort().reverse());
    const actions = new Set(entries.map((e) => e.action));
    for (const a of [
      'auth.signup', 'auth.login', 'auth.login_failed', 'auth.logout', 'auth.2fa_enabled', 'auth.2fa_disabled', 'auth.recovery_codes_regenerated',
      'auth.password_changed', 'auth.password_reset', 'auth.password_reset_link_created', 'session.revoked', 'token.created', 'token.revoked',
      'user.role_changed', 'user.deactivated', 'user.reactivated', 'workspace.updated', 'sso.updated', '2fa.policy_updated', 'invite.created',
      'emoji.deleted', 'import.started', 'message.deleted', 'audit.exported',
    ]) expect(actions, a).toContain(a);
    for (const s of secrets) expect(text.includes(s), `the export contains the secret ${s}`).toBe(false);

    const about = (action: string) => entries.find((e) => e.action === action)!;
    const roles = entries.filter((e) => e.action === 'user.role_changed' && e.targetId === u.id);
    expect(roles.map((e) => [e.actorId, e.actorName, e.detail.from, e.detail.to])).toEqual([
      [server.admin.id, 'admin', 'admin', 'member'], [server.admin.id, 'admin', 'member', 'admin'],
    ]);
    expect(about('user.deactivated')).toMatchObject({ actorId: server.admin.id, targetType: 'user', targetId: u.id });
    expect(about('token.created')).toMatchObject({ actorId: u.id, ip, targetType: 'token', targetId: pat.token.id, detail: { name: 'ci', scopes: ['read'] } });
    expect(about('sso.updated').detail).toMatchObject({ oidc: false, secretsChanged: ['oidc'] });
    expect(about('message.deleted')).toMatchObject({ actorId: u.id, targetType: 'message', targetId: m.id, detail: { channelId: general, byAuthor: true } });
    expect(about('auth.password_reset')).toMatchObject({ actorId: u.id, targetId: u.id, detail: { via: 'link' } });
    expect(entries.filter((e) => e.action === 'auth.login' && e.actorId === u.id).map((e) => e.detail.method)).toContain('recovery_code');
    expect(entries.find((e) => e.action === 'auth.login_failed' && e.detail.reason === 'invalid_code')).toMatchObject({ targetId: u.id, detail: { method: 'second_factor' } });
    expect(about('audit.exported')).toMatchObject({ actorId: server.admin.id, detail: { filters: { since: expect.any(String) } } });
  });

  it('filters by action, actor, target, address and time, and pages newest first by cursor', async () => {
    const ip = `10.63.${Math.floor(Math.random() * 250)}.7`;
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await signupFrom(ip, `Pw-${hex()}-long enough`));
    const all = await entriesFor(server.admin, { ip });
    expect(all.map((e) => e.actorId)).toEqual(users.map((u) => u.id).reverse());

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { entries: any[]; nextCursor: string | null } = await auditPage(server.admin, { ip, limit: 2, ...(cursor && { cursor }) });
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((e) => e.id));

    expect((await entriesFor(server.admin, { actorId: users[2]!.id })).map((e) => e.action)).toEqual(['auth.signup']);
    expect((await entriesFor(server.admin, { ip, action: 'auth.signup' }))).toHaveLength(5);
    expect((await entriesFor(server.admin, { ip, action: 'auth.*' }))).toHaveLength(5);
    expect((await entriesFor(server.admin, { ip, action: 'auth.login' }))).toHaveLength(0);
    const middle = all[2]!.at;
    const since = await entriesFor(server.admin, { ip, since: middle });
    const until = await entriesFor(server.admin, { ip, until: middle });
    expect(since.length + until.length).toBe(5);
    expect(since.every((e) => e.at >= middle) && until.every((e) => e.at < middle)).toBe(true);
    expect(await entriesFor(server.admin, { ip, since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);

    expectError(await server.admin.get('/api/v1/admin/audit?cursor=not-a-cursor'), 400, 'invalid_cursor');
    expectError(await server.admin.get('/api/v1/admin/audit?since=yesterday'), 400, 'invalid_request');
    expectError(await server.admin.get('/api/v1/admin/audit?actorId=42'), 400, 'invalid_request');
    expectError(await server.admin.get('/api/v1/admin/audit?limit=100000'), 400, 'invalid_request');
    expectError(await server.admin.get(`/api/v1/admin/audit?since=${new Date().toISOString()}&until=2000-01-01T00:00:00Z`), 400, 'invalid_request');
  });

  it('is refused to members, to admin tokens without the admin scope, and to strangers', async () => {
    const member = await server.user();
    const paths = ['/api/v1/admin/audit', '/api/v1/admin/audit/export', '/api/v1/admin/alerts'];
    for (const p of paths) expectError(await member.get(p), 403, 'forbidden');
    const pat = await server.admin.post('/api/v1/tokens', { name: 'read only', scopes: ['read'] });
    for (const p of paths) expectError(await server.request('GET', p, undefined, bearer(pat.body.secret)), 403, 'forbidden');
    for (const p of paths) expectError(await server.request('GET', p), 401, 'unauthorized');
    const adminPat = await server.admin.post('/api/v1/tokens', { name: 'siem', scopes: ['read', 'admin'] });
    expect((await server.request('GET', paths[0]!, undefined, bearer(adminPat.body.secret))).status).toBe(200);
    // The refused export was not recorded as an export.
    expect((await entriesFor(server.admin, { actorId: member.id, action: 'audit.exported' }))).toEqual([]);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused, even to the application', async () => {
    const u = await signupFrom('10.64.0.1', `Pw-${hex()}-long enough`);
    const [entry] = await entriesFor(server.admin, { actorId: u.id });
    const db = server.deps.db;
    await expect(sql`UPDATE audit_log SET actor_name = 'someone else' WHERE id = ${entry.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE id = ${entry.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE false`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const [still] = await entriesFor(server.admin, { actorId: u.id });
    expect(still).toEqual(entry);
  });

  it('leaves no entry for an action whose transaction rolls back', async () => {
    const marker = `rolled-back-${hex()}`;
    const deps = server.deps;
    await expect(transact(deps, async (tx, events) => {
      await audit({ deps, tx, events, by: null, client: { ip: '10.65.0.1', userAgent: marker } }, 'workspace.updated', { type: 'workspace', id: null });
      throw new Error('the action failed after recording');
    })).rejects.toThrow('the action failed');
    expect(await entriesFor(server.admin, { ip: '10.65.0.1' })).toEqual([]);
  });

  it('drops secret-bearing keys and our token shapes from a detail, at any depth', async () => {
    const deps = server.deps;
    const token = `pat_${randomBytes(32).toString('base64url')}`;
    const detail = { note: 'kept', nested: { password: 'hunter2-hunter2', ok: 1 }, leaked: `Bearer ${token}` } as const;
    await transact(deps, (tx, events) => audit({ deps, tx, events, by: null, client: { ip: '10.66.0.1', userAgent: '' } },
      'workspace.updated', null, detail));
    const [e] = await entriesFor(server.admin, { ip: '10.66.0.1' });
    expect(e.detail).toEqual({ note: 'kept', nested: { ok: 1 }, leaked: '[redacted]' });
    expect(e.userAgent).toBeNull();
  });
});
