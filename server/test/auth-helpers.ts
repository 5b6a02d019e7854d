// Helpers shared by the auth tests (auth.test.ts, auth-web.test.ts).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { PASSWORD, type Reply, type TestServer } from './harness.js';

/** Every failure is the status plus `{error: {code, message}}` and nothing else. */
export function expectError(r: Reply, status: number, code: string): void {
  expect({ status: r.status, body: r.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(r.body.error.message.length).toBeGreaterThan(0);
}

export const tag = () => randomBytes(4).toString('hex');
export const fresh = (prefix = 'u') => `${prefix}${tag()}`;

export function signup(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return server.request<any>('POST', '/api/v1/auth/signup', body, headers);
}

export function login(server: TestServer, loginName: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return server.request<any>('POST', '/api/v1/auth/login', { login: loginName, password }, headers);
}

export function withToken(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function channelsOf(server: TestServer, token: string): Promise<any[]> {
  const r = await server.request<any>('GET', '/api/v1/channels', undefined, withToken(token));
  expect(r.status).toBe(200);
  return r.body.channels;
}

/** Set-Cookie lines by cookie name. */
export function cookies(r: Reply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of r.headers.getSetCookie()) out[line.split('=')[0]!] = line;
  return out;
}

export function cookieValue(line: string): string {
  return decodeURIComponent(line.split(';')[0]!.split('=').slice(1).join('='));
}
