// Routes that re-check the current password (here POST /2fa/recovery-codes) go through the
// sign-in lockout: a stolen session cannot guess the account's password without limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type TestServer } from './harness.js';
import { PAIR_FREE_FAILURES } from '../src/security/brute-force.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('password re-checks', () => {
  it('are throttled like sign-in: after 15 wrong passwords the right one is refused too', async () => {
    const u = await server.user();
    const statuses = [];
    for (let i = 0; i < 15; i++) statuses.push((await u.post('/api/v1/2fa/recovery-codes', { password: `guess number ${i}` })).status);
    // The sign-in rule: the pair (account, address) locks at its PAIR_FREE_FAILURES-th failure.
    expect(statuses).toEqual([...Array(PAIR_FREE_FAILURES).fill(403), ...Array(15 - PAIR_FREE_FAILURES).fill(429)]);
    const right = await u.post('/api/v1/2fa/recovery-codes', { password: PASSWORD });
    expect(right.status).toBe(429);
    // Password sign-in to the same account from the same address is locked too: one counter.
    const login = await server.request('POST', '/api/v1/auth/login', { login: u.user.username, password: PASSWORD });
    expect(login.status).toBe(429);
  });
});
