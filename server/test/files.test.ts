// Files on local disk, through HTTP: upload, sharing with a message, who may read, download
// headers that keep uploaded pages inert, ranges, images without their EXIF/GPS, listing,
// search, storage use, size limits, and at-rest encryption checked on the raw bytes.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiskStorage } from '../src/files/disk.js';
import { FileStore } from '../src/files/open.js';
import { startTestServer, testConfig, type Client, type TestServer } from './harness.js';
import { UNKNOWN_ID, uniq } from './expect.js';
import {
  download, expectError, expectNoMetadata, form, GPS, jpegWithGps, png, postForm, upload, uploaded, walk, watch,
} from './files-helpers.js';

const MAX = 2 * 1024 * 1024;
let server: TestServer;
const serverErrors: string[] = [];
const root = (s: TestServer) => (s.deps.files.raw as DiskStorage).root;

beforeAll(async () => {
  server = watch(await startTestServer({ config: { files: { ...testConfig().files, maxFileSize: MAX } } }), serverErrors);
});
afterAll(async () => { await server?.close(); });
afterEach(() => { expect(serverErrors.splice(0)).toEqual([]); });

/** alice and bob in a private channel; eve outside it. */
async function privateRoom(): Promise<{ alice: Client; bob: Client; eve: Client; channelId: string }> {
  const [alice, bob, eve] = [await server.user(), await server.user(), await server.user()];
  const channelId = (await alice.channel(uniq('room'), 'private')).id;
  expect((await alice.post(`/api/v1/channels/${channelId}/members`, { userIds: [bob.id] })).status).toBe(200);
  return { alice, bob, eve, channelId };
}

/** Uploads and posts in one go; returns the message and its files. */
async function share(c: Client, channelId: string, text: string, ...files: Parameters<typeof uploaded>[2][]) {
  const infos = await uploaded(server, c, ...files);
  const message = await c.say(channelId, text, { fileIds: infos.map((f) => f.id) });
  return { message, files: message.files as any[] };
}

