// Custom emoji through HTTP and the WebSocket: who may add and remove them, names, image
// checks and limits, the live emoji.updated event, and reactions by custom name.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, emptyState, type ClientState, type ParleyEvent } from '@parley/protocol';
import { startTestServer, testConfig, type Client, type TestServer } from './harness.js';
import { download, expectError, form, png, postForm, watch } from './files-helpers.js';

let server: TestServer;
const serverErrors: string[] = [];
const MAX = 64 * 1024;

beforeAll(async () => {
  server = watch(await startTestServer({ config: { files: { ...testConfig().files, maxEmojiSize: MAX } } }), serverErrors);
});
afterAll(async () => { await server?.close(); });
afterEach(() => { expect(serverErrors.splice(0)).toEqual([]); });

const name = (prefix = 'parrot') => `${prefix}_${randomBytes(3).toString('hex')}`;

function addEmoji(c: Client | null, emojiName: string, image: Buffer, type = 'image/png') {
  return postForm(server, c, '/api/v1/emoji', form([{ name: 'emoji.png', data: image, type }], { name: emojiName }, 'image'));
}

async function setMembersMayAdd(allowed: boolean): Promise<void> {
  const r = await server.admin.patch('/api/v1/workspace', { membersCanAddEmoji: allowed });
  expect(r.status).toBe(200);
  expect(r.body.membersCanAddEmoji).toBe(allowed);
}

