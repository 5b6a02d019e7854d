// Messages through HTTP: posting (wire shape, clientId idempotency, size limits, access),
// history paging, editing with versions, deleting into tombstones, and mention parsing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID, expectError, uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];



const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msgs = (channelId: string, query = '') => `/api/v1/channels/${channelId}/messages${query}`;

async function history(c: Client, channelId: string, query = ''): Promise<{ messages: any[]; hasMore: boolean }> {
  const r = await c.get(msgs(channelId, query));
  expect(r.status).toBe(200);
  return r.body;
}

/** A public channel owned by `owner` with the other clients joined. */
async function publicChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('pub'));
  for (const o of others) expect((await o.post(`/api/v1/channels/${ch.id}/join`)).status).toBe(200);
  return ch.id;
}

async function privateChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('priv'), 'private');
  if (others.length) {
    const r = await owner.post(`/api/v1/channels/${ch.id}/members`, { userIds: others.map((o) => o.id) });
    expect(r.status).toBe(200);
  }
  return ch.id;
}

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

describe('POST /channels/{id}/messages', () => {
  it('answers 201 with the message in its wire shape', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const before = Date.now();
    const r = await alice.post(msgs(channelId), { text: 'hello **world**' });
    expect(r.status).toBe(201);
    const m = r.body;
    for (const key of ['id', 'channelId', 'userId', 'text', 'threadRootId', 'replyCount', 'lastReplyAt', 'createdAt',
      'editedAt', 'deleted', 'pinned', 'reactions', 'mentions', 'clientId']) {
      expect(m).toHaveProperty(key);
    }
    expect(m).toMatchObject({
      channelId, userId: alice.id, text: 'hello **world**', threadRootId: null, replyCount: 0, lastReplyAt: null,
      editedAt: null, deleted: false, pinned: false, reactions: [], mentions: [], clientId: null,
    });
    expect(m.id).toMatch(UUID_V7);
    expect(new Date(m.createdAt).toISOString()).toBe(m.createdAt);
    expect(new Date(m.createdAt).getTime()).toBeGreaterThanOrEqual(before - 5_000);

    // The same message reads back identically, on its own and in the channel.
    const one = await alice.get(`/api/v1/messages/${m.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(m);
    expect((await history(alice, channelId)).messages).toEqual([m]);
  });

  it('accepts explicit nulls for threadRootId and clientId', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const r = await alice.post(msgs(channelId), { text: 'top level', threadRootId: null, clientId: null, confirmChannelMention: false });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ threadRootId: null, clientId: null });
  });

  it('keeps the text exactly as written (markdown, unicode, surrounding whitespace)', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const text = '  # Title\n\n- <b>not html</b> 😀 `code` ñ\n';
    const m = await alice.say(channelId, text);
    expect(m.text).toBe(text);
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.text).toBe(text);
  });

  it('a repeated clientId returns the first message instead of making a second', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const first = await alice.post(msgs(channelId), { text: 'once', clientId: 'c-1' });
    const again = await alice.post(msgs(channelId), { text: 'once', clientId: 'c-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body).toEqual(first.body);
    expect(first.body.clientId).toBe('c-1');
    const { messages } = await history(alice, channelId);
    expect(messages.map((m) => m.id)).toEqual([first.body.id]);
  });

  it('concurrent duplicate posts with one clientId make one message', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const replies = await Promise.all(Array.from({ length: 5 }, () =>
      alice.post(msgs(channelId), { text: 'retry storm', clientId: 'storm-1' })));
    for (const r of replies) expect(r.status).toBe(201);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const { messages } = await history(alice, channelId);
    expect(messages).toHaveLength(1);
    expect(messages[0].id).toBe(replies[0]!.body.id);
  });

  it('a clientId is per author, and reusing it in another channel is a conflict', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const other = await publicChannel(alice);
    const a = await alice.say(channelId, 'mine', { clientId: 'shared' });
    const b = await bob.say(channelId, 'mine too', { clientId: 'shared' });
    expect(b.id).not.toBe(a.id);
    expect((await history(alice, channelId)).messages).toHaveLength(2);
    expectError(await alice.post(msgs(other), { text: 'elsewhere', clientId: 'shared' }), 409, 'client_id_conflict');
    expect((await history(alice, other)).messages).toHaveLength(0);
  });

  it('refuses empty and whitespace-only text', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    for (const text of ['', ' ', '   \n\t  ']) {
      expectError(await alice.post(msgs(channelId), { text }), 400, 'invalid_request');
    }
    expectError(await alice.post(msgs(channelId), {}), 400, 'invalid_request');
    expectError(await alice.post(msgs(channelId)), 400, 'invalid_request');
    expect((await history(alice, channelId)).messages).toHaveLength(0);
  });

  it('refuses wrong types, unknown fields and malformed JSON with 400', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const bad: unknown[] = [
      { text: 5 },
      { text: null },
      { text: ['a'] },
      { text: { a: 1 } },
      { text: 'x', threadRootId: 'not-a-uuid' },
      { text: 'x', threadRootId: 12 },
      { text: 'x', clientId: 7 },
      { text: 'x', clientId: '' },
      { text: 'x', clientId: 'c'.repeat(129) },
      { text: 'x', confirmChannelMention: 'yes' },
      { text: 'x', channelId },
      'null',
      '[]',
      '"text"',
    ];
    for (const body of bad) {
      const r = await alice.post(msgs(channelId), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toMatch(/^(invalid_request|invalid_json)$/);
    }
    expectError(await alice.post(msgs(channelId), '{"text": "x"'), 400, 'invalid_json');
    // NUL cannot be stored in PostgreSQL text: a 400, not a database failure.
    expectError(await alice.post(msgs(channelId), { text: 'a\u0000b' }), 400, 'invalid_request');
    expectError(await alice.post(msgs(channelId), { text: 'x', clientId: 'c\u0000' }), 400, 'invalid_request');
    expectError(await alice.post(msgs('not-a-uuid'), { text: 'x' }), 400, 'invalid_request');
    expect((await history(alice, channelId)).messages).toHaveLength(0);
  });

  it('needs a session', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    expectError(await server.request('POST', msgs(channelId), { text: 'anon' }), 401, 'unauthorized');
    expectError(await server.request('POST', msgs(channelId), { text: 'anon' }, { authorization: 'Bearer nope' }), 401, 'unauthorized');
    expectError(await server.request('GET', msgs(channelId)), 401, 'unauthorized');
  });

  it('a non-member of a public channel gets 403 not_a_member', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice);
    expectError(await bob.post(msgs(channelId), { text: 'let me in' }), 403, 'not_a_member');
    // Admins are not members either until they join.
    expectError(await server.admin.post(msgs(channelId), { text: 'admin' }), 403, 'not_a_member');
    expect((await history(alice, channelId)).messages).toHaveLength(0);
  });

  it('a private channel of others and an unknown channel are 404', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await privateChannel(alice);
    expectError(await bob.post(msgs(channelId), { text: 'hi?' }), 404, 'not_found');
    expectError(await server.admin.post(msgs(channelId), { text: 'hi?' }), 404, 'not_found');
    expectError(await bob.post(msgs(UNKNOWN_ID), { text: 'hi?' }), 404, 'not_found');
    expect((await history(alice, channelId)).messages).toHaveLength(0);
  });

  it('an archived channel takes no posts; a read-only one only from owners and admins', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const archived = await publicChannel(alice, bob);
    expect((await alice.post(`/api/v1/channels/${archived}/archive`)).status).toBe(200);
    expectError(await bob.post(msgs(archived), { text: 'late' }), 403, 'channel_archived');
    expectError(await alice.post(msgs(archived), { text: 'late' }), 403, 'channel_archived');

    const readOnly = await publicChannel(alice, bob);
    expect((await alice.patch(`/api/v1/channels/${readOnly}`, { readOnly: true })).status).toBe(200);
    expectError(await bob.post(msgs(readOnly), { text: 'me too' }), 403, 'channel_read_only');
    await alice.say(readOnly, 'announcement');
  });

  it('accepts 40,000 characters and refuses 40,001 with 413 message_too_long (default limit)', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const ok = await alice.post(msgs(channelId), { text: 'a'.repeat(40_000) });
    expect(ok.status).toBe(201);
    expect(ok.body.text).toHaveLength(40_000);
    expectError(await alice.post(msgs(channelId), { text: 'a'.repeat(40_001) }), 413, 'message_too_long');
    expect((await history(alice, channelId)).messages).toHaveLength(1);
  });
});

describe('message size limit (maxMessageLength: 100)', () => {
  let small: TestServer;
  beforeAll(async () => { small = watch(await startTestServer({ config: { maxMessageLength: 100 } }), serverErrors); });
  afterAll(async () => { await small?.close(); });

  it('accepts up to the limit and refuses anything over it with 413, on post and on edit', async () => {
    const alice = await small.user();
    const general = await small.general();
    const m = await alice.say(general, 'x'.repeat(100));
    for (const n of [101, 150, 201, 1_000, 100_000]) {
      expectError(await alice.post(msgs(general), { text: 'x'.repeat(n) }), 413, 'message_too_long');
      expectError(await alice.patch(`/api/v1/messages/${m.id}`, { text: 'y'.repeat(n) }), 413, 'message_too_long');
    }
    // Past the request body limit the answer is still a 413, for the body as a whole.
    expectError(await alice.post(msgs(general), { text: 'x'.repeat(1_100_000) }), 413, 'payload_too_large');
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.text).toBe('x'.repeat(100));
    const page = await alice.get(msgs(general));
    expect(page.body.messages.map((x: any) => x.id)).toEqual([m.id]);
  });
});

describe('GET /channels/{id}/messages', () => {
  async function seed(count: number): Promise<{ alice: Client; channelId: string; ids: string[] }> {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) ids.push((await alice.say(channelId, `m${i}`)).id);
    return { alice, channelId, ids };
  }

  it('answers the newest page by default, oldest first', async () => {
    const { alice, channelId, ids } = await seed(55);
    const page = await history(alice, channelId);
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(5));
    expect(page.messages.map((m) => m.text)).toEqual(ids.slice(5).map((_, i) => `m${i + 6}`));
    expect(page.hasMore).toBe(true);
    const seqs = page.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('pages back with before= to the very first message, with hasMore right on every page', async () => {
    const { alice, channelId, ids } = await seed(7);
    let page = await history(alice, channelId, '?limit=3');
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(4, 7));
    expect(page.hasMore).toBe(true);
    page = await history(alice, channelId, `?limit=3&before=${ids[4]}`);
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(1, 4));
    expect(page.hasMore).toBe(true);
    page = await history(alice, channelId, `?limit=3&before=${ids[1]}`);
    expect(page.messages.map((m) => m.id)).toEqual([ids[0]]);
    expect(page.hasMore).toBe(false);
    page = await history(alice, channelId, `?limit=3&before=${ids[0]}`);
    expect(page).toMatchObject({ messages: [], hasMore: false });
  });

  it('pages forward with after=', async () => {
    const { alice, channelId, ids } = await seed(7);
    let page = await history(alice, channelId, `?limit=3&after=${ids[0]}`);
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(1, 4));
    expect(page.hasMore).toBe(true);
    page = await history(alice, channelId, `?limit=3&after=${ids[3]}`);
    expect(page.messages.map((m) => m.id)).toEqual(ids.slice(4, 7));
    expect(page.hasMore).toBe(false);
    page = await history(alice, channelId, `?after=${ids[6]}`);
    expect(page).toMatchObject({ messages: [], hasMore: false });
  });

  it('says hasMore false when the page holds exactly everything, and on an empty channel', async () => {
    const { alice, channelId, ids } = await seed(3);
    const page = await history(alice, channelId, '?limit=3');
    expect(page.messages.map((m) => m.id)).toEqual(ids);
    expect(page.hasMore).toBe(false);
    const empty = await publicChannel(alice);
    expect(await history(alice, empty)).toMatchObject({ messages: [], hasMore: false });
    const one = await history(alice, channelId, '?limit=1');
    expect(one.messages.map((m) => m.id)).toEqual([ids[2]]);
    expect(one.hasMore).toBe(true);
  });

  it('lists top-level messages only, not thread replies', async () => {
    const { alice, channelId, ids } = await seed(2);
    await alice.say(channelId, 'a reply', { threadRootId: ids[0] });
    await alice.say(channelId, 'another reply', { threadRootId: ids[0] });
    const page = await history(alice, channelId);
    expect(page.messages.map((m) => m.id)).toEqual(ids);
    expect(page.messages[0].replyCount).toBe(2);
  });

  it('is readable by a non-member of a public channel, and 404 for a private channel of others', async () => {
    const { channelId, ids } = await seed(2);
    const bob = await server.user();
    expect((await history(bob, channelId)).messages.map((m) => m.id)).toEqual(ids);
    const alice = await server.user();
    const secret = await privateChannel(alice);
    await alice.say(secret, 'secret');
    expectError(await bob.get(msgs(secret)), 404, 'not_found');
    expectError(await server.admin.get(msgs(secret)), 404, 'not_found');
    expectError(await bob.get(msgs(UNKNOWN_ID)), 404, 'not_found');
  });

  it('refuses bad paging parameters with 400', async () => {
    const { alice, channelId, ids } = await seed(2);
    const elsewhere = await seed(1);
    const reply = await alice.say(channelId, 'reply', { threadRootId: ids[0] });
    for (const q of [
      `?before=${elsewhere.ids[0]}`,
      `?after=${elsewhere.ids[0]}`,
      `?before=${reply.id}`,
      `?before=${UNKNOWN_ID}`,
      `?before=${ids[1]}&after=${ids[0]}`,
      '?before=not-a-uuid',
      '?after=123',
      '?limit=0',
      '?limit=1000',
      '?limit=201',
      '?limit=-1',
      '?limit=abc',
      '?limit=1.5',
    ]) {
      expectError(await alice.get(msgs(channelId, q)), 400, 'invalid_request');
    }
    expect((await history(alice, channelId, '?limit=200')).messages).toHaveLength(2);
    expectError(await alice.get(msgs('nope')), 400, 'invalid_request');
  });
});

describe('PATCH /messages/{id} and versions', () => {
  it('the author edits: text changes, editedAt is set, earlier versions are kept', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'first draft');
    const r = await alice.patch(`/api/v1/messages/${m.id}`, { text: 'second draft' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: m.id, text: 'second draft', createdAt: m.createdAt, deleted: false });
    expect(r.body.editedAt).not.toBeNull();
    expect(new Date(r.body.editedAt).getTime()).toBeGreaterThanOrEqual(new Date(m.createdAt).getTime());
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body).toEqual(r.body);
    expect((await history(alice, channelId)).messages[0].text).toBe('second draft');

    expect((await alice.patch(`/api/v1/messages/${m.id}`, { text: 'final' })).status).toBe(200);
    const v = await alice.get(`/api/v1/messages/${m.id}/versions`);
    expect(v.status).toBe(200);
    expect(v.body.versions.map((x: any) => x.text)).toEqual(['first draft', 'second draft']);
    for (const x of v.body.versions) expect(new Date(x.createdAt).toISOString()).toBe(x.createdAt);
    // Admins may read the history too.
    const asAdmin = await server.admin.get(`/api/v1/messages/${m.id}/versions`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.versions.map((x: any) => x.text)).toEqual(['first draft', 'second draft']);
  });

  it('saving the same text again is not an edit', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'same');
    const r = await alice.patch(`/api/v1/messages/${m.id}`, { text: 'same' });
    expect(r.status).toBe(200);
    expect(r.body.editedAt).toBeNull();
    expect((await alice.get(`/api/v1/messages/${m.id}/versions`)).body.versions).toEqual([]);
  });

  it('only the author edits: other members and admins get 403, outsiders of a private channel 404', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    expect((await server.admin.post(`/api/v1/channels/${channelId}/join`)).status).toBe(200);
    const m = await bob.say(channelId, 'bob wrote this');
    expectError(await alice.patch(`/api/v1/messages/${m.id}`, { text: 'owner rewrite' }), 403, 'forbidden');
    expectError(await server.admin.patch(`/api/v1/messages/${m.id}`, { text: 'admin rewrite' }), 403, 'forbidden');
    const stranger = await server.user();
    expectError(await stranger.patch(`/api/v1/messages/${m.id}`, { text: 'stranger' }), 403, 'forbidden');

    const secret = await privateChannel(alice);
    const s = await alice.say(secret, 'private words');
    expectError(await bob.patch(`/api/v1/messages/${s.id}`, { text: 'x' }), 404, 'not_found');
    expectError(await bob.get(`/api/v1/messages/${s.id}`), 404, 'not_found');
    expectError(await bob.get(`/api/v1/messages/${s.id}/versions`), 404, 'not_found');
    expectError(await alice.patch(`/api/v1/messages/${UNKNOWN_ID}`, { text: 'x' }), 404, 'not_found');

    expect((await bob.get(`/api/v1/messages/${m.id}`)).body.text).toBe('bob wrote this');
    expect((await alice.get(`/api/v1/messages/${s.id}`)).body.text).toBe('private words');
  });

  it('versions are for the author and admins only', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const m = await bob.say(channelId, 'v1');
    await bob.patch(`/api/v1/messages/${m.id}`, { text: 'v2' });
    expectError(await alice.get(`/api/v1/messages/${m.id}/versions`), 403, 'forbidden');
    expect((await bob.get(`/api/v1/messages/${m.id}/versions`)).body.versions.map((v: any) => v.text)).toEqual(['v1']);
  });

  it('refuses bad edit bodies with 400', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'original');
    for (const body of [{ text: '' }, { text: '  \n ' }, { text: 3 }, { text: null }, {}, { text: 'x', pinned: true }, { text: 'nul\u0000' }]) {
      expectError(await alice.patch(`/api/v1/messages/${m.id}`, body), 400, 'invalid_request');
    }
    expectError(await alice.patch('/api/v1/messages/not-a-uuid', { text: 'x' }), 400, 'invalid_request');
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body).toMatchObject({ text: 'original', editedAt: null });
  });

  it('an edit in an archived channel is refused', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'before archiving');
    expect((await alice.post(`/api/v1/channels/${channelId}/archive`)).status).toBe(200);
    expectError(await alice.patch(`/api/v1/messages/${m.id}`, { text: 'after' }), 403, 'channel_archived');
  });
});

describe('DELETE /messages/{id}', () => {
  it('the author deletes: the message becomes a tombstone in place', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const a = await alice.say(channelId, 'stays');
    const m = await bob.say(channelId, `secret words @${alice.user.username}`);
    await bob.patch(`/api/v1/messages/${m.id}`, { text: 'edited secret @channel' });
    expect((await alice.put(`/api/v1/messages/${m.id}/reactions/thumbsup`)).status).toBe(200);
    expect((await alice.put(`/api/v1/messages/${m.id}/pin`)).status).toBe(200);
    const r = await bob.del(`/api/v1/messages/${m.id}`);
    expect(r.status).toBe(204);
    const got = await alice.get(`/api/v1/messages/${m.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: m.id, userId: bob.id, deleted: true, text: '', reactions: [], mentions: [], pinned: false,
    });
    const page = await history(alice, channelId);
    expect(page.messages.map((x) => [x.id, x.deleted])).toEqual([[a.id, false], [m.id, true]]);
    expect(page.messages[1].text).toBe('');
    expect((await alice.get(`/api/v1/channels/${channelId}/pins`)).body.messages).toEqual([]);
  });

  it('channel owners and admins delete others\' messages; other members get 403', async () => {
    const owner = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const channelId = await publicChannel(owner, bob, carol);
    const m1 = await bob.say(channelId, 'bob 1');
    const m2 = await bob.say(channelId, 'bob 2');
    const m3 = await bob.say(channelId, 'bob 3');
    expectError(await carol.del(`/api/v1/messages/${m1.id}`), 403, 'forbidden');
    expect((await owner.del(`/api/v1/messages/${m1.id}`)).status).toBe(204);
    // An admin may, even without being a member of the public channel.
    expect((await server.admin.del(`/api/v1/messages/${m2.id}`)).status).toBe(204);
    const stranger = await server.user();
    expectError(await stranger.del(`/api/v1/messages/${m3.id}`), 403, 'forbidden');
    const page = await history(bob, channelId);
    expect(page.messages.map((x) => x.deleted)).toEqual([true, true, false]);
  });

  it('an outsider of a private channel gets 404', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const secret = await privateChannel(alice);
    const m = await alice.say(secret, 'hidden');
    expectError(await bob.del(`/api/v1/messages/${m.id}`), 404, 'not_found');
    expectError(await server.admin.del(`/api/v1/messages/${m.id}`), 404, 'not_found');
    expectError(await bob.del(`/api/v1/messages/${UNKNOWN_ID}`), 404, 'not_found');
    expectError(await bob.del('/api/v1/messages/123'), 400, 'invalid_request');
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.deleted).toBe(false);
  });

  it('deleting a thread root keeps its replies', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const root = await alice.say(channelId, 'root');
    const r1 = await bob.say(channelId, 'reply 1', { threadRootId: root.id });
    const r2 = await alice.say(channelId, 'reply 2', { threadRootId: root.id });
    expect((await alice.del(`/api/v1/messages/${root.id}`)).status).toBe(204);
    const t = await bob.get(`/api/v1/messages/${root.id}/thread`);
    expect(t.status).toBe(200);
    expect(t.body.root).toMatchObject({ id: root.id, deleted: true, text: '', replyCount: 2 });
    expect(t.body.replies.map((x: any) => [x.id, x.text, x.deleted])).toEqual([[r1.id, 'reply 1', false], [r2.id, 'reply 2', false]]);
    expect((await bob.get(`/api/v1/messages/${r1.id}`)).body.text).toBe('reply 1');
    const page = await history(bob, channelId);
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({ id: root.id, deleted: true, replyCount: 2 });
  });

  it('deleting a reply lowers the root\'s reply count', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const root = await alice.say(channelId, 'root');
    const r1 = await alice.say(channelId, 'reply 1', { threadRootId: root.id });
    await alice.say(channelId, 'reply 2', { threadRootId: root.id });
    expect((await alice.del(`/api/v1/messages/${r1.id}`)).status).toBe(204);
    expect((await alice.get(`/api/v1/messages/${root.id}`)).body.replyCount).toBe(1);
    const t = await alice.get(`/api/v1/messages/${root.id}/thread`);
    expect(t.body.replies.map((x: any) => x.deleted)).toEqual([true, false]);
  });

  it('editing or deleting a deleted message is 404', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'gone soon');
    await alice.patch(`/api/v1/messages/${m.id}`, { text: 'edited once' });
    expect((await alice.del(`/api/v1/messages/${m.id}`)).status).toBe(204);
    expectError(await alice.patch(`/api/v1/messages/${m.id}`, { text: 'back?' }), 404, 'not_found');
    expectError(await alice.del(`/api/v1/messages/${m.id}`), 404, 'not_found');
    expectError(await server.admin.del(`/api/v1/messages/${m.id}`), 404, 'not_found');
    expectError(await alice.get(`/api/v1/messages/${m.id}/versions`), 404, 'not_found');
    expect((await alice.get(`/api/v1/messages/${m.id}`)).body).toMatchObject({ deleted: true, text: '' });
  });
});

