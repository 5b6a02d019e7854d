// Passwords: the policy (length, personal data, the bundled list of common passwords),
// reset by an admin-made single-use link, and reset by email through a real SMTP server
// started here (smtp-server), whose mail the test reads.
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type TestServer } from './harness.js';
import { UNKNOWN_ID } from './expect.js';
import { bearer, enrolTotp, expectError, login } from './identity-helpers.js';
import { hashToken } from '../src/auth/tokens.js';
import { commonPasswordCount, isCommonPassword } from '../src/auth/common-passwords.js';

const NEW_PASSWORD = 'a fresh and fairly long passphrase';

describe('the password policy', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  it('ships a list of thousands of common passwords', () => {
    expect(commonPasswordCount()).toBeGreaterThan(10_000);
    for (const p of ['password', 'PASSWORD1234', 'qwertyuiop', 'iloveyou!!', 'Baseball2024!', '1qaz2wsx3edc', 'administrator']) {
      expect(isCommonPassword(p)).toBe(true);
    }
    for (const p of [PASSWORD, NEW_PASSWORD, 'baseball diamond at dusk', 'zq8#vL2!pR0w']) expect(isCommonPassword(p)).toBe(false);
  });

  it('refuses common, short and personal passwords at sign-up and on change', async () => {
    const signup = (username: string, password: string) => server.request('POST', '/api/v1/auth/signup', { username, email: `${username}@example.test`, password });
    for (const p of ['1qaz2wsx3edc', 'qwerty123456', 'administrator', 'Password1234!', 'short']) {
      expectError(await signup(`weak${Math.random().toString(36).slice(2, 8)}`, p), 400, 'weak_password');
    }
    const u = await server.user();
    for (const p of ['1q2w3e4r5t6y', 'unbelievable', 'short', `${u.user.username}-2024`]) {
      expectError(await u.patch('/api/v1/users/me', { password: p, currentPassword: PASSWORD }), 400, 'weak_password');
    }
    expect((await u.patch('/api/v1/users/me', { password: NEW_PASSWORD, currentPassword: PASSWORD })).status).toBe(200);
  });

  it('honours a configured minimum length', async () => {
    const strict = await startTestServer({ noAdmin: true, config: { passwordMinLength: 30 } });
    try {
      const r = await strict.request<any>('POST', '/api/v1/auth/signup', { username: 'longpw', email: 'longpw@example.test', password: 'twenty-nine characters long!!' });
      expectError(r, 400, 'weak_password');
      expect(r.body.error.message).toContain('30');
      const ok = await strict.request<any>('POST', '/api/v1/auth/signup', { username: 'longpw', email: 'longpw@example.test', password: 'thirty characters long, really' });
      expect(ok.status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});

describe('reset by an admin-made link', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ config: { publicUrl: 'https://chat.example.test' } }); });
  afterAll(async () => { await server?.close(); });

  const link = (userId: string, body: unknown = {}) => server.admin.post(`/api/v1/users/${userId}/password-reset`, body);
  const reset = (token: string, password = NEW_PASSWORD) => server.request<any>('POST', '/api/v1/auth/password-reset', { token, password });

  it('sets a new password once, ends every session and socket, and voids the link', async () => {
    const u = await server.user();
    const other = (await login(server, u.user.username)).body.token as string;
    const ws = await u.connect();
    const r = await link(u.id);
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['expiresAt', 'token', 'url']);
    expect(r.body.url).toBe(`https://chat.example.test/reset-password?token=${encodeURIComponent(r.body.token)}`);
    const hours = (Date.parse(r.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    // Stored as a hash only.
    const rows = await server.deps.db.selectFrom('password_resets').selectAll().where('user_id', '=', u.id).execute();
    expect(rows.map((x) => x.token_hash)).toEqual([hashToken(r.body.token)]);
    expect((await server.request<any>('GET', `/api/v1/auth/password-reset/${encodeURIComponent(r.body.token)}`)).body).toEqual({ valid: true });

    // A weak password is refused without spending the link.
    expectError(await reset(r.body.token, 'password1234'), 400, 'weak_password');
    expectError(await reset(r.body.token, `${u.user.username}-and-more`), 400, 'weak_password');
    expect((await reset(r.body.token)).status).toBe(204);

    expect(await ws.closed).toBe(4001);
    for (const t of [u.token!, other]) expectError(await server.request('GET', '/api/v1/users/me', undefined, bearer(t)), 401, 'unauthorized');
    expectError(await login(server, u.user.username), 401, 'invalid_credentials');
    expect((await login(server, u.user.username, NEW_PASSWORD)).status).toBe(200);

    expectError(await reset(r.body.token, 'yet another long passphrase'), 400, 'reset_token_invalid');
    expect((await server.request<any>('GET', `/api/v1/auth/password-reset/${encodeURIComponent(r.body.token)}`)).body).toEqual({ valid: false });
  });

  it('voids the user\'s other links once one is used, and honours expiry', async () => {
    const u = await server.user();
    const a = (await link(u.id)).body.token;
    const b = (await link(u.id, { expiresInMinutes: 5 })).body.token;
    const c = (await link(u.id)).body.token;
    await server.deps.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', hashToken(b)).execute();
    expectError(await reset(b), 400, 'reset_token_invalid');
    expect((await reset(a)).status).toBe(204);
    expectError(await reset(c, 'one more long passphrase'), 400, 'reset_token_invalid');
  });

  it('does not get around two-factor', async () => {
    const u = await server.user();
    await enrolTotp(server, u.token!);
    expect((await reset((await link(u.id)).body.token)).status).toBe(204);
    const l = await login(server, u.user.username, NEW_PASSWORD);
    expect(l.body.twoFactorRequired).toBe(true);
    expect(l.body.token).toBeUndefined();
  });

  it('is for admins only, for existing active users, and validated', async () => {
    const u = await server.user();
    const member = await server.user();
    expectError(await member.post(`/api/v1/users/${u.id}/password-reset`, {}), 403, 'forbidden');
    expectError(await u.post(`/api/v1/users/${u.id}/password-reset`, {}), 403, 'forbidden');
    expectError(await server.request('POST', `/api/v1/users/${u.id}/password-reset`, {}), 401, 'unauthorized');
    expectError(await link(UNKNOWN_ID), 404, 'not_found');
    for (const bad of [{ expiresInMinutes: 4 }, { expiresInMinutes: 10_081 }, { expiresInMinutes: '60' }, { other: 1 }]) {
      expectError(await link(u.id, bad), 400, 'invalid_request');
    }
    expect((await server.admin.patch(`/api/v1/users/${u.id}`, { deactivated: true })).status).toBe(200);
    expectError(await link(u.id), 400, 'invalid_request');
    for (const bad of [{}, { token: 'x' }, { password: NEW_PASSWORD }, { token: '', password: NEW_PASSWORD }, { token: 'x'.repeat(201), password: NEW_PASSWORD },
      { token: 'rst_x', password: NEW_PASSWORD, extra: 1 }]) {
      expectError(await server.request('POST', '/api/v1/auth/password-reset', bad), 400, 'invalid_request');
    }
    expectError(await reset('rst_unknown'), 400, 'reset_token_invalid');
  });

  it('refuses email resets when no SMTP server is configured', async () => {
    const u = await server.user();
    expectError(await server.request('POST', '/api/v1/auth/password-reset/request', { login: u.user.email }), 403, 'email_disabled');
  });
});