describe('upload', () => {
  it('stores a file privately to its uploader until it is posted', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const [f] = await uploaded(server, alice, { name: 'notes.txt', data: 'hello, files', type: 'text/plain' });
    expect(f).toMatchObject({
      name: 'notes.txt', size: 12, userId: alice.id, messageId: null, channelId: null,
      width: null, height: null, placeholder: null, thumbnailUrl: null, previewUrl: null,
      url: `/api/v1/files/${f.id}/content`,
    });
    expect(f.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await alice.get(`/api/v1/files/${f.id}`)).body).toEqual(f);
    expect((await download(server, alice, f.url)).bytes.toString()).toBe('hello, files');
    // Nobody else can see an unattached upload, nor anyone logged out.
    expectError(await bob.get(`/api/v1/files/${f.id}`), 404, 'not_found');
    expectError(await download(server, bob, f.url), 404, 'not_found');
    expectError(await download(server, null, f.url), 401, 'unauthorized');
    expectError(await postForm(server, null, '/api/v1/files', form([{ name: 'x', data: 'x' }])), 401, 'unauthorized');
  });

  it('takes several files at once and sniffs each type from its bytes, not from the client', async () => {
    const alice = await server.user();
    const files = await uploaded(server, alice,
      { name: 'picture.txt', data: await png(40, 30), type: 'text/plain' },
      { name: 'page.png', data: '<!doctype html><script>alert(document.cookie)</script>', type: 'image/png' },
      { name: 'doc.pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(100)]), type: 'text/html' },
      { name: '../../etc/passwd', data: 'root:x:0:0' },
    );
    expect(files.map((f) => f.mimeType)).toEqual(['image/png', 'application/octet-stream', 'application/pdf', 'application/octet-stream']);
    expect(files[0]).toMatchObject({ width: 40, height: 30 });
    expect(files[3].name).toBe('passwd');
    expect(new Set(files.map((f) => f.id)).size).toBe(4);
  });

  it('refuses a file over the size limit with 413 and keeps nothing of the request', async () => {
    const alice = await server.user();
    const before = walk(root(server)).length;
    const r = await upload(server, alice, { name: 'small.txt', data: 'fine' }, { name: 'big.bin', data: randomBytes(MAX + 1) });
    expectError(r, 413, 'file_too_large');
    expect(walk(root(server)).length).toBe(before);
    const search = await alice.get('/api/v1/files?query=small');
    expect(search.body.files).toEqual([]);
    // Exactly at the limit is fine.
    const [ok] = await uploaded(server, alice, { name: 'edge.bin', data: randomBytes(MAX) });
    expect(ok.size).toBe(MAX);
  });

  it('is described in the OpenAPI document', async () => {
    const r = await server.request<any>('GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    for (const p of ['/api/v1/files', '/api/v1/files/{id}', '/api/v1/files/{id}/content', '/api/v1/files/{id}/thumbnail',
      '/api/v1/channels/{id}/files', '/api/v1/admin/storage', '/api/v1/emoji', '/api/v1/emoji/{name}']) {
      expect(r.body.paths[p], p).toBeDefined();
    }
    expect(r.body.paths['/api/v1/files'].post.requestBody.content).toHaveProperty('multipart/form-data');
  });

  it('answers bad requests with 4xx codes', async () => {
    const alice = await server.user();
    expectError(await alice.post('/api/v1/files', { name: 'x' }), 415, 'unsupported_media_type');
    expectError(await postForm(server, alice, '/api/v1/files', form([], { note: 'no files' })), 400, 'invalid_request');
    const cut = '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhalf a fi';
    expectError(await postForm(server, alice, '/api/v1/files', cut, { 'content-type': 'multipart/form-data; boundary=XYZ' }), 400, 'invalid_request');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` }));
    expectError(await upload(server, alice, ...eleven), 413, 'payload_too_large');
    expectError(await upload(server, alice, { name: 'broken.jpg', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]) }), 400, 'invalid_image');
    expectError(await alice.get('/api/v1/files/not-a-uuid'), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/files/${UNKNOWN_ID}`), 404, 'not_found');
  });

  it('lets the uploader delete an unsent upload, not a shared one', async () => {
    const { alice, channelId } = await privateRoom();
    const [f] = await uploaded(server, alice, { name: 'draft.txt', data: 'draft' });
    expect((await alice.del(`/api/v1/files/${f.id}`)).status).toBe(204);
    expectError(await alice.get(`/api/v1/files/${f.id}`), 404, 'not_found');
    const { files } = await share(alice, channelId, 'shared', { name: 'kept.txt', data: 'kept' });
    expectError(await alice.del(`/api/v1/files/${files[0].id}`), 403, 'forbidden');
  });
});

describe('abandoned uploads', () => {
  it('are swept with their bytes, while shared files stay', async () => {
    const { alice, channelId } = await privateRoom();
    const { sweepAbandonedUploads } = await import('../src/actions/files.js');
    const [left] = await uploaded(server, alice, { name: 'left.txt', data: 'never sent' });
    const { files: [kept] } = await share(alice, channelId, 'sent', { name: 'kept.txt', data: 'sent' });
    expect(await sweepAbandonedUploads(server.deps, 60_000)).toBe(0); // too young
    expect(await sweepAbandonedUploads(server.deps, 0)).toBeGreaterThanOrEqual(1);
    expectError(await alice.get(`/api/v1/files/${left.id}`), 404, 'not_found');
    expect(walk(root(server)).filter((p) => p.includes(left.id))).toEqual([]);
    expect((await download(server, alice, kept.url)).bytes.toString()).toBe('sent');
  });
});

