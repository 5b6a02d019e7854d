// Passkeys in a real browser: Chromium with a virtual authenticator (the DevTools protocol's
// WebAuthn domain). The page is any page of Parley's own origin; the test runs
// navigator.credentials.create/get there with the options from the API and posts the answers
// back. Registration, listing, passwordless sign-in, passkeys as the second factor, deletion,
// and the refusals: replayed answers, foreign passkeys, expired challenges, other origins.
import net from 'node:net';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type Client, type TestServer } from './harness.js';
import { bearer, enrolTotp, expectError, login } from './identity-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // WebAuthn needs a domain as RP ID (not an IP): the public URL is http://localhost:<port>.
  const port = await freePort();
  server = await startTestServer({ config: { port, publicUrl: `http://localhost:${port}` } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page on Parley's origin with a fresh virtual authenticator (a platform passkey with user verification). */
async function device(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.deps.config.publicUrl}/healthz`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page, cdp, authenticatorId };
}

function create(page: Page, options: unknown): Promise<any> {
  return page.evaluate(async (json) => {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json as any);
    const cred = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
    return cred.toJSON();
  }, options);
}

function get(page: Page, options: unknown): Promise<any> {
  return page.evaluate(async (json) => {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json as any);
    const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
    return cred.toJSON();
  }, options);
}

async function register(user: Client, page: Page, name?: string) {
  const start = await user.post('/api/v1/passkeys/options');
  expect(start.status).toBe(200);
  const response = await create(page, start.body.options);
  const r = await user.post('/api/v1/passkeys', { challengeId: start.body.challengeId, response, ...(name && { name }) });
  expect(r.status).toBe(201);
  return r.body;
}

async function passwordless(page: Page) {
  const start = await server.request<any>('POST', '/api/v1/auth/passkey/options');
  expect(start.status).toBe(200);
  const response = await get(page, start.body.options);
  return { start, response, reply: await server.request<any>('POST', '/api/v1/auth/passkey', { challengeId: start.body.challengeId, response }) };
}

describe('registering', () => {
  it('registers a passkey, lists it, and hands out recovery codes with the first second factor', async () => {
    const u = await server.user();
    const { page } = await device();
    const start = await u.post('/api/v1/passkeys/options');
    expect(start.body.options.rp).toEqual({ name: 'Parley', id: 'localhost' });
    expect(start.body.options.authenticatorSelection).toMatchObject({ residentKey: 'required' });
    const first = await register(u, page, 'Laptop');
    expect(first.passkey).toEqual({
      id: expect.any(String), name: 'Laptop', deviceType: expect.any(String), backedUp: expect.any(Boolean),
      createdAt: expect.any(String), lastUsedAt: null,
    });
    expect(first.recoveryCodes).toHaveLength(10);
    expect((await u.get('/api/v1/passkeys')).body.passkeys).toEqual([first.passkey]);
    expect((await u.get('/api/v1/2fa')).body).toMatchObject({ passkeys: 1, totp: false, recoveryCodesLeft: 10 });
    // Only the public key is stored.
    const row = await server.deps.db.selectFrom('passkeys').selectAll().where('id', '=', first.passkey.id).executeTakeFirstOrThrow();
    expect(row.user_id).toBe(u.id);
    expect(row.public_key.length).toBeGreaterThan(40);

    // The same authenticator cannot register twice (excluded by the options); a second one can.
    const again = await u.post('/api/v1/passkeys/options');
    await expect(create(page, again.body.options)).rejects.toThrow();
    const other = await device();
    const second = await register(u, other.page);
    expect(second.passkey.name).toBe('Passkey 2');
    expect(second.recoveryCodes).toBeNull();
  });

  it('refuses answers to another challenge, replays, forgeries and strangers', async () => {
    const u = await server.user();
    const { page } = await device();
    const start = await u.post('/api/v1/passkeys/options');
    const response = await create(page, start.body.options);
    // Another user cannot use it.
    const mallory = await server.user();
    expectError(await mallory.post('/api/v1/passkeys', { challengeId: start.body.challengeId, response }), 400, 'challenge_invalid');
    // Answering a different challenge fails verification.
    const other = await u.post('/api/v1/passkeys/options');
    expectError(await u.post('/api/v1/passkeys', { challengeId: other.body.challengeId, response }), 400, 'passkey_invalid');
    // The right one works once.
    expect((await u.post('/api/v1/passkeys', { challengeId: start.body.challengeId, response })).status).toBe(201);
    expectError(await u.post('/api/v1/passkeys', { challengeId: start.body.challengeId, response }), 400, 'challenge_invalid');
    for (const bad of [{}, { challengeId: start.body.challengeId }, { challengeId: 'x', response }, { challengeId: start.body.challengeId, response: { ...response, type: 'password' } },
      { challengeId: start.body.challengeId, response: { ...response, id: 'not base64!' } }]) {
      expectError(await u.post('/api/v1/passkeys', bad), 400, 'invalid_request');
    }
    expectError(await server.request('POST', '/api/v1/passkeys/options'), 401, 'unauthorized');
  });
});

describe('signing in with a passkey alone', () => {
  it('signs in without a username or password, once per challenge', async () => {
    const u = await server.user();
    const { page } = await device();
    await register(u, page);
    const { start, response, reply } = await passwordless(page);
    expect(start.body.options.userVerification).toBe('required');
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(['csrfToken', 'token', 'user']);
    expect(reply.body.user.id).toBe(u.id);
    expect(reply.headers.getSetCookie().length).toBe(2);
    expect((await server.request<any>('GET', '/api/v1/users/me', undefined, bearer(reply.body.token))).body.id).toBe(u.id);
    expect((await u.get('/api/v1/passkeys')).body.passkeys[0].lastUsedAt).toEqual(expect.any(String));
    // Replaying the same answer is refused.
    expectError(await server.request('POST', '/api/v1/auth/passkey', { challengeId: start.body.challengeId, response }), 401, 'challenge_invalid');
    const fresh = await server.request<any>('POST', '/api/v1/auth/passkey/options');
    expectError(await server.request('POST', '/api/v1/auth/passkey', { challengeId: fresh.body.challengeId, response }), 401, 'passkey_invalid');
  });

  it('counts as both factors, even when the account has TOTP on', async () => {
    const u = await server.user();
    await enrolTotp(server, u.token!);
    const { page } = await device();
    await register(u, page);
    expect((await login(server, u.user.username)).body.methods).toEqual(['totp', 'passkey', 'recovery']);
    const { reply } = await passwordless(page);
    expect(reply.status).toBe(200);
    expect(reply.body.token).toEqual(expect.any(String));
  });

  it('refuses deleted passkeys, deactivated accounts and expired challenges', async () => {
    const u = await server.user();
    const { page } = await device();
    const { passkey } = await register(u, page);
    expect((await u.del(`/api/v1/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await u.get('/api/v1/passkeys')).body.passkeys).toEqual([]);
    expectError((await passwordless(page)).reply, 401, 'passkey_invalid');

    const v = await server.user();
    const d = await device();
    await register(v, d.page);
    expect((await server.admin.patch(`/api/v1/users/${v.id}`, { deactivated: true })).status).toBe(200);
    expectError((await passwordless(d.page)).reply, 403, 'account_deactivated');

    const start = await server.request<any>('POST', '/api/v1/auth/passkey/options');
    const response = await get(d.page, start.body.options);
    await server.deps.db.updateTable('auth_challenges').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', start.body.challengeId).execute();
    expectError(await server.request('POST', '/api/v1/auth/passkey', { challengeId: start.body.challengeId, response }), 401, 'challenge_invalid');
  });
});

