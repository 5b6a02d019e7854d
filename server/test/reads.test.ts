// Read state through HTTP: unread and mention counts in GET /channels as others post, edit
// and delete, and POST /channels/{id}/read moving the read pointer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID, expectError, uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];



const readPath = (channelId: string) => `/api/v1/channels/${channelId}/read`;

async function publicChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('pub'));
  for (const o of others) expect((await o.post(`/api/v1/channels/${ch.id}/join`)).status).toBe(200);
  return ch.id;
}

/** The user's view of one channel from GET /channels. */
async function mine(c: Client, channelId: string): Promise<any> {
  const r = await c.get('/api/v1/channels');
  expect(r.status).toBe(200);
  const found = r.body.channels.find((x: any) => x.id === channelId);
  expect(found).toBeDefined();
  return found;
}

async function counts(c: Client, channelId: string): Promise<{ unread: number; mentions: number }> {
  const m = await mine(c, channelId);
  return { unread: m.unreadCount, mentions: m.mentionCount };
}

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

describe('unread and mention counts', () => {
  it('rise as others post; mentions count only messages naming me or @channel/@here', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const channelId = await publicChannel(alice, bob, carol);
    expect(await counts(bob, channelId)).toEqual({ unread: 0, mentions: 0 });
    expect(await mine(bob, channelId)).toMatchObject({ lastReadSeq: 0, lastReadMessageId: null });

    const steps: Array<[string, { unread: number; mentions: number }]> = [
      ['plain 1', { unread: 1, mentions: 0 }],
      ['plain 2', { unread: 2, mentions: 0 }],
      [`hi @${bob.user.username}`, { unread: 3, mentions: 1 }],
      [`hi @${carol.user.username}`, { unread: 4, mentions: 1 }],
      ['@channel all of you', { unread: 5, mentions: 2 }],
      ['@here anyone', { unread: 6, mentions: 3 }],
      [`\`@${bob.user.username}\` in code`, { unread: 7, mentions: 3 }],
      [`again @${bob.user.username.toUpperCase()}`, { unread: 8, mentions: 4 }],
    ];
    for (const [text, expected] of steps) {
      await alice.say(channelId, text);
      expect(await counts(bob, channelId), text).toEqual(expected);
    }
    expect(await counts(carol, channelId)).toEqual({ unread: 8, mentions: 3 });
    expect(await counts(alice, channelId)).toEqual({ unread: 0, mentions: 0 });
  });

  it('GET /channels/{id} shows the same counts', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    await alice.say(channelId, 'one');
    await alice.say(channelId, `two @${bob.user.username}`);
    const r = await bob.get(`/api/v1/channels/${channelId}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ unreadCount: 2, mentionCount: 1 });
  });

  it('posting my own message leaves my unread at 0 and reads the channel for me', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    for (let i = 0; i < 3; i++) await alice.say(channelId, `mine ${i}`);
    expect(await counts(alice, channelId)).toEqual({ unread: 0, mentions: 0 });
    await alice.say(channelId, `@${bob.user.username} ping`);
    expect(await counts(bob, channelId)).toEqual({ unread: 4, mentions: 1 });
    const answer = await bob.say(channelId, 'reading now');
    expect(await counts(bob, channelId)).toEqual({ unread: 0, mentions: 0 });
    expect(await mine(bob, channelId)).toMatchObject({ lastReadMessageId: answer.id, lastReadSeq: answer.seq });
    expect(await counts(alice, channelId)).toEqual({ unread: 1, mentions: 0 });
  });

  it('deleting an unread message lowers the counts; deleting a read one does not', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const old = await alice.say(channelId, `old @${bob.user.username}`);
    await bob.post(readPath(channelId));
    const plain = await alice.say(channelId, 'plain');
    const mention = await alice.say(channelId, `hey @${bob.user.username}`);
    const broadcast = await alice.say(channelId, '@channel heads up');
    expect(await counts(bob, channelId)).toEqual({ unread: 3, mentions: 2 });
    expect((await alice.del(`/api/v1/messages/${mention.id}`)).status).toBe(204);
    expect(await counts(bob, channelId)).toEqual({ unread: 2, mentions: 1 });
    expect((await server.admin.del(`/api/v1/messages/${broadcast.id}`)).status).toBe(204);
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
    expect((await alice.del(`/api/v1/messages/${old.id}`)).status).toBe(204);
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
    expect((await alice.del(`/api/v1/messages/${plain.id}`)).status).toBe(204);
    expect(await counts(bob, channelId)).toEqual({ unread: 0, mentions: 0 });
  });

  it('editing a mention in or out of an unread message moves the mention count', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const m = await alice.say(channelId, 'nobody yet');
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
    await alice.patch(`/api/v1/messages/${m.id}`, { text: `now @${bob.user.username}` });
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 1 });
    await alice.patch(`/api/v1/messages/${m.id}`, { text: 'nobody again' });
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
  });

  it('a new member starts with the history read', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    for (let i = 0; i < 3; i++) await alice.say(channelId, `before you came ${i} @channel`);
    const bob = await server.user();
    const joined = await bob.post(`/api/v1/channels/${channelId}/join`);
    expect(joined.body).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    expect(await counts(bob, channelId)).toEqual({ unread: 0, mentions: 0 });
    await alice.say(channelId, 'after');
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
  });
});

describe('POST /channels/{id}/read', () => {
  it('with messageId lowers the counts exactly to what follows that message', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const ids: string[] = [];
    const texts = ['one', `two @${bob.user.username}`, 'three', '@here four', `five @${bob.user.username}`, 'six'];
    for (const t of texts) ids.push((await alice.say(channelId, t)).id);
    expect(await counts(bob, channelId)).toEqual({ unread: 6, mentions: 3 });

    let r = await bob.post(readPath(channelId), { messageId: ids[2] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: channelId, unreadCount: 3, mentionCount: 2, lastReadMessageId: ids[2], lastReadSeq: 3 });
    expect(await counts(bob, channelId)).toEqual({ unread: 3, mentions: 2 });

    r = await bob.post(readPath(channelId), { messageId: ids[4] });
    expect(r.body).toMatchObject({ unreadCount: 1, mentionCount: 0, lastReadMessageId: ids[4] });
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });

    // Marking an earlier message read moves the pointer back ("mark unread from here").
    r = await bob.post(readPath(channelId), { messageId: ids[0] });
    expect(r.body).toMatchObject({ unreadCount: 5, mentionCount: 3, lastReadMessageId: ids[0] });
    expect(await counts(alice, channelId)).toEqual({ unread: 0, mentions: 0 });
  });

  it('without a body (or with {}) marks everything read', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    await alice.say(channelId, `one @${bob.user.username}`);
    const last = await alice.say(channelId, 'two');
    const r = await bob.post(readPath(channelId));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ unreadCount: 0, mentionCount: 0, lastReadMessageId: last.id, lastReadSeq: last.seq });
    expect(await counts(bob, channelId)).toEqual({ unread: 0, mentions: 0 });

    await alice.say(channelId, `three @${bob.user.username}`);
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 1 });
    const r2 = await bob.post(readPath(channelId), {});
    expect(r2.status).toBe(200);
    expect(r2.body).toMatchObject({ unreadCount: 0, mentionCount: 0 });
    expect(await counts(bob, channelId)).toEqual({ unread: 0, mentions: 0 });

    // An empty channel can be marked read too.
    const empty = await publicChannel(alice);
    const r3 = await alice.post(readPath(empty));
    expect(r3.status).toBe(200);
    expect(r3.body).toMatchObject({ unreadCount: 0, lastReadMessageId: null, lastReadSeq: 0 });
  });

  it('refuses a messageId of another channel, a reply, an unknown or malformed id with 400', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const other = await publicChannel(alice, bob);
    const here = await alice.say(channelId, 'here');
    const there = await alice.say(other, 'there');
    const reply = await alice.say(channelId, 'reply', { threadRootId: here.id });
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
    for (const body of [
      { messageId: there.id },
      { messageId: reply.id },
      { messageId: UNKNOWN_ID },
      { messageId: 'not-a-uuid' },
      { messageId: 5 },
      { messageId: here.id, extra: true },
      [here.id],
    ]) {
      expectError(await bob.post(readPath(channelId), body), 400, 'invalid_request');
    }
    expectError(await bob.post(readPath(channelId), '{oops'), 400, 'invalid_json');
    expectError(await bob.post(readPath('nope'), {}), 400, 'invalid_request');
    expect(await counts(bob, channelId)).toEqual({ unread: 1, mentions: 0 });
    expect(await counts(bob, other)).toEqual({ unread: 1, mentions: 0 });
  });

  it('needs membership: 403 in a public channel, 404 in a private or unknown one', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const pub = await publicChannel(alice);
    const m = await alice.say(pub, 'hi');
    expectError(await bob.post(readPath(pub)), 403, 'not_a_member');
    expectError(await bob.post(readPath(pub), { messageId: m.id }), 403, 'not_a_member');
    const priv = (await alice.channel(uniq('priv'), 'private')).id;
    const s = await alice.say(priv, 'secret');
    expectError(await bob.post(readPath(priv), { messageId: s.id }), 404, 'not_found');
    expectError(await bob.post(readPath(UNKNOWN_ID)), 404, 'not_found');
    expectError(await server.request('POST', readPath(pub)), 401, 'unauthorized');
  });
});