describe('sharing with a message', () => {
  it('attaches uploads in the posting transaction and announces them with the message', async () => {
    const { alice, bob, channelId } = await privateRoom();
    const ws = await bob.connect();
    const uploads = await uploaded(server, alice, { name: 'a.txt', data: 'A' }, { name: 'b.txt', data: 'B' });
    const m = await alice.say(channelId, '', { fileIds: uploads.map((f) => f.id) });
    expect(m.text).toBe('');
    expect(m.files.map((f: any) => f.name)).toEqual(['a.txt', 'b.txt']);
    expect(m.files[0]).toMatchObject({ messageId: m.id, channelId, userId: alice.id });
    const created = await ws.event('message.created', (d) => d.message.id === m.id);
    expect(created.data.message.files).toEqual(m.files);
    const page = await bob.get(`/api/v1/channels/${channelId}/messages`);
    expect(page.body.messages.find((x: any) => x.id === m.id).files).toEqual(m.files);
    expect((await bob.get(`/api/v1/messages/${m.id}`)).body.files).toEqual(m.files);
    expect((await download(server, bob, m.files[1].url)).bytes.toString()).toBe('B');
    await ws.close();
  });

  it('accepts only my own unattached uploads, all or nothing', async () => {
    const { alice, bob, channelId } = await privateRoom();
    const [mine] = await uploaded(server, alice, { name: 'mine.txt', data: 'mine' });
    const [theirs] = await uploaded(server, bob, { name: 'theirs.txt', data: 'theirs' });
    const post = (fileIds: string[], text = 'with files') => alice.post(`/api/v1/channels/${channelId}/messages`, { text, fileIds });
    expectError(await post([mine.id, theirs.id]), 400, 'file_not_attachable');
    expectError(await post([UNKNOWN_ID]), 400, 'file_not_attachable');
    expectError(await post([], ''), 400, 'invalid_request');
    expectError(await post(['nope']), 400, 'invalid_request');
    // The failed attempts attached nothing and posted nothing.
    expect((await alice.get(`/api/v1/files/${mine.id}`)).body.messageId).toBeNull();
    expect((await alice.get(`/api/v1/channels/${channelId}/messages`)).body.messages).toEqual([]);
    const ok = await post([mine.id]);
    expect(ok.status).toBe(201);
    expectError(await post([mine.id]), 400, 'file_not_attachable'); // already sent
    // A retry with the same clientId is the same message, not a second attach.
    const [again] = await uploaded(server, alice, { name: 'again.txt', data: 'again' });
    const first = await alice.say(channelId, 'retry', { fileIds: [again.id], clientId: 'c-1' });
    const retry = await alice.say(channelId, 'retry', { fileIds: [again.id], clientId: 'c-1' });
    expect(retry).toEqual(first);
  });

  it('lets a message with files lose its text, but not one without', async () => {
    const { alice, channelId } = await privateRoom();
    const { message } = await share(alice, channelId, 'caption', { name: 'p.txt', data: 'p' });
    const edited = await alice.patch(`/api/v1/messages/${message.id}`, { text: '' });
    expect(edited.status).toBe(200);
    expect(edited.body.files).toHaveLength(1);
    const plain = await alice.say(channelId, 'words');
    expectError(await alice.patch(`/api/v1/messages/${plain.id}`, { text: ' ' }), 400, 'invalid_request');
  });

  it('is readable by whoever can read the message, and by nobody once it is deleted', async () => {
    const { alice, bob, eve, channelId } = await privateRoom();
    const { message, files: [f] } = await share(alice, channelId, 'see this', { name: 'photo.jpg', data: await jpegWithGps(300, 200) });
    const paths = [`/api/v1/files/${f.id}`, f.url, f.thumbnailUrl, f.previewUrl];
    for (const p of paths) {
      expect((await download(server, bob, p)).status, p).toBe(200);
      expectError(await download(server, eve, p), 404, 'not_found'); // another channel's file does not exist for eve
      expectError(await download(server, null, p), 401, 'unauthorized');
    }
    // In a public channel anyone signed in may read it, as they may read the message.
    const pub = (await alice.channel(uniq('pub'))).id;
    const { files: [open] } = await share(alice, pub, 'public', { name: 'open.txt', data: 'open' });
    expect((await download(server, eve, open.url)).bytes.toString()).toBe('open');

    const before = walk(root(server)).filter((p) => p.includes(f.id));
    expect(before.length).toBe(3); // original, thumbnail, preview
    expect((await bob.del(`/api/v1/messages/${message.id}`)).status).toBe(403);
    const ws = await bob.connect();
    expect((await alice.del(`/api/v1/messages/${message.id}`)).status).toBe(204);
    const deleted = await ws.event('message.deleted', (d) => d.message.id === message.id);
    expect(deleted.data.message.files).toEqual([]);
    for (const p of paths) {
      expectError(await download(server, alice, p), 404, 'not_found');
      expectError(await download(server, bob, p), 404, 'not_found');
    }
    expect((await bob.get(`/api/v1/channels/${channelId}/files`)).body.files).toEqual([]);
    expect(walk(root(server)).filter((p) => p.includes(f.id))).toEqual([]);
    await ws.close();
  });
});

