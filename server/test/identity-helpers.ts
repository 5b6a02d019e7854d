// Helpers shared by the identity tests (sessions, tokens, two-factor, passkeys, guests, resets).
import { expect } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import type { Reply, TestServer } from './harness.js';
import { PASSWORD } from './harness.js';

/** Every failure is the status plus `{error: {code, message}}` and nothing else. */
export function expectError(r: Reply, status: number, code: string): void {
  expect({ status: r.status, body: r.body }).toEqual({ status, body: { error: { code, message: expect.any(String) } } });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function login(server: TestServer, loginName: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return server.request<any>('POST', '/api/v1/auth/login', { login: loginName, password }, headers);
}

/** The TOTP code for a base32 secret at a time (now by default; +30 s is the next step). */
export function totpCode(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
}

/** Sets up TOTP for the holder of `token` and returns the secret and recovery codes. */
export async function enrolTotp(server: TestServer, token: string): Promise<{ secret: string; recoveryCodes: string[]; confirmedAt: number }> {
  const begin = await server.request<any>('POST', '/api/v1/2fa/totp', undefined, bearer(token));
  expect(begin.status).toBe(200);
  const confirmedAt = Date.now();
  const confirm = await server.request<any>('POST', '/api/v1/2fa/totp/confirm', { code: totpCode(begin.body.secret, confirmedAt) }, bearer(token));
  expect(confirm.status).toBe(200);
  return { secret: begin.body.secret, recoveryCodes: confirm.body.recoveryCodes, confirmedAt };
}
