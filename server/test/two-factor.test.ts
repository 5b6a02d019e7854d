// TOTP two-factor: enrolment with a QR code, confirmation, recovery codes, the two-step
// sign-in, replay and guessing limits, disabling, and the workspace policy with its grace
// period and the "enrolment required" state. Refusals as well as successes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, Socket, startTestServer, type Client, type TestServer } from './harness.js';
import { bearer, enrolTotp, expectError, login, totpCode } from './identity-helpers.js';
import { hashRecoveryCode } from '../src/auth/recovery-codes.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const as = (token: string) => ({
  get: (path: string) => server.request<any>('GET', path, undefined, bearer(token)),
  post: (path: string, body?: unknown) => server.request<any>('POST', path, body, bearer(token)),
  put: (path: string, body?: unknown) => server.request<any>('PUT', path, body, bearer(token)),
});

async function withTotp(): Promise<{ user: Client; secret: string; recoveryCodes: string[]; confirmedAt: number }> {
  const user = await server.user();
  return { user, ...(await enrolTotp(server, user.token!)) };
}

describe('enrolment', () => {
  it('hands out a secret, an otpauth URL and a QR code, and turns on only after a correct code', async () => {
    const u = await server.user();
    expect((await u.get('/api/v1/2fa')).body).toEqual({
      totp: false, passkeys: 0, recoveryCodesLeft: 0, required: false, enrolBy: null, enrolmentRequired: false,
    });
    const begin = await u.post('/api/v1/2fa/totp');
    expect(begin.status).toBe(200);
    expect(begin.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(begin.body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('secret')).toBe(begin.body.secret);
    expect(url.searchParams.get('issuer')).toBe('Parley');
    expect(decodeURIComponent(url.pathname)).toContain(u.user.username);
    expect(begin.body.qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]{200,}$/);

    // The secret is sealed at rest, never stored as given.
    const row = await server.deps.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.secret_sealed).not.toContain(begin.body.secret);
    expect(row.confirmed_at).toBeNull();

    // Not on yet: sign-in still needs the password only.
    expect((await login(server, u.user.username)).body.token).toEqual(expect.any(String));

    for (const code of ['000000', '12345', 'abcdef', totpCode(begin.body.secret, Date.now() - 5 * 60_000)]) {
      expectError(await u.post('/api/v1/2fa/totp/confirm', { code }), 400, 'invalid_code');
    }
    for (const bad of [{}, { code: '' }, { code: 123456 }, { code: '1'.repeat(65) }, { code: '123456', extra: 1 }]) {
      expectError(await u.post('/api/v1/2fa/totp/confirm', bad), 400, 'invalid_request');
    }
    // Starting again replaces the unconfirmed secret.
    const again = await u.post('/api/v1/2fa/totp');
    expect(again.body.secret).not.toBe(begin.body.secret);
    expectError(await u.post('/api/v1/2fa/totp/confirm', { code: totpCode(begin.body.secret) }), 400, 'invalid_code');

    const confirm = await u.post('/api/v1/2fa/totp/confirm', { code: totpCode(again.body.secret) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    for (const c of confirm.body.recoveryCodes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect((await u.get('/api/v1/2fa')).body).toMatchObject({ totp: true, recoveryCodesLeft: 10 });

    // Recovery codes are stored hashed only.
    const stored = await server.deps.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', u.id).execute();
    expect(stored.map((r) => r.code_hash).sort()).toEqual(confirm.body.recoveryCodes.map((c: string) => hashRecoveryCode(c)).sort());
    expect(JSON.stringify(stored)).not.toContain(confirm.body.recoveryCodes[0]);

    // Once on, it cannot be set up again or confirmed twice.
    expectError(await u.post('/api/v1/2fa/totp'), 409, 'already_exists');
    expectError(await u.post('/api/v1/2fa/totp/confirm', { code: totpCode(again.body.secret, Date.now() + 30_000) }), 409, 'already_exists');
  });

  it('refuses to confirm when nothing was started, and keeps the routes from tokens and strangers', async () => {
    const u = await server.user();
    expectError(await u.post('/api/v1/2fa/totp/confirm', { code: '123456' }), 404, 'not_found');
    expectError(await server.request('POST', '/api/v1/2fa/totp'), 401, 'unauthorized');
    expectError(await server.request('GET', '/api/v1/2fa'), 401, 'unauthorized');
    const pat = await u.post('/api/v1/tokens', { name: 'script', scopes: ['write'] });
    expect(pat.status).toBe(201);
    for (const [method, path] of [['GET', '/api/v1/2fa'], ['POST', '/api/v1/2fa/totp'], ['POST', '/api/v1/2fa/recovery-codes']] as const) {
      expectError(await server.request(method, path, method === 'POST' ? { password: PASSWORD } : undefined, bearer(pat.body.secret)), 403, 'session_required');
    }
  });
});

describe('two-step sign-in', () => {
  it('answers the password with a challenge, and the challenge with a session after a good code', async () => {
    const { user, secret } = await withTotp();
    const first = await login(server, user.user.username);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['challenge', 'expiresAt', 'methods', 'twoFactorRequired']);
    expect(first.body).toMatchObject({ twoFactorRequired: true, methods: ['totp', 'recovery'] });
    expect(first.headers.getSetCookie()).toEqual([]);
    const minutes = (Date.parse(first.body.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(4);
    expect(minutes).toBeLessThanOrEqual(5);
    // The challenge is not a session.
    expectError(await server.request('GET', '/api/v1/users/me', undefined, bearer(first.body.challenge)), 401, 'unauthorized');

    // A wrong password still gets the generic answer, with no hint that two-factor is on.
    expectError(await login(server, user.user.username, 'not the password at all'), 401, 'invalid_credentials');

    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: first.body.challenge, code: '000000' }), 401, 'invalid_code');
    // (The current step's code confirmed the enrolment and is spent; the next step's is accepted too.)
    const ok = await server.request<any>('POST', '/api/v1/auth/2fa', { challenge: first.body.challenge, code: totpCode(secret, Date.now() + 30_000) });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['csrfToken', 'token', 'user']);
    expect(ok.body.user.id).toBe(user.id);
    expect(ok.headers.getSetCookie().map((c) => c.split('=')[0]).sort()).toEqual(['parley_csrf', 'parley_session']);
    expect((await server.request<any>('GET', '/api/v1/users/me', undefined, bearer(ok.body.token))).body.id).toBe(user.id);

    // The challenge is used up.
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: first.body.challenge, code: totpCode(secret, Date.now() - 30_000) }), 401, 'challenge_invalid');
  });

  it('never accepts the same code twice', async () => {
    const { user, secret, confirmedAt } = await withTotp();
    // The code that confirmed enrolment is spent; so is every code of that step.
    const c1 = (await login(server, user.user.username)).body.challenge;
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c1, code: totpCode(secret, confirmedAt) }), 401, 'invalid_code');
    const next = totpCode(secret, confirmedAt + 30_000);
    expect((await server.request('POST', '/api/v1/auth/2fa', { challenge: c1, code: next })).status).toBe(200);
    const c2 = (await login(server, user.user.username)).body.challenge;
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c2, code: next }), 401, 'invalid_code');
  });

  it('takes each recovery code once, ignoring case and dashes', async () => {
    const { user, recoveryCodes } = await withTotp();
    const c1 = (await login(server, user.user.username)).body.challenge;
    const typed = recoveryCodes[0]!.toUpperCase().replace(/-/g, ' ');
    expect((await server.request('POST', '/api/v1/auth/2fa', { challenge: c1, recoveryCode: typed })).status).toBe(200);
    const c2 = (await login(server, user.user.username)).body.challenge;
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c2, recoveryCode: recoveryCodes[0] }), 401, 'invalid_code');
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c2, recoveryCode: 'aaaa-bbbb-cccc-dddd' }), 401, 'invalid_code');
    // Someone else's code is no code at all.
    const other = await withTotp();
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c2, recoveryCode: other.recoveryCodes[0] }), 401, 'invalid_code');
    expect((await server.request('POST', '/api/v1/auth/2fa', { challenge: c2, recoveryCode: recoveryCodes[1] })).status).toBe(200);
    const status = await server.request<any>('GET', '/api/v1/2fa', undefined, bearer(user.token!));
    expect(status.body.recoveryCodesLeft).toBe(8);
  });

  it('voids a challenge after five wrong answers, so guessing needs the password again', async () => {
    const { user, secret } = await withTotp();
    const c = (await login(server, user.user.username)).body.challenge;
    for (let i = 0; i < 5; i++) {
      expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c, code: String(100000 + i) }), 401, 'invalid_code');
    }
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c, code: totpCode(secret, Date.now() + 30_000) }), 401, 'challenge_invalid');
  });

  it('refuses expired, unknown and malformed challenges', async () => {
    const { user, secret } = await withTotp();
    const c = (await login(server, user.user.username)).body.challenge;
    await server.deps.db.updateTable('auth_challenges').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', user.id).execute();
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c, code: totpCode(secret, Date.now() + 30_000) }), 401, 'challenge_invalid');
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: 'lch_unknown', code: '123456' }), 401, 'challenge_invalid');
    for (const bad of [{}, { challenge: c }, { challenge: c, code: '1', recoveryCode: 'x' }, { code: '123456' }, { challenge: 5, code: '123456' },
      { challenge: 'x'.repeat(201), code: '123456' }, { challenge: c, code: '123456', extra: true }]) {
      const r = await server.request('POST', '/api/v1/auth/2fa', bad);
      expectError(r, 400, 'invalid_request');
    }
  });

  it('refuses a deactivated account at the second step', async () => {
    const { user, secret } = await withTotp();
    const c = (await login(server, user.user.username)).body.challenge;
    expect((await server.admin.patch(`/api/v1/users/${user.id}`, { deactivated: true })).status).toBe(200);
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: c, code: totpCode(secret, Date.now() + 30_000) }), 403, 'account_deactivated');
  });
});

