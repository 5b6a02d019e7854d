// The authorization matrix: every route of the API, tried as an admin, a member, a guest, an
// outsider, a read-only token and nobody, each answer checked against the policy table
// (authz-rules.ts computes the expected verdict from policies/*.ts). Channel routes run on a
// private and on a public channel. A route missing from authz-routes.ts fails the test.
import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testConfig, type Client, type Reply, type TestServer } from './harness.js';
import { expected, type Outcome } from './authz-rules.js';
import { postForm } from './files-helpers.js';
import { routeTable, type RouteSpec } from './authz-routes.js';
import { PRINCIPALS, Scene, World, previewSite, type ChannelKind, type Principal } from './authz-world.js';

/** Routes that are not part of the REST API's authorization surface, with the reason. */
const NOT_IN_MATRIX: Record<string, string> = {
  'GET /api/v1/ws': 'the WebSocket authenticates in its first frame (realtime.test.ts)',
  'GET /api/v1/openapi.json': 'the public API description',
  'GET /healthz': 'the public liveness probe',
};

let server: TestServer;
let world: World;
let table: RouteSpec[];

let smtp: SMTPServer;
let site: Awaited<ReturnType<typeof previewSite>>;

beforeAll(async () => {
  // A real mail server, so that the e-mailed reset link is switched on like in production.
  smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, done) { stream.resume(); stream.on('end', () => done()); } });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
  site = await previewSite();
  // Test-only: previews may reach the loopback site, so a message can carry a stored preview image.
  server = await startTestServer({ config: { smtpUrl, linkPreviews: { ...testConfig().linkPreviews, allowLoopback: true } } });
  world = await World.create(server);
  world.previewPage = site.page;
  const ws = await server.admin.get('/api/v1/workspace');
  table = routeTable(ws.body.membersCanAddEmoji === true);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
  await site?.close();
});

async function send(me: Client, method: string, call: { path: string; body?: unknown; form?: FormData }): Promise<Reply> {
  const auth: Record<string, string> = me.token ? { authorization: `Bearer ${me.token}` } : {};
  if (call.form) return postForm(server, me, call.path, call.form);
  return server.request(method, call.path, call.body, auth);
}

function describeOutcome(o: Outcome): string {
  return o.ok ? 'allowed' : `${o.status} ${o.code}`;
}

/** What the server's answer means, in the same words as the expectation. */
function observed(r: Reply, want: Outcome, pastAuthOnly: boolean): string {
  if (r.status >= 500) return `${r.status} (server error)`;
  if (r.status >= 200 && r.status < 300) return 'allowed';
  const code = r.body?.error?.code ?? '?';
  // A route whose protocol the matrix cannot finish still proves the principal got past authorization.
  if (pastAuthOnly && want.ok && r.status !== 401 && r.status !== 403) return 'allowed';
  return `${r.status} ${code}`;
}

async function cell(spec: RouteSpec, p: Principal, kind: ChannelKind): Promise<string | null> {
  const [method] = spec.route.split(' ') as [string];
  const scene = new Scene(world, kind);
  const me = await world.as(p);
  const want = p === 'anon' ? expected({ method, ...spec }, { p }) : expected({ method, ...spec }, { w: world, scene, p });
  const r = await send(me, method, await spec.call(scene, me));
  const got = observed(r, want, spec.pastAuthOnly === true);
  return got === describeOutcome(want) ? null : `${spec.route}${spec.perChannel ? ` [${kind}]` : ''} as ${p}: expected ${describeOutcome(want)}, got ${got} ${JSON.stringify(r.body)?.slice(0, 160)}`;
}

describe('authorization matrix', () => {
  it('covers every route of the API', async () => {
    const spec: any = (server.running.app as any).swagger();
    const served = Object.entries<any>(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const listed = new Set(table.map((r) => r.route));
    expect(served.filter((r) => !listed.has(r) && !NOT_IN_MATRIX[r]), 'routes without a matrix entry').toEqual([]);
    expect([...listed].filter((r) => !served.includes(r)), 'matrix entries for routes that do not exist').toEqual([]);
    expect(listed.size).toBe(table.length);
  });

  // One test per group keeps the output readable while every cell runs.
  const groups = ['admin', 'member', 'guest', 'outsider', 'readToken', 'anon'] as const satisfies readonly Principal[];
  for (const p of groups) {
    it(`answers every route as ${p} the way the policy table says`, async () => {
      const cells = table.flatMap((spec) => (spec.perChannel ? (['private', 'public'] as const) : (['private'] as const)).map((kind) => ({ spec, kind })));
      // Cells are independent (fresh session, fresh resources), so a few run at once.
      const mismatches: string[] = [];
      const queue = [...cells];
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const m = await cell(c.spec, p, c.kind);
          if (m) mismatches.push(m);
        }
      }));
      expect(mismatches.sort()).toEqual([]);
      expect(cells.length).toBeGreaterThan(130);
    }, 240_000);
  }
  it('tries every principal', () => expect(PRINCIPALS.length).toBe(6));
});
