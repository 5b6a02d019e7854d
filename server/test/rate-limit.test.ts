// Request limits shared by every node through Redis (127.0.0.1:6379), per user when signed in
// and per address otherwise, and not reset by headers a client can forge.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { expectError } from './expect.js';
import { requestAt } from './security-helpers.js';
import { ConfigError, loadConfig } from '../src/config.js';

const REDIS = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Two nodes behind one Redis, under a key prefix no other test uses.
const prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
const limited = { rateLimit: { enabled: true, perMinute: 100, authPerMinute: 3 }, redis: { url: REDIS, prefix } };
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  [a, b] = await Promise.all([startTestServer({ config: limited }), startTestServer({ config: limited })]);
});
afterAll(async () => { await Promise.all([a?.close(), b?.close()]); });

/** The public invite check: an auth-limited route that touches no account. */
const probe = (s: TestServer, headers: Record<string, string> = {}, address?: string) =>
  requestAt(s.url + `/api/v1/invites/inv_${randomBytes(8).toString('hex')}`, 'GET', undefined, headers, { address });

describe('rate limits through Redis', () => {
  it('counts requests to either node against one limit, and answers 429 with Retry-After', async () => {
    const from = '127.0.7.1';
    expect((await probe(a, {}, from)).status).toBe(200);
    expect((await probe(b, {}, from)).status).toBe(200);
    expect((await probe(a, {}, from)).status).toBe(200);
    const refused = await probe(b, {}, from);
    expectError(refused, 429, 'rate_limited');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client is not affected.
    expect((await probe(a, {}, '127.0.7.2')).status).toBe(200);
  });

  it('is not reset by a forged X-Forwarded-For or a new User-Agent', async () => {
    const from = '127.0.7.3';
    for (let i = 0; i < 3; i++) expect((await probe(a, {}, from)).status).toBe(200);
    for (const headers of <Record<string, string>[]>[
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-forwarded-for': '198.51.100.3, 203.0.113.10', 'user-agent': 'curl/8.0' },
      { 'user-agent': 'Mozilla/5.0 (something new)', forwarded: 'for=192.0.2.9', 'x-real-ip': '192.0.2.9' },
    ]) {
      const r = await probe(b, headers, from);
      expectError(r, 429, 'rate_limited');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('limits a signed-in user by account, whatever address they come from', async () => {
    const c = await startTestServer({ noAdmin: true, config: { ...limited, rateLimit: { enabled: true, perMinute: 5, authPerMinute: 100 } } });
    try {
      const signup = async (username: string) => (await requestAt(c.url + '/api/v1/auth/signup', 'POST',
        { username, email: `${username}@example.test`, password: 'correct horse battery staple' })).body.token as string;
      const admin = await signup('admin');
      expect((await c.request('PATCH', '/api/v1/workspace', { openSignup: true }, { authorization: `Bearer ${admin}` })).status).toBe(200);
      const [ana, bo] = [await signup('ana'), await signup('bo')];
      const me = (token: string, address: string) =>
        requestAt(c.url + '/api/v1/users/me', 'GET', undefined, { authorization: `Bearer ${token}` }, { address });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await me(ana, `127.0.8.${i + 1}`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const refused = await me(ana, '127.0.8.9');
      expectError(refused, 429, 'rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Someone else at the same address still gets through.
      expect((await me(bo, '127.0.8.9')).status).toBe(200);
    } finally {
      await c.close();
    }
  });
});

describe('client addresses behind a reverse proxy', () => {
  it("believes X-Forwarded-For only from the proxy's own address (PARLEY_TRUST_PROXY=127.0.0.1)", async () => {
    const s = await startTestServer({ config: { trustProxy: '127.0.0.1', rateLimit: { enabled: true, perMinute: 100, authPerMinute: 2 } } });
    try {
      const viaProxy = (client: string) => probe(s, { 'x-forwarded-for': client }, '127.0.0.1');
      expect([(await viaProxy('203.0.113.1')).status, (await viaProxy('203.0.113.1')).status, (await viaProxy('203.0.113.1')).status])
        .toEqual([200, 200, 429]);
      expect((await viaProxy('203.0.113.2')).status).toBe(200);
      // Straight from another machine, the header is the client's own claim and is ignored.
      const direct = (i: number) => probe(s, { 'x-forwarded-for': `198.51.100.${i}` }, '127.0.9.9');
      expect([(await direct(1)).status, (await direct(2)).status, (await direct(3)).status]).toEqual([200, 200, 429]);
    } finally {
      await s.close();
    }
  });
});

describe('when Redis is away', () => {
  it('keeps answering (limits pause, nothing fails)', async () => {
    const s = await startTestServer({ config: { rateLimit: { enabled: true, perMinute: 100, authPerMinute: 100 }, redis: { url: 'redis://127.0.0.1:1', prefix } } });
    try {
      expect((await s.admin.get('/api/v1/users/me')).status).toBe(200);
      expect((await probe(s)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('settings', () => {
  it('reads PARLEY_REDIS_URL and PARLEY_TRUST_PROXY, and stops the server on bad values with a sentence', () => {
    expect(loadConfig({ PARLEY_REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ url: 'redis://cache:6379', prefix: 'parley:' });
    expect(() => loadConfig({ PARLEY_REDIS_URL: 'cache:6379' })).toThrow(/PARLEY_REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PARLEY_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ PARLEY_TRUST_PROXY: '10.0.0.2, fd00::/8' }).trustProxy).toBe('10.0.0.2, fd00::/8');
    expect(() => loadConfig({ PARLEY_TRUST_PROXY: 'the load balancer' })).toThrow(ConfigError);
  });
});