interface Captured { to: string[]; raw: string }

describe('reset by email', () => {
  let smtp: SMTPServer;
  let server: TestServer;
  const inbox: Captured[] = [];
  let arrived: (() => void) | null = null;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (c: Buffer) => { raw += c.toString(); });
        stream.on('end', () => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          arrived?.();
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const port = (smtp.server.address() as { port: number }).port;
    server = await startTestServer({ config: { smtpUrl: `smtp://127.0.0.1:${port}`, smtpFrom: 'Parley <noreply@chat.example.test>', publicUrl: 'https://chat.example.test' } });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  /** Call before the request that should send it: resolves with the next mail to arrive. */
  async function nextMail(): Promise<Captured> {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no mail arrived')), 10_000);
      arrived = () => { clearTimeout(t); resolve(); };
    });
    return inbox[inbox.length - 1]!;
  }

  it('mails a single-use link to the account\'s address', async () => {
    const u = await server.user();
    const mail = nextMail();
    const r = await server.request('POST', '/api/v1/auth/password-reset/request', { login: u.user.username.toUpperCase() });
    expect(r.status).toBe(202);
    const m = await mail;
    expect(m.to).toEqual([u.user.email]);
    expect(m.raw).toMatch(/^From: Parley <noreply@chat\.example\.test>/m);
    expect(m.raw).toMatch(/^Subject: Reset your Parley password/m);
    const body = m.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /reset-password\?token=([A-Za-z0-9_%-]+)/.exec(body)?.[1];
    expect(token).toBeTruthy();
    const minutes = (await server.deps.db.selectFrom('password_resets').select('expires_at').where('token_hash', '=', hashToken(decodeURIComponent(token!))).executeTakeFirstOrThrow()).expires_at.getTime() - Date.now();
    expect(minutes / 60_000).toBeGreaterThan(59);
    expect(minutes / 60_000).toBeLessThanOrEqual(60);

    expect((await server.request('POST', '/api/v1/auth/password-reset', { token: decodeURIComponent(token!), password: NEW_PASSWORD })).status).toBe(204);
    expect((await login(server, u.user.email!, NEW_PASSWORD)).status).toBe(200);
    expectError(await server.request('POST', '/api/v1/auth/password-reset', { token: decodeURIComponent(token!), password: 'and yet another passphrase' }), 400, 'reset_token_invalid');
  });

  it('answers the same for unknown and deactivated accounts, and sends them nothing', async () => {
    const gone = await server.user();
    expect((await server.admin.patch(`/api/v1/users/${gone.id}`, { deactivated: true })).status).toBe(200);
    const before = inbox.length;
    for (const login of ['nobody-here', 'nobody@example.test', gone.user.email!]) {
      const r = await server.request('POST', '/api/v1/auth/password-reset/request', { login });
      expect(r.status).toBe(202);
      expect(r.body).toBeNull();
    }
    // A real request afterwards is the next mail to arrive: nothing was queued for the others.
    const u = await server.user();
    const mail = nextMail();
    expect((await server.request('POST', '/api/v1/auth/password-reset/request', { login: u.user.email })).status).toBe(202);
    expect((await mail).to).toEqual([u.user.email]);
    expect(inbox.length).toBe(before + 1);
    for (const bad of [{}, { login: '' }, { login: 5 }, { login: 'x', more: 1 }]) {
      expectError(await server.request('POST', '/api/v1/auth/password-reset/request', bad), 400, 'invalid_request');
    }
  });
});