describe('mentions', () => {
  it('@username puts that member in mentions, case-insensitively, but not inside code', async () => {
    const alice = await server.user();
    const bob = await server.user(uniq('bob').replace('-', ''));
    const carol = await server.user();
    const channelId = await publicChannel(alice, bob, carol);
    const name = bob.user.username;
    const cases: Array<[string, string[]]> = [
      [`hey @${name}`, [bob.id]],
      [`hey @${name.toUpperCase()}!`, [bob.id]],
      [`(@${name}), you there?`, [bob.id]],
      [`@${name} and @${carol.user.username}`, [bob.id, carol.id].sort()],
      [`@${name} @${name}`, [bob.id]],
      [`\`@${name}\` is the handle`, []],
      [`\`\`\`\nping @${name}\n\`\`\``, []],
      [`mail me at me@${name}.com`, []],
      ['@nobody_here_at_all', []],
    ];
    for (const [text, expected] of cases) {
      const m = await alice.say(channelId, text);
      expect([...m.mentions].sort(), text).toEqual(expected);
      expect(m.broadcastMention, text).toBeNull();
    }
  });

  it('does not mention people outside the channel', async () => {
    const alice = await server.user();
    const outsider = await server.user();
    const channelId = await privateChannel(alice);
    const m = await alice.say(channelId, `@${outsider.user.username} cannot see this`);
    expect(m.mentions).toEqual([]);
  });

  it('@channel, @everyone and @here set broadcastMention', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    expect((await alice.say(channelId, 'hi @channel')).broadcastMention).toBe('channel');
    expect((await alice.say(channelId, '@everyone look')).broadcastMention).toBe('channel');
    expect((await alice.say(channelId, '@here now')).broadcastMention).toBe('here');
    expect((await alice.say(channelId, '@here and @channel')).broadcastMention).toBe('channel');
    expect((await alice.say(channelId, '`@channel`')).broadcastMention).toBeNull();
  });

  it('editing a message re-parses its mentions', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const m = await alice.say(channelId, 'no one');
    const r = await alice.patch(`/api/v1/messages/${m.id}`, { text: `now @${bob.user.username} and @here` });
    expect(r.body.mentions).toEqual([bob.id]);
    expect(r.body.broadcastMention).toBe('here');
    const r2 = await alice.patch(`/api/v1/messages/${m.id}`, { text: 'no one again' });
    expect(r2.body.mentions).toEqual([]);
    expect(r2.body.broadcastMention).toBeNull();
  });
});

