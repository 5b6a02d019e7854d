// Every answer carries the security headers: API data, the web client, file downloads,
// errors of every kind (400, 401, 404, 429) and the router's own refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { upload } from './files-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { rateLimit: { enabled: true, perMinute: 10_000, authPerMinute: 2 } } });
});
afterAll(async () => { await server?.close(); });

describe('security headers', () => {
  it('are on every kind of answer', async () => {
    const file = (await upload(server, server.admin, { name: 'notes.html', data: '<script>alert(1)</script>' })).body.files[0];
    const auth = { authorization: `Bearer ${server.admin.token}` };
    const probes: Array<{ what: string; method?: string; path: string; status: number; body?: unknown; headers?: Record<string, string>; csp: RegExp }> = [
      { what: 'web client', path: '/', status: 200, csp: /script-src 'self'.*frame-ancestors 'none'/ },
      { what: 'client-side route', path: '/c/some-channel', status: 200, csp: /script-src 'self'.*frame-ancestors 'none'/ },
      { what: 'health check', path: '/healthz', status: 200, csp: /frame-ancestors 'none'/ },
      { what: 'OpenAPI document', path: '/api/v1/openapi.json', status: 200, csp: /^default-src 'none'; frame-ancestors 'none'$/ },
      { what: 'API data', path: '/api/v1/users/me', headers: auth, status: 200, csp: /^default-src 'none'; frame-ancestors 'none'$/ },
      { what: 'file download', path: `/api/v1/files/${file.id}/content`, headers: auth, status: 200, csp: /^default-src 'none'; sandbox/ },
      { what: '401', path: '/api/v1/users/me', status: 401, csp: /frame-ancestors 'none'/ },
      { what: '404', path: '/api/v1/no-such-thing', headers: auth, status: 404, csp: /frame-ancestors 'none'/ },
      { what: '400', method: 'POST', path: '/api/v1/channels', body: { name: 5 }, headers: auth, status: 400, csp: /frame-ancestors 'none'/ },
      { what: 'malformed URL', path: '/api/v1/channels/%E0%A4%A/messages', headers: auth, status: 400, csp: /frame-ancestors 'none'/ },
    ];
    for (const p of probes) {
      const r = await server.request(p.method ?? 'GET', p.path, p.body, p.headers);
      expect(`${p.what}: ${r.status}`).toBe(`${p.what}: ${p.status}`);
      expectHeaders(p.what, r.headers, p.csp);
    }

    // A 429 from the rate limiter, on the third invite check in a minute.
    const statuses: number[] = [];
    let last: Headers | null = null;
    for (let i = 0; i < 3; i++) {
      const r = await server.request('GET', `/api/v1/invites/inv_probe${i}`);
      statuses.push(r.status);
      last = r.headers;
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.get('retry-after'))).toBeGreaterThan(0);
    expectHeaders('429', last!, /frame-ancestors 'none'/);
  });
});

function expectHeaders(what: string, h: Headers, csp: RegExp): void {
  const seen = {
    what,
    nosniff: h.get('x-content-type-options'),
    frame: h.get('x-frame-options'),
    referrer: h.get('referrer-policy'),
    opener: h.get('cross-origin-opener-policy'),
    csp: csp.test(h.get('content-security-policy') ?? ''),
  };
  expect(seen).toEqual({ what, nosniff: 'nosniff', frame: 'DENY', referrer: 'no-referrer', opener: 'same-origin', csp: true });
}