describe('custom emoji', () => {
  it('an admin adds one by name; everyone hears of it and can list and show it', async () => {
    const member = await server.user();
    const ws = await member.connect();
    const n = name();
    const r = await addEmoji(server.admin, `:${n}:`, await png(300, 200));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: n, userId: server.admin.id });
    expect(r.body.url).toMatch(new RegExp(`^/api/v1/emoji/${n}/image\\?v=[0-9a-f-]{36}$`));
    const ev = await ws.event('emoji.updated', (d) => d.name === n);
    expect(ev.data.emoji).toEqual(r.body);

    const list = await member.get('/api/v1/emoji');
    expect(list.body.emoji).toContainEqual(r.body);
    const img = await download(server, member, r.body.url);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(await sharp(img.bytes).metadata()).toMatchObject({ format: 'png', width: 128, height: 85 });
    expectError(await download(server, null, r.body.url), 401, 'unauthorized');
    await ws.close();
  });

  it('members may add emoji only when the workspace allows', async () => {
    const member = await server.user();
    await setMembersMayAdd(false);
    expectError(await addEmoji(member, name(), await png(64, 64)), 403, 'forbidden');
    await setMembersMayAdd(true);
    const r = await addEmoji(member, name(), await png(64, 64));
    expect(r.status).toBe(201);
    expect(r.body.userId).toBe(member.id);
    await setMembersMayAdd(false);
    expectError(await member.patch('/api/v1/workspace', { membersCanAddEmoji: true }), 403, 'forbidden');
  });

  it('an image far over the limit is refused without leaving its upload hanging', async () => {
    // Its own server: if the rest of the upload were left unread, the request would never end
    // and close() would wait for it forever (this test would time out).
    const own = await startTestServer({ config: { files: { ...testConfig().files, maxEmojiSize: MAX } } });
    try {
      expectError(await postForm(own, own.admin, '/api/v1/emoji', form([{ name: 'big.png', data: randomBytes(MAX * 32), type: 'image/png' }], { name: name() }, 'image')), 413, 'file_too_large');
      expect((await own.admin.get('/api/v1/emoji')).body.emoji).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('checks names, types, sizes and duplicates', async () => {
    const admin = server.admin;
    const img = await png(32, 32);
    expectError(await addEmoji(admin, 'Party Parrot', img), 400, 'invalid_request');
    expectError(await addEmoji(admin, 'x'.repeat(65), img), 400, 'invalid_request');
    expectError(await addEmoji(admin, name(), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'), 415, 'unsupported_file_type');
    expectError(await addEmoji(admin, name(), randomBytes(MAX + 1)), 413, 'file_too_large');
    expectError(await addEmoji(admin, name(), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200)]), 'image/jpeg'), 400, 'invalid_image');
    expectError(await postForm(server, admin, '/api/v1/emoji', form([], { name: name() })), 400, 'invalid_request');
    expectError(await admin.post('/api/v1/emoji', { name: name() }), 415, 'unsupported_media_type');
    const cut = '--XYZ\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nhalf an ima';
    expectError(await postForm(server, admin, '/api/v1/emoji', cut, { 'content-type': 'multipart/form-data; boundary=XYZ' }), 400, 'invalid_request');
    const n = name();
    expect((await addEmoji(admin, n, img)).status).toBe(201);
    expectError(await addEmoji(admin, n, img), 409, 'emoji_name_taken');
    // Animated GIFs stay animated (and small).
    const frame = (background: string) => sharp({ create: { width: 200, height: 200, channels: 4, background } }).gif().toBuffer();
    const frames = await sharp([await frame('red'), await frame('blue'), await frame('yellow')], { join: { animated: true } }).gif().toBuffer();
    const pages = (await sharp(frames, { animated: true }).metadata()).pages!;
    expect(pages).toBeGreaterThan(1);
    const g = await addEmoji(admin, name('gif'), frames, 'image/gif');
    expect(g.status).toBe(201);
    const back = await download(server, admin, g.body.url);
    expect(await sharp(back.bytes, { animated: true }).metadata()).toMatchObject({ format: 'gif', pages, width: 128, pageHeight: 128 });
  });

  it('can be used as a reaction by name', async () => {
    const n = name();
    expect((await addEmoji(server.admin, n, await png(16, 16))).status).toBe(201);
    const alice = await server.user();
    const channelId = await server.general();
    const m = await alice.say(channelId, 'react with the custom one');
    const r = await alice.put(`/api/v1/messages/${m.id}/reactions/${n}`);
    expect(r.status).toBe(200);
    expect(r.body.reactions).toEqual([{ emoji: n, count: 1, userIds: [alice.id] }]);
  });

  it('is removed by an admin or whoever added it, for everyone', async () => {
    await setMembersMayAdd(true);
    const alice = await server.user();
    const bob = await server.user();
    const n = name();
    const added = await addEmoji(alice, n, await png(20, 20));
    expect(added.status).toBe(201);
    expectError(await bob.del(`/api/v1/emoji/${n}`), 403, 'forbidden');
    const ws = await bob.connect();
    expect((await alice.del(`/api/v1/emoji/${n}`)).status).toBe(204);
    const ev = await ws.event('emoji.updated', (d) => d.name === n);
    expect(ev.data.emoji).toBeNull();
    expectError(await download(server, bob, added.body.url), 404, 'not_found');
    expect((await bob.get('/api/v1/emoji')).body.emoji.map((e: any) => e.name)).not.toContain(n);
    expectError(await alice.del(`/api/v1/emoji/${n}`), 404, 'not_found');
    // An admin removes anyone's; the name is free again.
    const again = await addEmoji(bob, n, await png(20, 20));
    expect(again.status).toBe(201);
    expect((await server.admin.del(`/api/v1/emoji/:${n}:`)).status).toBe(204);
    expectError(await server.admin.del('/api/v1/emoji/Not%20A%20Name'), 400, 'invalid_request');
    await setMembersMayAdd(false);
    await ws.close();
  });

  it('keeps a client state equal to a fresh fetch through its events (verify_action)', async () => {
    const viewer = await server.user();
    const fetchState = async (): Promise<ClientState> => {
      const s = emptyState(viewer.id);
      for (const e of (await viewer.get('/api/v1/emoji')).body.emoji) s.customEmoji![e.name] = e;
      return s;
    };
    const ws = await viewer.connect();
    const before = await fetchState();
    const start = ws.frames.length;
    const a = name('va');
    const b = name('va');
    expect((await addEmoji(server.admin, a, await png(16, 16))).status).toBe(201);
    expect((await addEmoji(server.admin, b, await png(16, 16))).status).toBe(201);
    expect((await server.admin.del(`/api/v1/emoji/${a}`)).status).toBe(204);
    await ws.event('emoji.updated', (d) => d.name === a && d.emoji === null, { fromIndex: start });
    let state = before;
    for (const f of ws.frames.slice(start)) {
      if (typeof (f as any).seq === 'number') state = applyEvent(state, { type: f.type, data: (f as any).data } as ParleyEvent);
    }
    expect(state.customEmoji).toEqual((await fetchState()).customEmoji);
    await ws.close();
  });
});