describe('@channel confirmation (channelMentionConfirmThreshold: 2)', () => {
  let s: TestServer;
  beforeAll(async () => { s = watch(await startTestServer({ config: { channelMentionConfirmThreshold: 2 } }), serverErrors); });
  afterAll(async () => { await s?.close(); });

  it('needs confirmChannelMention in a channel with more members than the threshold', async () => {
    const alice = await s.user();
    const bob = await s.user();
    const carol = await s.user();
    const big = (await alice.channel(uniq('big'))).id;
    for (const c of [bob, carol]) expect((await c.post(`/api/v1/channels/${big}/join`)).status).toBe(200);

    for (const text of ['@channel meeting now', '@here anyone?', '@everyone hi']) {
      expectError(await alice.post(msgs(big), { text }), 400, 'confirm_channel_mention');
      expectError(await alice.post(msgs(big), { text, confirmChannelMention: false }), 400, 'confirm_channel_mention');
    }
    expect((await alice.get(msgs(big))).body.messages).toEqual([]);

    const ok = await alice.post(msgs(big), { text: '@channel meeting now', confirmChannelMention: true });
    expect(ok.status).toBe(201);
    expect(ok.body.broadcastMention).toBe('channel');
    // Without a broadcast there is nothing to confirm.
    expect((await alice.post(msgs(big), { text: `@${bob.user.username} hi` })).status).toBe(201);
    // A thread reply with @here in the same channel needs it too.
    expectError(await bob.post(msgs(big), { text: '@here see thread', threadRootId: ok.body.id }), 400, 'confirm_channel_mention');
  });

  it('needs no confirmation up to the threshold', async () => {
    const alice = await s.user();
    const bob = await s.user();
    const small = (await alice.channel(uniq('small'))).id;
    expect((await bob.post(`/api/v1/channels/${small}/join`)).status).toBe(200);
    const r = await alice.post(msgs(small), { text: '@channel hi both' });
    expect(r.status).toBe(201);
    expect(r.body.broadcastMention).toBe('channel');
  });
});