describe('turning it off and new recovery codes', () => {
  it('needs the password and a current code (or a recovery code)', async () => {
    const { user, secret, recoveryCodes } = await withTotp();
    const u = as(user.token!);
    const code = totpCode(secret, Date.now() + 30_000);
    expectError(await u.post('/api/v1/2fa/totp/disable', { password: 'wrong password here', code }), 403, 'invalid_credentials');
    expectError(await u.post('/api/v1/2fa/totp/disable', { password: PASSWORD, code: '000000' }), 403, 'invalid_code');
    expectError(await u.post('/api/v1/2fa/totp/disable', { password: PASSWORD }), 400, 'invalid_request');
    expect((await u.get('/api/v1/2fa')).body.totp).toBe(true);

    const fresh = await u.post('/api/v1/2fa/recovery-codes', { password: PASSWORD });
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expectError(await u.post('/api/v1/2fa/recovery-codes', { password: 'nope nope nope' }), 403, 'invalid_credentials');
    // The old codes stopped working.
    expectError(await u.post('/api/v1/2fa/totp/disable', { password: PASSWORD, code: recoveryCodes[0] }), 403, 'invalid_code');

    const r = await u.post('/api/v1/2fa/totp/disable', { password: PASSWORD, code: fresh.body.recoveryCodes[0] });
    expect(r.status).toBe(204);
    expect((await u.get('/api/v1/2fa')).body).toMatchObject({ totp: false, recoveryCodesLeft: 0 });
    expect((await login(server, user.user.username)).body.token).toEqual(expect.any(String));
    expectError(await u.post('/api/v1/2fa/totp/disable', { password: PASSWORD, code }), 404, 'not_found');
    expectError(await u.post('/api/v1/2fa/recovery-codes', { password: PASSWORD }), 404, 'not_found');
  });
});

