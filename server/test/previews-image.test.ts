// Link preview images are Parley's own copy: fetched once by the server through the preview
// fetcher's checks, sniffed, re-encoded to a bounded webp without metadata, stored (encrypted
// at rest here) and served only to those who can read the message. Readers' browsers never
// contact the linked site, and the web client's CSP no longer lets them. Every page and image
// is served by a server this test starts on 127.0.0.1 (allowed by the test-only setting).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { PreviewRefused, type Resolver } from '../src/previews/fetch.js';
import { previewImage } from '../src/previews/image.js';
import { startTestServer, testConfig, type Client, type TestServer } from './harness.js';
import { download, expectError, expectNoMetadata, GPS, jpegWithGps, png, watch } from './files-helpers.js';
import { uniq } from './expect.js';

const MAX_IMAGE_BYTES = 512 * 1024;

/** The linked site: one page per og:image under test, and the images themselves. */
class Site {
  server!: http.Server;
  port = 0;
  hits = new Map<string, number>();
  images = new Map<string, { type: string; body: Buffer }>();

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      this.hits.set(u.pathname, (this.hits.get(u.pathname) ?? 0) + 1);
      if (u.pathname === '/page') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end(`<html><head><meta property="og:title" content="${u.searchParams.get('title')}">
          <meta property="og:image" content="${u.searchParams.get('image')}"></head><body></body></html>`);
      }
      if (u.pathname === '/redirect') {
        res.writeHead(302, { location: u.searchParams.get('to')! });
        return void res.end();
      }
      const img = this.images.get(u.pathname);
      if (!img) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': img.type });
      res.end(img.body);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** A page titled `title` whose og:image is `image`. */
  page(title: string, image: string): string {
    return this.url(`/page?title=${encodeURIComponent(title)}&image=${encodeURIComponent(image)}`);
  }
}

const site = new Site();
let server: TestServer;
const errors: string[] = [];
const defaults = loadConfig({}).linkPreviews;

