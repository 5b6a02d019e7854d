// Assertions and helpers every endpoint test uses.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestServer } from './harness.js';

/** An id no row will ever have. */
export const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

/** A name no other test will pick: `prefix-1a2b3c4d`. */
export const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Every failure is its status plus `{error: {code, message}}` with a non-empty message. */
export function expectError(r: { status: number; body?: any; json?: any }, status: number, code: string): void {
  const body = r.body ?? r.json;
  expect({ status: r.status, code: body?.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
}

/** Records every 5xx answer into `errors`, so each test also proves the server never failed. */
export function watch(s: TestServer, errors: string[]): TestServer {
  const request = s.request.bind(s);
  (s as any).request = async (method: string, p: string, body?: unknown, headers?: Record<string, string>) => {
    const r = await request(method, p, body, headers);
    if (r.status >= 500) errors.push(`${method} ${p} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  return s;
}