describe('the workspace policy', () => {
  let policyServer: TestServer;
  beforeAll(async () => { policyServer = await startTestServer(); });
  afterAll(async () => { await policyServer?.close(); });

  const setPolicy = (body: unknown, token = policyServer.admin.token!) =>
    policyServer.request<any>('PUT', '/api/v1/2fa/policy', body, bearer(token));

  it('is set by admins only, and validated', async () => {
    const member = await policyServer.user();
    expectError(await setPolicy({ require: 'everyone', graceDays: 0 }, member.token!), 403, 'forbidden');
    expectError(await policyServer.request('GET', '/api/v1/2fa/policy', undefined, bearer(member.token!)), 403, 'forbidden');
    for (const bad of [{}, { require: 'all', graceDays: 1 }, { require: 'everyone' }, { require: 'everyone', graceDays: -1 },
      { require: 'everyone', graceDays: 366 }, { require: 'everyone', graceDays: 1.5 }, { require: 'off', graceDays: 0, x: 1 }]) {
      expectError(await setPolicy(bad), 400, 'invalid_request');
    }
    expect((await policyServer.admin.get('/api/v1/2fa/policy')).body).toEqual({ require: 'off', graceDays: 0, enforceAt: null });
  });

  it('during the grace period: a full session with a notice saying by when', async () => {
    const r = await setPolicy({ require: 'everyone', graceDays: 7 });
    expect(r.status).toBe(200);
    const days = (Date.parse(r.body.enforceAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    const member = await policyServer.user();
    const l = await login(policyServer, member.user.username);
    expect(l.status).toBe(200);
    expect(l.body.twoFactor).toEqual({ enrolmentRequired: false, enrolBy: r.body.enforceAt });
    expect((await policyServer.request('GET', '/api/v1/channels', undefined, bearer(l.body.token))).status).toBe(200);
    const status = await policyServer.request<any>('GET', '/api/v1/2fa', undefined, bearer(l.body.token));
    expect(status.body).toMatchObject({ required: true, enrolBy: r.body.enforceAt, enrolmentRequired: false });
  });

  it('after the grace period: sign-in forces enrolment before anything else works', async () => {
    const member = await policyServer.user();
    expect((await setPolicy({ require: 'everyone', graceDays: 0 })).status).toBe(200);
    const l = await login(policyServer, member.user.username);
    expect(l.status).toBe(200);
    expect(l.body.twoFactor).toEqual({ enrolmentRequired: true, enrolBy: expect.any(String) });
    const t = l.body.token as string;
    const u = {
      get: (p: string) => policyServer.request<any>('GET', p, undefined, bearer(t)),
      post: (p: string, b?: unknown) => policyServer.request<any>('POST', p, b, bearer(t)),
    };
    // Everything else is refused with one code the client can branch on.
    expectError(await u.get('/api/v1/channels'), 403, 'enrolment_required');
    expectError(await u.post('/api/v1/channels', { name: 'sneaky', kind: 'public' }), 403, 'enrolment_required');
    expectError(await u.get(`/api/v1/users/${member.id}`), 403, 'enrolment_required');
    expectError(await u.get('/api/v1/sessions'), 403, 'enrolment_required');
    expectError(await u.post('/api/v1/tokens', { name: 'x', scopes: ['read'] }), 403, 'enrolment_required');
    await expect(Socket.open(policyServer.wsUrl, { type: 'auth', token: t })).rejects.toThrow(/enrolment_required/);
    // Who am I, what must I do, enrolment itself and signing out still work.
    expect((await u.get('/api/v1/users/me')).body.id).toBe(member.id);
    expect((await u.get('/api/v1/2fa')).body).toMatchObject({ required: true, enrolmentRequired: true, totp: false });

    const begin = await u.post('/api/v1/2fa/totp');
    expect(begin.status).toBe(200);
    const confirm = await u.post('/api/v1/2fa/totp/confirm', { code: totpCode(begin.body.secret) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    // The same session is a full one now.
    expect((await u.get('/api/v1/channels')).status).toBe(200);
    expect((await u.get('/api/v1/2fa')).body.enrolmentRequired).toBe(false);
    const ws = await Socket.open(policyServer.wsUrl, { type: 'auth', token: t });
    await ws.close();
    // Next sign-in asks for the code.
    expect((await login(policyServer, member.user.username)).body.twoFactorRequired).toBe(true);
  });

  it('does not let someone remove their last factor while it is required', async () => {
    const member = await policyServer.user();
    const { secret } = await enrolTotp(policyServer, member.token!);
    const r = await policyServer.request('POST', '/api/v1/2fa/totp/disable', { password: PASSWORD, code: totpCode(secret, Date.now() + 30_000) }, bearer(member.token!));
    expectError(r, 403, 'two_factor_required');
  });

  it('for admins only: members sign in as before, admins must enrol', async () => {
    expect((await setPolicy({ require: 'admins', graceDays: 0 })).status).toBe(200);
    const member = await policyServer.user();
    const ml = await login(policyServer, member.user.username);
    expect(Object.keys(ml.body).sort()).toEqual(['csrfToken', 'token', 'user']);
    const admin2 = await policyServer.user();
    expect((await policyServer.admin.patch(`/api/v1/users/${admin2.id}`, { role: 'admin' })).status).toBe(200);
    const al = await login(policyServer, admin2.user.username);
    expect(al.body.twoFactor.enrolmentRequired).toBe(true);
    expectError(await policyServer.request('GET', '/api/v1/users', undefined, bearer(al.body.token)), 403, 'enrolment_required');

    // Turning the policy off lifts it at the next sign-in.
    expect((await policyServer.admin.put('/api/v1/2fa/policy', { require: 'off', graceDays: 0 })).body).toEqual({ require: 'off', graceDays: 0, enforceAt: null });
    const again = await login(policyServer, admin2.user.username);
    expect(again.body.twoFactor).toBeUndefined();
    expect((await policyServer.request('GET', '/api/v1/users', undefined, bearer(again.body.token))).status).toBe(200);
  });
});