beforeAll(async () => {
  await site.start();
  site.images.set('/photo.jpg', { type: 'image/jpeg', body: await jpegWithGps(1800, 1200) });
  site.images.set('/tall.png', { type: 'image/png', body: await png(300, 2000) });
  site.images.set('/small.png', { type: 'image/png', body: await png(40, 30) });
  // A page pretending to be an image, an SVG (not shown: text that can carry scripts and links), a huge one.
  site.images.set('/fake.png', { type: 'image/png', body: Buffer.from('<html><body>not an image</body></html>') });
  site.images.set('/logo.svg', { type: 'image/svg+xml', body: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>') });
  // A valid PNG of noise (incompressible), so only its size keeps it out.
  const noise = await sharp(randomBytes(500 * 500 * 3), { raw: { width: 500, height: 500, channels: 3 } }).png().toBuffer();
  expect(noise.length).toBeGreaterThan(MAX_IMAGE_BYTES);
  site.images.set('/huge.png', { type: 'image/png', body: noise });
  server = watch(await startTestServer({
    config: {
      linkPreviews: { ...defaults, allowLoopback: true, timeoutMs: 3000, maxImageBytes: MAX_IMAGE_BYTES },
      files: { ...testConfig().files, encryptionKey: randomBytes(32) },
    },
  }), errors);
});
afterAll(async () => {
  await server?.close();
  await new Promise((r) => site.server.close(r));
});
afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

async function privateRoom(): Promise<{ alice: Client; bob: Client; outsider: Client; channelId: string }> {
  const [alice, bob, outsider] = [await server.user(), await server.user(), await server.user()];
  const ch = await alice.channel(uniq('pics'), 'private');
  expect((await alice.post(`/api/v1/channels/${ch.id}/members`, { userIds: [bob.id] })).status).toBe(200);
  return { alice, bob, outsider, channelId: ch.id };
}

/** Posts the link and returns the message once its preview is stored. */
async function previewed(alice: Client, channelId: string, link: string): Promise<any> {
  const m = await alice.say(channelId, `look ${link}`);
  await server.deps.previews!.idle();
  const got = (await alice.get(`/api/v1/messages/${m.id}`)).body;
  expect(got.previews, 'the page itself is previewed').toHaveLength(1);
  return got;
}

describe('link preview images', () => {
  it('are re-encoded, bounded, stripped, stored encrypted and served by Parley to readers only', async () => {
    const { alice, bob, outsider, channelId } = await privateRoom();
    const remote = site.url('/photo.jpg');
    const m = await previewed(alice, channelId, site.page('Photo', remote));
    const [p] = m.previews;
    expect(p.imageUrl).toMatch(new RegExp(`^/api/v1/messages/${m.id}/previews/[0-9a-f-]{36}/image$`));
    expect({ w: p.imageWidth, h: p.imageHeight }).toEqual({ w: 600, h: 400 });
    // The site's own address of the image is nowhere in what clients get (the link itself names it here).
    expect(JSON.stringify({ ...p, url: undefined })).not.toContain('photo.jpg');
    expect(site.hits.get('/photo.jpg')).toBe(1);

    const img = await download(server, bob, p.imageUrl);
    expect(img.status).toBe(200);
    expect({
      type: img.headers.get('content-type'), nosniff: img.headers.get('x-content-type-options'),
      csp: img.headers.get('content-security-policy'), cache: img.headers.get('cache-control'),
      corp: img.headers.get('cross-origin-resource-policy'),
    }).toEqual({ type: 'image/webp', nosniff: 'nosniff', csp: "default-src 'none'; sandbox", cache: 'private, max-age=3600', corp: 'same-origin' });
    const meta = await sharp(img.bytes).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'webp', width: 600, height: 400 });
    await expectNoMetadata(img.bytes);
    expect(img.bytes.includes(Buffer.from(GPS.marker))).toBe(false);
    // Reading it again costs the linked site nothing: it never hears of the reader.
    expect((await download(server, alice, p.imageUrl)).status).toBe(200);
    expect(site.hits.get('/photo.jpg')).toBe(1);

    // Encrypted at rest: the stored object is not the webp that is served.
    const imageId = p.imageUrl.split('/')[6];
    const object = await server.deps.files.raw.get(`previews/${imageId.slice(-2)}/${imageId}`);
    const raw = Buffer.concat(await object.toArray());
    expect(raw.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    expect(raw.includes(img.bytes.subarray(0, 64))).toBe(false);

    // Not a member of the private channel, not signed in, not this message's image.
    expectError(await download(server, outsider, p.imageUrl), 404, 'not_found');
    expectError(await download(server, null, p.imageUrl), 401, 'unauthorized');
    const other = await previewed(alice, channelId, site.page('Other', site.url('/small.png')));
    expectError(await download(server, bob, p.imageUrl.replace(m.id, other.id)), 404, 'not_found');
    expectError(await download(server, bob, `/api/v1/messages/${m.id}/previews/not-an-id/image`), 400, 'invalid_request');
  });

  it('keep small images small and fit tall ones in 600 px', async () => {
    const { alice, channelId } = await privateRoom();
    const small = (await previewed(alice, channelId, site.page('Small', site.url('/small.png')))).previews[0];
    expect({ w: small.imageWidth, h: small.imageHeight }).toEqual({ w: 40, h: 30 });
    const tall = (await previewed(alice, channelId, site.page('Tall', site.url('/tall.png')))).previews[0];
    expect({ w: tall.imageWidth, h: tall.imageHeight }).toEqual({ w: 90, h: 600 });
    const meta = await sharp((await download(server, alice, tall.imageUrl)).bytes).metadata();
    expect({ w: meta.width, h: meta.height }).toEqual({ w: 90, h: 600 });
  });

  it('are left out, and the preview kept, when the image is not an image, too big, or at a refused address', async () => {
    const { alice, channelId } = await privateRoom();
    const cases = {
      html: site.url('/fake.png'),
      svg: site.url('/logo.svg'),
      tooBig: site.url('/huge.png'),
      missing: site.url('/gone.png'),
      metadata: 'http://169.254.169.254/latest/meta-data/image.png',
      private: 'http://10.0.0.1/image.png',
      redirectToPrivate: site.url(`/redirect?to=${encodeURIComponent('http://192.168.1.1/cam.jpg')}`),
    };
    for (const [what, image] of Object.entries(cases)) {
      const m = await previewed(alice, channelId, site.page(what, image));
      expect({ what, preview: m.previews[0] }).toEqual({
        what, preview: expect.objectContaining({ title: what, imageUrl: null, imageWidth: null, imageHeight: null }),
      });
    }
    expect(site.hits.get('/fake.png')).toBe(1);
  });

  it('go away when the author removes the preview', async () => {
    const { alice, bob, channelId } = await privateRoom();
    const m = await previewed(alice, channelId, site.page('Gone soon', site.url('/small.png')));
    const url = m.previews[0].imageUrl;
    expect((await download(server, bob, url)).status).toBe(200);
    expect((await alice.del(`/api/v1/messages/${m.id}/previews`)).status).toBe(200);
    expectError(await download(server, bob, url), 404, 'not_found');
    expect(await stored(url)).toBeNull();
  });

  it('go away when the link is edited out or the message is deleted', async () => {
    const { alice, bob, channelId } = await privateRoom();
    const edited = await previewed(alice, channelId, site.page('Edited', site.url('/small.png')));
    const deleted = await previewed(alice, channelId, site.page('Deleted', site.url('/small.png')));
    const [a, b] = [edited.previews[0].imageUrl, deleted.previews[0].imageUrl];
    expect(await stored(a)).toBeGreaterThan(0);
    expect((await alice.patch(`/api/v1/messages/${edited.id}`, { text: 'no link any more' })).status).toBe(200);
    expect((await alice.del(`/api/v1/messages/${deleted.id}`)).status).toBe(204);
    expectError(await download(server, bob, a), 404, 'not_found');
    expectError(await download(server, bob, b), 404, 'not_found');
    // The stored copies are removed right after the commit.
    await until(async () => (await stored(a)) === null && (await stored(b)) === null);
  });
});

/** The size of a preview image's stored object, null once it is gone. */
function stored(imageUrl: string): Promise<number | null> {
  const imageId = imageUrl.split('/')[6]!;
  return server.deps.files.raw.size(`previews/${imageId.slice(-2)}/${imageId}`);
}

async function until(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the image fetch', () => {
  const opts = { ...defaults, allowLoopback: true, timeoutMs: 3000, maxImageBytes: MAX_IMAGE_BYTES };
  const named = (answers: () => string[]) => {
    const calls: string[] = [];
    const resolve: Resolver = async (host) => {
      calls.push(host);
      return answers().map((address) => ({ address, family: 4 }));
    };
    return { calls, resolve };
  };
  const refusal = (url: string, o = {}) => previewImage(url, { ...opts, ...o }).then(() => 'fetched', (err) => {
    if (err instanceof PreviewRefused) return err.reason;
    throw err;
  });

  it('uses the checked address only (DNS rebinding) and refuses names that resolve inside', async () => {
    let n = 0;
    const rebind = named(() => (n++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']));
    const img = await previewImage(`http://rebind.test:${site.port}/small.png`, { ...opts, resolve: rebind.resolve });
    expect({ w: img.width, h: img.height, calls: rebind.calls }).toEqual({ w: 40, h: 30, calls: ['rebind.test'] });
    const inside = named(() => ['10.1.2.3']);
    expect(await refusal(`http://inside.test:${site.port}/small.png`, { resolve: inside.resolve })).toMatch(/private or reserved/);
    // Loopback stays refused without the test-only setting.
    expect(await refusal(site.url('/small.png'), { allowLoopback: false })).toMatch(/loopback/);
  });
});

describe('the web client', () => {
  it('loads images only from its own origin (no https: in img-src)', async () => {
    const r = await server.request('GET', '/');
    const csp = r.headers.get('content-security-policy') ?? '';
    const imgSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('img-src'));
    expect(imgSrc).toBe("img-src 'self' data: blob:");
    expect(csp).not.toMatch(/https:/);
  });
});
