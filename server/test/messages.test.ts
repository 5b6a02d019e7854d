// Messages through HTTP: posting (wire shape, clientId idempotency, size limits, access) and history paging.
// (Editing, versions, deleting and mentions are in message-changes.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID, expectError, uniq, watch } from './expect.js';
import { UUID_V7, history, msgs, privateChannel, publicChannel } from './message-helpers.js';

let server: TestServer;
const serverErrors: string[] = [];

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
