// Password guessing: per (account, address) backoff, per-account and per-address locks, all
// temporary, none revealing whether an account exists. Time moves through deps.clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type TestServer } from './harness.js';
import { expectError, uniq } from './expect.js';
import { advanceClock, loginFrom, requestAt } from './security-helpers.js';
import { enrolTotp, totpCode } from './identity-helpers.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { ACCOUNT_FAILURES, ADDRESS_FAILURES, PAIR_FREE_FAILURES } from '../src/security/brute-force.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

// Each test attacks from its own block of loopback addresses.
let block = 0;
const addresses = () => {
  block += 1;
  return (i: number) => `127.${block}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
};

const wrong = (i: number) => `wrong guess number ${i}`;

describe('password guessing', () => {
  it('locks one attacker out of one account with a growing delay, while the owner signs in from elsewhere', async () => {
    const victim = await server.user();
    const at = addresses();
    for (let i = 0; i < PAIR_FREE_FAILURES; i++) expectError(await loginFrom(server, at(0), victim.user.username, wrong(i)), 401, 'invalid_credentials');

    const locked = await loginFrom(server, at(0), victim.user.username, PASSWORD);
    expectError(locked, 429, 'too_many_attempts');
    expect(locked.headers.get('retry-after')).toBe('60');
    expect((await loginFrom(server, at(1), victim.user.email)).status).toBe(200);

    // After the minute, one more wrong guess locks for twice as long.
    advanceClock(server, 61_000);
    expectError(await loginFrom(server, at(0), victim.user.username, wrong(99)), 401, 'invalid_credentials');
    const longer = await loginFrom(server, at(0), victim.user.username, PASSWORD);
    expectError(longer, 429, 'too_many_attempts');
    expect(longer.headers.get('retry-after')).toBe('120');
  });

  it('answers an unknown login exactly like a known one, so a lock reveals nothing', async () => {
    const known = await server.user();
    const at = addresses();
    const trace = async (login: string, from: string) => {
      const seen: string[] = [];
      for (let i = 0; i <= PAIR_FREE_FAILURES; i++) {
        const r = await loginFrom(server, from, login, wrong(i));
        seen.push(`${r.status} ${r.body.error.code} ${r.body.error.message} ${r.headers.get('retry-after')}`);
      }
      return seen;
    };
    expect(await trace(uniq('nobody'), at(0))).toEqual(await trace(known.user.username, at(1)));
  });

  it('never lets 1,000 guesses from rotating addresses in, even the right password, and lets the owner in once the lock ends', async () => {
    const victim = await server.user();
    const at = addresses();
    const statuses: Record<number, number> = {};
    // Fifty at a time: parallel guesses must not slip past a lock that is being decided.
    for (let start = 0; start < 1000; start += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => {
        const i = start + k;
        return loginFrom(server, at(i), victim.user.username, i === 999 ? PASSWORD : wrong(i));
      }));
      for (const r of batch) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (start === 950) expectError(batch[49]!, 429, 'too_many_attempts');
    }
    expect(statuses[200]).toBeUndefined();
    expect(statuses[401]).toBe(ACCOUNT_FAILURES);
    expect(statuses[429]).toBe(1000 - ACCOUNT_FAILURES);

    // The owner, from an address that never failed, waits for the lock like everyone else...
    const locked = await loginFrom(server, at(1500), victim.user.username);
    expectError(locked, 429, 'too_many_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    // ...and is in as soon as it ends.
    advanceClock(server, 15 * 60_000 + 1000);
    expect((await loginFrom(server, at(1500), victim.user.username)).status).toBe(200);
  }, 120_000);

  it('lifts an account lock at once when the owner resets the password by link', async () => {
    const victim = await server.user();
    const at = addresses();
    for (let i = 0; i < ACCOUNT_FAILURES; i++) await loginFrom(server, at(i), victim.user.username, wrong(i));
    expectError(await loginFrom(server, at(500), victim.user.username), 429, 'too_many_attempts');

    const link = await server.admin.post(`/api/v1/users/${victim.id}/password-reset`, {});
    expect(link.status).toBe(201);
    const newPassword = 'a brand new passphrase 42';
    const reset = await server.request('POST', '/api/v1/auth/password-reset', { token: link.body.token, password: newPassword });
    expect(reset.status).toBe(204);
    expect((await loginFrom(server, at(500), victim.user.username, newPassword)).status).toBe(200);
  });

  it('locks an address that tries many accounts, and only that address', async () => {
    const owner = await server.user();
    const at = addresses();
    for (let i = 0; i < ADDRESS_FAILURES; i++) {
      expectError(await loginFrom(server, at(0), uniq('stuffed'), wrong(i)), 401, 'invalid_credentials');
    }
    expectError(await loginFrom(server, at(0), owner.user.username), 429, 'too_many_attempts');
    expect((await loginFrom(server, at(1), owner.user.username)).status).toBe(200);
  });

  it('counts wrong two-factor codes too, so knowing the password does not buy endless code guesses', async () => {
    const victim = await server.user();
    const { secret, confirmedAt } = await enrolTotp(server, victim.token!);
    const at = addresses();
    const secondFactor = (from: string, challenge: string, code: string) =>
      requestAt(server.url + '/api/v1/auth/2fa', 'POST', { challenge, code }, {}, { address: from });
    const badCode = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    // Each challenge allows five codes; signing in again with the password must not reset the count.
    for (let round = 0; round < PAIR_FREE_FAILURES / 5; round++) {
      const first = await loginFrom(server, at(0), victim.user.username);
      expect(first.body.twoFactorRequired).toBe(true);
      for (let i = 0; i < 5; i++) expectError(await secondFactor(at(0), first.body.challenge, badCode), 401, 'invalid_code');
    }
    expectError(await loginFrom(server, at(0), victim.user.username), 429, 'too_many_attempts');
    // The owner, elsewhere, completes both steps.
    const owner = await loginFrom(server, at(1), victim.user.username);
    const done = await secondFactor(at(1), owner.body.challenge, totpCode(secret, confirmedAt + 30_000));
    expect(done.status).toBe(200);
    expect(done.body.token).toBeTruthy();
  });
});

describe('lockout settings', () => {
  it('are on by default, and a bad value stops the server with a sentence', () => {
    expect(loadConfig({}).loginLockout).toEqual({ enabled: true, maxLockMinutes: 15 });
    expect(loadConfig({ PARLEY_LOGIN_LOCKOUT: 'off', PARLEY_LOGIN_LOCKOUT_MAX_MINUTES: '60' }).loginLockout).toEqual({ enabled: false, maxLockMinutes: 60 });
    expect(() => loadConfig({ PARLEY_LOGIN_LOCKOUT_MAX_MINUTES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_LOGIN_LOCKOUT: 'maybe' })).toThrow(/PARLEY_LOGIN_LOCKOUT must be true or false/);
  });
});

