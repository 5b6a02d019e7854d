// Link previews: the fetcher's refusals (loopback, private and metadata addresses by literal,
// by DNS answer, after redirects and under DNS rebinding; slow servers; huge bodies), and
// previews end to end: fetched after posting, delivered with message.updated, removed by the
// author, turned off by an admin. Every page is served by a server this test starts on
// 127.0.0.1; nothing else is ever contacted (refusals happen before any connection).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { extractLinks } from '../src/previews/links.js';
import { fetchPreview, PreviewRefused, type FetchOptions, type Resolver } from '../src/previews/fetch.js';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { uniq } from './expect.js';

// ---- the pages

interface Seen { path: string; headers: http.IncomingHttpHeaders }

class Pages {
  server!: http.Server;
  port = 0;
  seen: Seen[] = [];
  /** Bytes written and whether the client hung up, per path, for the size tests. */
  sent = new Map<string, { bytes: number; closedEarly: boolean }>();
  /** The page's og:image, a real PNG. */
  cover = Buffer.alloc(0);

  async start(): Promise<void> {
    this.cover = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#336699' } }).png().toBuffer();
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  requests(path: string): Seen[] {
    return this.seen.filter((s) => s.path === path);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const u = new URL(req.url!, 'http://x');
    this.seen.push({ path: u.pathname, headers: req.headers });
    const html = (head: string, body = '') => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head>${head}</head><body>${body}</body></html>`);
    };
    switch (u.pathname) {
      case '/page':
        return html(`<title>Plain title</title>
          <meta property="og:title" content="The &amp; Title <b>bold</b>">
          <meta property="og:description" content="  What the page is about.  ">
          <meta property="og:image" content="/img/cover.png"><meta property="og:site_name" content="Example Site">`);
      case '/second':
        return html('<title>Second page</title><meta name="description" content="From the description tag">');
      case '/nothing':
        return html('', '<p>no title at all</p>');
      case '/latin1':
        res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' });
        return void res.end(Buffer.from('<html><head><title>caf\xe9</title></head></html>', 'latin1'));
      case '/image.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        return void res.end(randomBytes(64));
      case '/img/cover.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        return void res.end(this.cover);
      case '/missing':
        res.writeHead(404, { 'content-type': 'text/html' });
        return void res.end('<title>Not found</title>');
      case '/redirect':
        res.writeHead(302, { location: u.searchParams.get('to')!, 'set-cookie': 'session=secret; Path=/' });
        return void res.end();
      case '/loop':
        res.writeHead(301, { location: '/loop' });
        return void res.end();
      case '/slow':
        // Answers only after the fetcher has given up.
        setTimeout(() => html('<title>Too late</title>'), 10_000).unref();
        return;
      case '/drip':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><head>');
        const timer = setInterval(() => res.write('<!-- . -->'), 50);
        res.on('close', () => clearInterval(timer));
        return;
      case '/huge-head':
      case '/huge-body':
        return this.stream(u.pathname, res);
    }
    res.writeHead(404);
    res.end();
  }

  /** 20 MB: either all of it inside <head> (refused at the cap), or a normal head then a long body. */
  private stream(path: string, res: http.ServerResponse): void {
    const state = { bytes: 0, closedEarly: false };
    this.sent.set(path, state);
    res.writeHead(200, { 'content-type': 'text/html' });
    const first = path === '/huge-head'
      ? '<html><head><title>Huge</title>'
      : '<html><head><meta property="og:title" content="Big page"></head><body>';
    const filler = path === '/huge-head' ? `<meta name="pad" content="${'x'.repeat(16_000)}">` : `<p>${'y'.repeat(16_000)}</p>`;
    const total = 20 * 1024 * 1024;
    res.on('close', () => {
      if (!res.writableFinished) state.closedEarly = true;
    });
    const pump = () => {
      while (state.bytes < total && !res.destroyed) {
        const chunk = state.bytes === 0 ? first : filler;
        state.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  }
}

const pages = new Pages();
const defaults = loadConfig({}).linkPreviews;
const opts = (o: Partial<FetchOptions> = {}): FetchOptions => ({ ...defaults, allowLoopback: true, timeoutMs: 2000, ...o });

/** A resolver with fixed answers, counting its calls; unknown names fail as NXDOMAIN would. */
function resolver(answers: Record<string, string[] | (() => string[])>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const fn = (async (host: string) => {
    calls.push(host);
    const a = answers[host];
    if (!a) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return (typeof a === 'function' ? a() : a).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as Resolver & { calls: string[] };
  fn.calls = calls;
  return fn;
}

async function refusal(url: string, o: FetchOptions): Promise<string> {
  try {
    await fetchPreview(url, o);
  } catch (err) {
    if (err instanceof PreviewRefused) return err.reason;
    throw err;
  }
  throw new Error(`${url} was fetched`);
}

beforeAll(async () => { await pages.start(); });
afterAll(async () => { await new Promise((r) => pages.server.close(r)); });

describe('the fetcher', () => {
  it('reads Open Graph tags, falls back to <title> and description, decodes the charset', async () => {
    expect(await fetchPreview(pages.url('/page'), opts())).toEqual({
      title: 'The & Title <b>bold</b>',
      description: 'What the page is about.',
      imageUrl: pages.url('/img/cover.png'),
      siteName: 'Example Site',
    });
    expect(await fetchPreview(pages.url('/second'), opts())).toEqual({
      title: 'Second page', description: 'From the description tag', imageUrl: null, siteName: '127.0.0.1',
    });
    expect((await fetchPreview(pages.url('/latin1'), opts()))?.title).toBe('café');
    expect(await fetchPreview(pages.url('/nothing'), opts())).toBeNull();
    expect(await fetchPreview(pages.url('/image.png'), opts())).toBeNull();
    expect(await refusal(pages.url('/missing'), opts())).toBe('status 404');
  });

  it('refuses loopback unless the test-only setting allows it, however the address is written', async () => {
    const before = pages.seen.length;
    const strict = opts({ allowLoopback: false });
    for (const host of ['127.0.0.1', '127.1.2.3', '2130706433', '0x7f.1', '[::1]', '[::ffff:127.0.0.1]', 'localhost']) {
      expect(await refusal(pages.url('/page', host), strict)).toMatch(/loopback|private or reserved/);
    }
    // By DNS answer too.
    expect(await refusal(pages.url('/page', 'loop.test'), { ...strict, resolve: resolver({ 'loop.test': ['127.0.0.1'] }) })).toMatch(/loopback/);
    expect(await refusal(pages.url('/page', 'loop6.test'), { ...strict, resolve: resolver({ 'loop6.test': ['::1'] }) })).toMatch(/loopback/);
    expect(pages.seen.length).toBe(before); // nothing reached the server
    expect(loadConfig({ PARLEY_LINK_PREVIEW_ALLOW_LOOPBACK: 'true' } as any).linkPreviews.allowLoopback).toBe(false);
  });

  it('refuses private, link-local, metadata and reserved addresses found by resolution, even with loopback allowed', async () => {
    const bad = ['10.0.0.1', '10.255.255.255', '172.16.5.4', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '192.0.2.1', '198.18.0.1', '224.0.0.1', '255.255.255.255', 'fd00:ec2::254', 'fe80::1', 'fc00::1', '::', 'ff02::1',
      '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', '2001:db8::1'];
    for (const ip of bad) {
      const reason = await refusal('http://inside.test/', opts({ resolve: resolver({ 'inside.test': [ip] }) }));
      expect({ ip, reason }).toEqual({ ip, reason: expect.stringMatching(/private or reserved/) });
      // A literal address in the link is refused the same way.
      const literal = ip.includes(':') ? `[${ip}]` : ip;
      expect(await refusal(`http://${literal}/latest/meta-data/`, opts())).toMatch(/private or reserved/);
    }
    // One bad address among good ones is enough to refuse.
    expect(await refusal(pages.url('/page', 'mixed.test'), opts({ resolve: resolver({ 'mixed.test': ['127.0.0.1', '10.0.0.1'] }) })))
      .toMatch(/10\.0\.0\.1/);
    expect(await refusal('http://nowhere.test/', opts({ resolve: resolver({}) }))).toMatch(/cannot resolve/);
    expect(await refusal('ftp://example.com/', opts())).toMatch(/scheme/);
  });

  it('resolves once and connects to the address it checked (DNS rebinding)', async () => {
    let n = 0;
    const resolve = resolver({ 'rebind.test': () => (n++ === 0 ? ['127.0.0.1'] : ['10.0.0.1']) });
    const og = await fetchPreview(pages.url('/page', 'rebind.test'), opts({ resolve }));
    expect(og?.siteName).toBe('Example Site');
    expect(resolve.calls).toEqual(['rebind.test']);
    // The name is unknown to the system resolver: the connection used the checked address, not a new lookup.
    expect(pages.requests('/page').at(-1)!.headers.host).toBe(`rebind.test:${pages.port}`);
  });

  it('checks every redirect: private targets, loops, and no cookies carried along', async () => {
    const resolve = resolver({ 'public.test': ['127.0.0.1'], 'evil.test': ['169.254.169.254'] });
    const o = opts({ resolve });
    const via = (to: string) => pages.url(`/redirect?to=${encodeURIComponent(to)}`, 'public.test');
    for (const to of ['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[fd00::1]/', 'http://evil.test/',
      'http://192.168.0.1:8080/admin']) {
      expect({ to, reason: await refusal(via(to), o) }).toEqual({ to, reason: expect.stringMatching(/private or reserved/) });
    }
    // Redirect to loopback while loopback is not allowed.
    expect(await refusal(via(pages.url('/page')), opts({ allowLoopback: false, resolve: resolver({ 'public.test': ['127.0.0.1'] }) })))
      .toMatch(/loopback/);
    expect(await refusal(pages.url('/loop'), o)).toMatch(/more than 3 redirects/);
    expect(pages.requests('/loop')).toHaveLength(4);
    expect(await refusal(via('gopher://x/'), o)).toMatch(/scheme/);

    // A redirect that sets a cookie: followed, and the cookie is not sent back.
    expect((await fetchPreview(via(pages.url('/second')), o))?.title).toBe('Second page');
    const last = pages.requests('/second').at(-1)!;
    expect(last.headers.cookie).toBeUndefined();
    expect(last.headers.authorization).toBeUndefined();
  });

  it('gives up on a slow server at the deadline', async () => {
    for (const path of ['/slow', '/drip']) {
      const t0 = Date.now();
      expect(await refusal(pages.url(path), opts({ timeoutMs: 300 }))).toMatch(/no answer within 300 ms/);
      expect(Date.now() - t0).toBeLessThan(2500);
    }
    const t0 = Date.now();
    const never: Resolver = () => new Promise(() => {});
    expect(await refusal('http://stuck.test/', opts({ timeoutMs: 200, resolve: never }))).toMatch(/no answer within/);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('stops reading at the size cap, and at the end of <head> on big pages', async () => {
    const maxBytes = 256 * 1024;
    expect(await refusal(pages.url('/huge-head'), opts({ maxBytes }))).toMatch(/more than 262144 bytes/);
    // Bytes the server managed to write before the fetcher hung up: the cap plus socket buffers, not 20 MB.
    await waitFor(() => pages.sent.get('/huge-head')!.closedEarly);
    expect(pages.sent.get('/huge-head')!.bytes).toBeLessThan(8 * 1024 * 1024);

    expect((await fetchPreview(pages.url('/huge-body'), opts({ maxBytes })))?.title).toBe('Big page');
    await waitFor(() => pages.sent.get('/huge-body')!.closedEarly);
    expect(pages.sent.get('/huge-body')!.bytes).toBeLessThan(8 * 1024 * 1024);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('links in messages', () => {
  it('finds http(s) links as a reader sees them', () => {
    const text = 'see https://a.example/x. and (http://b.example/y) or [doc](https://c.example/wiki/Foo_(bar)), '
      + '<https://d.example/z>, https://a.example/x again, ftp://e.example/ and https://f.example/1 https://g.example/2';
    expect(extractLinks(text, 10).map((l) => l.url)).toEqual([
      'https://a.example/x', 'http://b.example/y', 'https://c.example/wiki/Foo_(bar)', 'https://d.example/z',
      'https://f.example/1', 'https://g.example/2',
    ]);
    expect(extractLinks(text, 3).map((l) => l.position)).toEqual([0, 1, 2]);
  });
});

// ---- end to end

let server: TestServer;
const serverErrors: string[] = [];

function watch(s: TestServer): TestServer {
  const request = s.request.bind(s);
  (s as any).request = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const r = await request(method, path, body, headers);
    if (r.status >= 500) serverErrors.push(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  return s;
}

function expectError(r: Reply, status: number, code: string): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
}

const idle = () => server.deps.previews!.idle();

describe('previews on messages', () => {
  beforeAll(async () => {
    server = watch(await startTestServer({ config: { linkPreviews: { ...defaults, allowLoopback: true, timeoutMs: 2000 } } }));
  });
  afterAll(async () => { await server?.close(); });
  afterEach(() => {
    expect(serverErrors.splice(0)).toEqual([]);
  });

  async function room(): Promise<{ alice: Client; bob: Client; channelId: string }> {
    const alice = await server.user();
    const bob = await server.user();
    const ch = await alice.channel(uniq('links'));
    await bob.post(`/api/v1/channels/${ch.id}/join`);
    return { alice, bob, channelId: ch.id };
  }

  it('arrive after posting with message.updated, and stay on the message', async () => {
    const { alice, bob, channelId } = await room();
    const ws = await bob.connect();
    const link = pages.url('/page');
    const m = await alice.say(channelId, `look at ${link} and ${pages.url('/nothing')}`);
    expect(m.previews).toEqual([]);
    const ev = await ws.event('message.updated', (d) => d.message.id === m.id);
    // The image is Parley's stored copy (previews-image.test.ts), never the site's address.
    const preview = {
      url: link, title: 'The & Title <b>bold</b>', description: 'What the page is about.',
      imageUrl: expect.stringMatching(new RegExp(`^/api/v1/messages/${m.id}/previews/[0-9a-f-]{36}/image$`)),
      imageWidth: 8, imageHeight: 6, siteName: 'Example Site',
    };
    expect(ev.data.message.previews).toEqual([preview]);
    expect((await bob.get(`/api/v1/messages/${m.id}`)).body.previews).toEqual([preview]);
    const history = (await bob.get(`/api/v1/channels/${channelId}/messages`)).body.messages;
    expect(history.find((x: any) => x.id === m.id).previews).toEqual([preview]);
    await ws.close();
  });

  it('are removed by the author (not by others) and do not come back on edit', async () => {
    const { alice, bob, channelId } = await room();
    const [one, two] = [pages.url('/page'), pages.url('/second')];
    const m = await alice.say(channelId, `two links: ${one} ${two}`);
    await idle();
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.previews.map((p: any) => p.url)).toEqual([one, two]);

    expectError(await bob.del(`/api/v1/messages/${m.id}/previews`), 403, 'forbidden');
    expectError(await alice.del(`/api/v1/messages/${m.id}/previews?url=${encodeURIComponent(pages.url('/other'))}`), 404, 'not_found');
    expectError(await alice.del('/api/v1/messages/not-an-id/previews'), 400, 'invalid_request');

    const ws = await bob.connect();
    const r = await alice.del(`/api/v1/messages/${m.id}/previews?url=${encodeURIComponent(two)}`);
    expect(r.status).toBe(200);
    expect(r.body.previews.map((p: any) => p.url)).toEqual([one]);
    expect((await ws.event('message.updated', (d) => d.message.id === m.id)).data.message.previews.map((p: any) => p.url)).toEqual([one]);
    expect((await alice.del(`/api/v1/messages/${m.id}/previews`)).body.previews).toEqual([]);

    expect((await alice.patch(`/api/v1/messages/${m.id}`, { text: `still: ${one} ${two}!` })).status).toBe(200);
    await idle();
    expect((await bob.get(`/api/v1/messages/${m.id}`)).body.previews).toEqual([]);
    await ws.close();
  });

  it('follow edits: a removed link loses its preview at once, a new one gets fetched', async () => {
    const { alice, channelId } = await room();
    const m = await alice.say(channelId, `first ${pages.url('/page')}`);
    await idle();
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.previews).toHaveLength(1);
    const edited = await alice.patch(`/api/v1/messages/${m.id}`, { text: `now ${pages.url('/second')}` });
    expect(edited.body.previews).toEqual([]);
    await idle();
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.previews.map((p: any) => p.title)).toEqual(['Second page']);
  });

  it('are not fetched when an admin turns them off, nor for a message deleted meanwhile', async () => {
    const { alice, bob, channelId } = await room();
    expectError(await bob.patch('/api/v1/workspace', { linkPreviews: false }), 403, 'forbidden');
    const off = await server.admin.patch('/api/v1/workspace', { linkPreviews: false });
    expect(off.body.linkPreviews).toBe(false);
    expect((await bob.get('/api/v1/workspace')).body.linkPreviews).toBe(false);
    const before = pages.requests('/page').length;
    const m = await alice.say(channelId, `off ${pages.url('/page')}`);
    await idle();
    expect(pages.requests('/page')).toHaveLength(before);
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.previews).toEqual([]);
    expect((await server.admin.patch('/api/v1/workspace', { linkPreviews: true })).body.linkPreviews).toBe(true);

    const ws = await bob.connect();
    const gone = await alice.say(channelId, `slow ${pages.url('/slow')} and ${pages.url('/page')}`);
    expect((await alice.del(`/api/v1/messages/${gone.id}`)).status).toBe(204);
    await idle();
    expect(ws.events('message.updated').filter((f: any) => f.data.message.id === gone.id)).toEqual([]);
    expect((await alice.get(`/api/v1/messages/${gone.id}`)).body).toMatchObject({ deleted: true, previews: [] });
    await ws.close();
  });
});

describe('previews without the test setting', () => {
  it('a link to this machine gets no preview and no request', async () => {
    const strict = watch(await startTestServer());
    try {
      const alice = await strict.user();
      const ch = await alice.channel(uniq('strict'));
      const before = pages.seen.length;
      const m = await alice.say(ch.id, `internal ${pages.url('/page')} http://169.254.169.254/latest/meta-data/`);
      await strict.deps.previews!.idle();
      expect(pages.seen.length).toBe(before);
      expect((await alice.get(`/api/v1/messages/${m.id}`)).body.previews).toEqual([]);
    } finally {
      await strict.close();
    }
    expect(serverErrors.splice(0)).toEqual([]);
  });
});
