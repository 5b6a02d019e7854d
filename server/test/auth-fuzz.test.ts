// Property-based fuzz of every authentication and account-security route: malformed bodies,
// right keys with wrong types, odd path parameters and content types, as nobody and as a
// signed-in person. The property: never a 5xx, every refusal is `{error: {code, message}}`,
// and the server still answers afterwards. The route list comes from the OpenAPI document,
// so a new auth route is fuzzed without anyone remembering to add it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

const AUTH_PATHS = /^\/api\/v1\/(auth|2fa|passkeys|sessions|tokens|invites)(\/|$)|^\/api\/v1\/users\/(me|\{id\}\/(password-reset|sessions\/revoke))$/;
const RUNS = 30;

interface Target {
  method: string;
  path: string;
  /** The body's property names from the schema, to build "almost right" bodies. */
  keys: string[];
}

let server: TestServer;
let targets: Target[];

beforeAll(async () => {
  server = await startTestServer();
  const spec: any = (server.running.app as any).swagger();
  targets = Object.entries<any>(spec.paths)
    .filter(([path]) => AUTH_PATHS.test(path))
    .flatMap(([path, ops]) => Object.entries<any>(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      keys: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
    })));
}, 60_000);
afterAll(() => server?.close());

const awkwardString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%00', '${jndi:x}', "' OR 1=1 --", '<script>', 'a'.repeat(5000), '🙂'.repeat(300)),
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), awkwardString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** A body: random JSON, an object with the schema's keys holding wrong things, or raw text. */
function bodies(keys: string[]) {
  const almostRight = keys.length
    ? fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), anyJson, { maxKeys: keys.length + 2 })
    : fc.dictionary(awkwardString, anyJson, { maxKeys: 3 });
  return fc.oneof(
    almostRight.map((o) => ({ text: JSON.stringify(o), type: 'application/json' })),
    anyJson.map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })),
    awkwardString.map((t) => ({ text: t, type: 'application/json' })),
    awkwardString.map((t) => ({ text: t, type: fc.sample(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml'), 1)[0]! })),
  );
}

const pathParam = fc.oneof(fc.uuid(), awkwardString.filter((s) => s.length > 0), fc.constant('01890a5d-ac96-774b-bcce-b302099a8057'));

async function send(t: Target, param: string, body: { text: string; type: string }, token: string | null) {
  const path = t.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(param));
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const init: RequestInit = { method: t.method, headers };
  if (t.method !== 'GET' && t.method !== 'DELETE') {
    init.body = body.text;
    headers['content-type'] = body.type;
  }
  const res = await fetch(server.url + path, init);
  const text = await res.text();
  return { status: res.status, text };
}

function assertWellFormed(r: { status: number; text: string }, what: string): void {
  expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 200)}`).toBeLessThan(500);
  if (r.status >= 400) {
    const body = JSON.parse(r.text);
    expect(typeof body.error?.code, what).toBe('string');
    expect(typeof body.error?.message, what).toBe('string');
  }
}

describe('auth routes under fuzzing', () => {
  it('finds the auth routes to fuzz', () => {
    const names = targets.map((t) => `${t.method} ${t.path}`);
    for (const r of ['POST /api/v1/auth/login', 'POST /api/v1/auth/signup', 'POST /api/v1/auth/2fa', 'POST /api/v1/2fa/totp/confirm',
      'POST /api/v1/auth/password-reset', 'POST /api/v1/tokens', 'PATCH /api/v1/users/me', 'POST /api/v1/auth/passkey']) {
      expect(names).toContain(r);
    }
  });

  for (const who of ['nobody', 'a signed-in member'] as const) {
    it(`never answers ${who} with a 5xx or a malformed error`, async () => {
      for (const t of targets) {
        // A fresh session per route: a fuzzed sign-out must not blunt the routes after it.
        const token = who === 'nobody' ? null : (await server.user()).token;
        await fc.assert(fc.asyncProperty(pathParam, bodies(t.keys), async (param, body) => {
          assertWellFormed(await send(t, param, body, token), `${t.method} ${t.path} ${body.type} ${body.text.slice(0, 80)}`);
        }), { numRuns: RUNS });
      }
      // Still up and still correct for a person signed in before the storm.
      const me = await server.admin.get('/api/v1/users/me');
      expect(me.status).toBe(200);
      expect(me.body.username).toBe('admin');
    }, 300_000);
  }
});
