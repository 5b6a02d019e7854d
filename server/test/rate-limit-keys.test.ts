// The request rate limit counts an anonymous client by its address, an IPv6 one by its /64 (as
// the sign-in lockout does, security/brute-force.ts addressKey), and counts public and sign-in
// routes by address even when a bearer token rides along.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { requestAt } from './security-helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: { trustProxy: '127.0.0.1', rateLimit: { enabled: true, perMinute: 100, authPerMinute: 3 } } });
});
afterAll(async () => { await s?.close(); });

const login = (xff: string, headers: Record<string, string> = {}) => requestAt(s.url + '/api/v1/auth/login', 'POST',
  { login: `nobody-${randomBytes(4).toString('hex')}`, password: 'wrong password here' }, { 'x-forwarded-for': xff, ...headers }, { address: '127.0.0.1' });

describe('auth rate limit', () => {
  it('limits one IPv6 /64 like one address (control: one address is limited after 3)', async () => {
    const same = [];
    for (let i = 0; i < 4; i++) same.push((await login('2001:db8:1:2::1')).status);
    expect(same).toEqual([401, 401, 401, 429]);
    const rotating = [];
    for (let i = 0; i < 8; i++) rotating.push((await login(`2001:db8:1:3::${(i + 1).toString(16)}`)).status);
    expect(rotating.filter((x) => x === 429).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps counting a client by address when it sends a bearer token of its own', async () => {
    const ip = '203.0.113.77';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(ip)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Same address, but with some account's token attached: a brand-new bucket.
    const withToken = (await login(ip, { authorization: `Bearer ${s.admin.token}` })).status;
    expect(withToken).toBe(429);
  });
});