describe('a passkey as the second factor', () => {
  it('completes a password sign-in', async () => {
    const u = await server.user();
    const { page } = await device();
    await register(u, page);
    const first = await login(server, u.user.username);
    expect(first.body).toMatchObject({ twoFactorRequired: true, methods: ['passkey', 'recovery'] });
    // Without asking for options first there is no WebAuthn challenge to answer.
    const opts = await server.request<any>('POST', '/api/v1/auth/2fa/passkey-options', { challenge: first.body.challenge });
    expect(opts.status).toBe(200);
    expect(opts.body.options.allowCredentials).toHaveLength(1);
    const passkey = await get(page, opts.body.options);
    const done = await server.request<any>('POST', '/api/v1/auth/2fa', { challenge: first.body.challenge, passkey });
    expect(done.status).toBe(200);
    expect(done.body.user.id).toBe(u.id);
  });

  it('refuses someone else\'s passkey and a replayed answer', async () => {
    const u = await server.user();
    const mine = await device();
    await register(u, mine.page);
    const other = await server.user();
    const theirs = await device();
    await register(other, theirs.page);

    const first = await login(server, u.user.username);
    const opts = await server.request<any>('POST', '/api/v1/auth/2fa/passkey-options', { challenge: first.body.challenge });
    // Their authenticator answers a discoverable request for the same challenge: not u's passkey.
    const foreign = await get(theirs.page, { ...opts.body.options, allowCredentials: [] });
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: first.body.challenge, passkey: foreign }), 401, 'invalid_code');
    const good = await get(mine.page, opts.body.options);
    expect((await server.request('POST', '/api/v1/auth/2fa', { challenge: first.body.challenge, passkey: good })).status).toBe(200);
    const second = await login(server, u.user.username);
    await server.request('POST', '/api/v1/auth/2fa/passkey-options', { challenge: second.body.challenge });
    expectError(await server.request('POST', '/api/v1/auth/2fa', { challenge: second.body.challenge, passkey: good }), 401, 'invalid_code');
    expectError(await server.request('POST', '/api/v1/auth/2fa/passkey-options', { challenge: 'lch_nope' }), 401, 'challenge_invalid');
  });

  it('satisfies a two-factor requirement: registering one ends the enrolment-only state', async () => {
    const admin = server.admin;
    expect((await admin.put('/api/v1/2fa/policy', { require: 'everyone', graceDays: 0 })).status).toBe(200);
    try {
      const u = await server.user();
      const l = await login(server, u.user.username);
      expect(l.body.twoFactor.enrolmentRequired).toBe(true);
      const restricted = { ...u, token: l.body.token } as Client;
      Object.setPrototypeOf(restricted, Object.getPrototypeOf(u));
      expectError(await restricted.get('/api/v1/channels'), 403, 'enrolment_required');
      const { page } = await device();
      const { passkey } = await register(restricted, page);
      expect((await restricted.get('/api/v1/channels')).status).toBe(200);
      // And the last factor cannot be deleted while the policy stands.
      expectError(await restricted.del(`/api/v1/passkeys/${passkey.id}`), 403, 'two_factor_required');
    } finally {
      expect((await admin.put('/api/v1/2fa/policy', { require: 'off', graceDays: 0 })).status).toBe(200);
    }
  });

  it('deletes only my own passkeys', async () => {
    const u = await server.user();
    const { page } = await device();
    const { passkey } = await register(u, page);
    const other = await server.user();
    expectError(await other.del(`/api/v1/passkeys/${passkey.id}`), 404, 'not_found');
    expectError(await u.del('/api/v1/passkeys/01900000-0000-7000-8000-000000000000'), 404, 'not_found');
    expect((await u.get('/api/v1/passkeys')).body.passkeys).toHaveLength(1);
    expect((await u.del(`/api/v1/passkeys/${passkey.id}`)).status).toBe(204);
    // The last factor gone, the recovery codes go too.
    expect((await u.get('/api/v1/2fa')).body).toMatchObject({ passkeys: 0, recoveryCodesLeft: 0 });
    // Adding and removing it are in the audit log, with the passkey as target.
    const audit = await server.admin.get(`/api/v1/admin/audit?targetId=${passkey.id}`);
    expect(audit.body.entries.map((e: any) => [e.action, e.actorId])).toEqual([['auth.passkey_removed', u.id], ['auth.passkey_added', u.id]]);
    expect(PASSWORD).toBeTruthy();
  });
});