describe('downloads', () => {
  it('never lets an uploaded page run: attachment, nosniff and a sandboxing CSP', async () => {
    const { alice, bob, channelId } = await privateRoom();
    const html = '<html><body><script>fetch("/api/v1/users/me")</script></body></html>';
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const { files } = await share(alice, channelId, 'pages', { name: 'evil.html', data: html, type: 'text/html' },
      { name: 'evil.svg', data: svg, type: 'image/svg+xml' }, { name: 'ok.png', data: await png(10, 10) });
    for (const f of files.slice(0, 2)) {
      const d = await download(server, bob, f.url);
      expect(d.status).toBe(200);
      expect(d.headers.get('content-type')).toBe('application/octet-stream');
      expect(d.headers.get('content-disposition')).toMatch(/^attachment; filename="evil\.(html|svg)"/);
      expect(d.headers.get('x-content-type-options')).toBe('nosniff');
      expect(d.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    }
    const img = await download(server, bob, files[2].url);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('content-disposition')).toMatch(/^inline; filename="ok\.png"/);
    expect(img.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(img.headers.get('x-content-type-options')).toBe('nosniff');
    const forced = await download(server, bob, `${files[2].url}?download=true`);
    expect(forced.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('names files safely in Content-Disposition', async () => {
    const alice = await server.user();
    const [f] = await uploaded(server, alice, { name: 'Résumé; (final).txt', data: 'cv' });
    expect(f.name).toBe('Résumé; (final).txt');
    const d = await download(server, alice, f.url);
    expect(d.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_; (final).txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%3B%20%28final%29.txt`);
  });

  it('serves byte ranges', async () => {
    const alice = await server.user();
    const data = randomBytes(100_000);
    const [f] = await uploaded(server, alice, { name: 'r.bin', data });
    const full = await download(server, alice, f.url);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(full.bytes.equals(data)).toBe(true);
    const part = await download(server, alice, f.url, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 10-19/100000');
    expect(part.bytes.equals(data.subarray(10, 20))).toBe(true);
    const tail = await download(server, alice, f.url, { range: 'bytes=-5' });
    expect(tail.bytes.equals(data.subarray(-5))).toBe(true);
    const open = await download(server, alice, f.url, { range: 'bytes=99990-' });
    expect(open.bytes.equals(data.subarray(99990))).toBe(true);
    const bad = await download(server, alice, f.url, { range: 'bytes=100000-' });
    expectError(bad, 416, 'range_not_satisfiable');
    expect(bad.headers.get('content-range')).toBe('bytes */100000');
    // A malformed or multi-range header is ignored: the whole file.
    expect((await download(server, alice, f.url, { range: 'bytes=0-1,5-6' })).status).toBe(200);
  });
});

describe('images', () => {
  it('strips EXIF and GPS from the original, the thumbnail and the preview', async () => {
    const alice = await server.user();
    const photo = await jpegWithGps(2400, 1600);
    // The test photo really carries the location.
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes(Buffer.from(GPS.marker))).toBe(true);
    const [f] = await uploaded(server, alice, { name: 'holiday.jpg', data: photo });
    expect(f).toMatchObject({ mimeType: 'image/jpeg', width: 2400, height: 1600 });
    expect(f.placeholder).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/=]+$/);
    expect(f.placeholder.length).toBeLessThan(1000);

    const thumb = await download(server, alice, f.thumbnailUrl);
    const preview = await download(server, alice, f.previewUrl);
    const original = await download(server, alice, f.url);
    for (const d of [thumb, preview, original]) {
      expect(d.status).toBe(200);
      expect(d.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      await expectNoMetadata(d.bytes);
    }
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 360, height: 240 });
    expect(await sharp(preview.bytes).metadata()).toMatchObject({ format: 'webp', width: 1600 });
    expect(await sharp(original.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 2400, height: 1600 });
    expect(original.headers.get('content-length')).toBe(String(f.size));
    // Nothing on disk holds the location either.
    for (const p of walk(root(server)).filter((x) => x.includes(f.id))) {
      expect(fs.readFileSync(p).includes(Buffer.from(GPS.marker)), p).toBe(false);
    }
  });

  it('applies the EXIF orientation before dropping it', async () => {
    const alice = await server.user();
    const [f] = await uploaded(server, alice, { name: 'portrait.jpg', data: await jpegWithGps(600, 400, 6) });
    expect((await sharp(await jpegWithGps(600, 400, 6)).metadata()).orientation).toBe(6);
    expect(f).toMatchObject({ width: 400, height: 600 });
    const original = await download(server, alice, f.url);
    expect(await sharp(original.bytes).metadata()).toMatchObject({ width: 400, height: 600 });
    expect((await sharp(original.bytes).metadata()).orientation).toBeUndefined();
  });

  it('has no thumbnail for other files', async () => {
    const alice = await server.user();
    const [f] = await uploaded(server, alice, { name: 'a.txt', data: 'text' });
    expectError(await download(server, alice, `/api/v1/files/${f.id}/thumbnail`), 404, 'not_found');
  });
});

describe('listing', () => {
  it("pages a channel's files, newest first, for those who can see it", async () => {
    const { alice, bob, eve, channelId } = await privateRoom();
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      names.push(`f${i}.txt`);
      await share(alice, channelId, `file ${i}`, { name: `f${i}.txt`, data: `${i}` });
    }
    const first = await bob.get(`/api/v1/channels/${channelId}/files?limit=3`);
    expect(first.status).toBe(200);
    expect(first.body.files.map((f: any) => f.name)).toEqual(['f4.txt', 'f3.txt', 'f2.txt']);
    expect(first.body.hasMore).toBe(true);
    const next = await bob.get(`/api/v1/channels/${channelId}/files?limit=3&before=${first.body.files[2].id}`);
    expect(next.body.files.map((f: any) => f.name)).toEqual(['f1.txt', 'f0.txt']);
    expect(next.body.hasMore).toBe(false);
    expectError(await eve.get(`/api/v1/channels/${channelId}/files`), 404, 'not_found');
    expectError(await bob.get(`/api/v1/channels/${channelId}/files?limit=0`), 400, 'invalid_request');
  });

  it('finds files by name among those I can read', async () => {
    const { alice, bob, eve, channelId } = await privateRoom();
    const tag = randomBytes(3).toString('hex');
    await share(alice, channelId, 'secret', { name: `Budget-${tag}.xlsx`, data: 'numbers' });
    const [draft] = await uploaded(server, eve, { name: `budget-${tag}-draft.txt`, data: 'mine' });
    const pub = (await alice.channel(uniq('pub'))).id;
    await share(alice, pub, 'public', { name: `budget-${tag}-public.txt`, data: 'all' });
    await uploaded(server, alice, { name: `100%_${tag}.txt`, data: 'pct' });

    const names = async (c: Client, q: string) => (await c.get(`/api/v1/files?query=${encodeURIComponent(q)}`)).body.files.map((f: any) => f.name);
    expect(await names(bob, `budget-${tag}`)).toEqual([`budget-${tag}-public.txt`, `Budget-${tag}.xlsx`]);
    expect(await names(eve, `BUDGET-${tag}`)).toEqual([`budget-${tag}-public.txt`, draft.name]);
    expect(await names(alice, `100%_${tag}`)).toEqual([`100%_${tag}.txt`]);
    expect(await names(alice, `1%0_${tag}`)).toEqual([]);
  });

  it('shows storage use per person to admins only', async () => {
    const alice = await server.user();
    await uploaded(server, alice, { name: 'a.bin', data: randomBytes(1000) }, { name: 'b.bin', data: randomBytes(234) });
    const r = await server.admin.get('/api/v1/admin/storage');
    expect(r.status).toBe(200);
    expect(r.body.users.find((u: any) => u.userId === alice.id)).toEqual({ userId: alice.id, username: alice.user.username, files: 2, bytes: 1234 });
    expect(r.body.totalBytes).toBe(r.body.users.reduce((n: number, u: any) => n + u.bytes, 0));
    expectError(await alice.get('/api/v1/admin/storage'), 403, 'forbidden');
  });
});

describe('encryption at rest', () => {
  // The same server with an encrypting store swapped in (as PARLEY_FILE_ENCRYPTION_KEY would give it).
  let enc: TestServer;
  let plainStore: FileStore;
  let sealed: FileStore;
  beforeAll(() => {
    enc = server;
    plainStore = server.deps.files;
    sealed = new FileStore(DiskStorage.temporary(), randomBytes(32));
    server.deps.files = sealed;
  });
  afterAll(async () => {
    server.deps.files = plainStore;
    await sealed.close();
  });

  it('stores only ciphertext, yet serves the plaintext whole and in ranges', async () => {
    const alice = await enc.user();
    const marker = 'TOP-SECRET-PLAINTEXT-';
    const text = Buffer.from(Array.from({ length: 12_000 }, (_, i) => `${marker}${i}\n`).join('')); // ~300 KB: several chunks
    const [f] = await uploaded(enc, alice, { name: 'secret.txt', data: text });
    const [raw] = walk(root(enc)).filter((p) => p.includes(f.id));
    const stored = fs.readFileSync(raw!);
    expect(stored.subarray(0, 8).toString()).toBe('PRLYENC1');
    expect(stored.includes(Buffer.from(marker))).toBe(false);
    expect(stored.length).toBeGreaterThan(text.length);

    expect((await download(enc, alice, f.url)).bytes.equals(text)).toBe(true);
    const chunk = 64 * 1024;
    for (const [a, b] of [[0, 0], [chunk - 3, chunk + 3], [5, 3 * chunk + 17], [text.length - 10, text.length - 1]] as const) {
      const part = await download(enc, alice, f.url, { range: `bytes=${a}-${b}` });
      expect(part.status).toBe(206);
      expect(part.bytes.equals(text.subarray(a, b + 1)), `${a}-${b}`).toBe(true);
    }
    // An empty file and one of exactly one chunk round-trip too.
    const [empty, exact] = await uploaded(enc, alice, { name: 'empty', data: Buffer.alloc(0) }, { name: 'exact', data: randomBytes(chunk) });
    expect((await download(enc, alice, empty.url)).bytes.length).toBe(0);
    const exactBytes = (await download(enc, alice, exact.url)).bytes;
    expect(exactBytes.length).toBe(chunk);
  });

  it('encrypts image variants as well', async () => {
    const alice = await enc.user();
    const [f] = await uploaded(enc, alice, { name: 'p.jpg', data: await jpegWithGps(800, 600) });
    for (const p of walk(root(enc)).filter((x) => x.includes(f.id))) {
      expect(fs.readFileSync(p).subarray(0, 8).toString()).toBe('PRLYENC1');
    }
    const thumb = await download(enc, alice, f.thumbnailUrl);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 360, height: 270 });
    await expectNoMetadata((await download(enc, alice, f.url)).bytes);
  });

  it('still reads files stored before encryption was turned on', async () => {
    const alice = await enc.user();
    enc.deps.files = new FileStore(sealed.raw, null);
    const [plain] = await uploaded(enc, alice, { name: 'old.txt', data: 'stored in the clear' });
    enc.deps.files = sealed;
    expect((await download(enc, alice, plain.url)).bytes.toString()).toBe('stored in the clear');
    // Without the key, encrypted files answer 503 with the reason, not garbage.
    const [secret] = await uploaded(enc, alice, { name: 'new.txt', data: 'sealed' });
    enc.deps.files = new FileStore(sealed.raw, null);
    const r = await download(enc, alice, secret.url);
    enc.deps.files = sealed;
    expect({ status: r.status, code: r.json?.error?.code }).toEqual({ status: 503, code: 'service_unavailable' });
    expect(r.json.error.message).toMatch(/PARLEY_FILE_ENCRYPTION_KEY/);
    serverErrors.splice(0); // that 503 is the point
  });
});
