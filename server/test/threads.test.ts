// Threads through HTTP: replies and their root's counters, reading a thread, who follows it,
// following and unfollowing, and per-follower unread replies.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID, expectError, uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];



const msgs = (channelId: string) => `/api/v1/channels/${channelId}/messages`;

async function publicChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('pub'));
  for (const o of others) expect((await o.post(`/api/v1/channels/${ch.id}/join`)).status).toBe(200);
  return ch.id;
}

/** The user's followed threads by root id. */
async function threadsOf(c: Client): Promise<Map<string, any>> {
  const r = await c.get('/api/v1/threads');
  expect(r.status).toBe(200);
  return new Map(r.body.threads.map((t: any) => [t.root.id, t]));
}

async function unreadIn(c: Client, rootId: string): Promise<number | undefined> {
  return (await threadsOf(c)).get(rootId)?.unreadReplies;
}

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

describe('replies', () => {
  it('a reply updates the root\'s replyCount and lastReplyAt', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const root = await alice.say(channelId, 'root');
    expect(root).toMatchObject({ replyCount: 0, lastReplyAt: null });

    const r = await bob.post(msgs(channelId), { text: 'first reply', threadRootId: root.id });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ threadRootId: root.id, channelId, userId: bob.id, text: 'first reply', replyCount: 0 });
    let got = (await alice.get(`/api/v1/messages/${root.id}`)).body;
    expect(got.replyCount).toBe(1);
    expect(got.lastReplyAt).toBe(r.body.createdAt);

    const r2 = await alice.say(channelId, 'second reply', { threadRootId: root.id });
    got = (await bob.get(`/api/v1/messages/${root.id}`)).body;
    expect(got.replyCount).toBe(2);
    expect(got.lastReplyAt).toBe(r2.createdAt);
    expect(new Date(got.lastReplyAt).getTime()).toBeGreaterThanOrEqual(new Date(r.body.createdAt).getTime());
    // The channel list shows the root with its counters, and no replies.
    const page = (await bob.get(msgs(channelId))).body;
    expect(page.messages).toHaveLength(1);
    expect(page.messages[0]).toMatchObject({ id: root.id, replyCount: 2, lastReplyAt: r2.createdAt });
  });

  it('a reply with a clientId is idempotent like any message', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const root = await alice.say(channelId, 'root');
    const [a, b] = await Promise.all([
      alice.post(msgs(channelId), { text: 'once', threadRootId: root.id, clientId: 'reply-1' }),
      alice.post(msgs(channelId), { text: 'once', threadRootId: root.id, clientId: 'reply-1' }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    const t = (await alice.get(`/api/v1/messages/${root.id}/thread`)).body;
    expect(t.replies).toHaveLength(1);
    expect(t.root.replyCount).toBe(1);
  });

  it('a reply to a reply is 400', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const root = await alice.say(channelId, 'root');
    const reply = await alice.say(channelId, 'reply', { threadRootId: root.id });
    expectError(await alice.post(msgs(channelId), { text: 'nested', threadRootId: reply.id }), 400, 'invalid_request');
    expect((await alice.get(`/api/v1/messages/${root.id}`)).body.replyCount).toBe(1);
  });

  it('a root from another channel, an unknown root or a deleted root is 404', async () => {
    const alice = await server.user();
    const here = await publicChannel(alice);
    const there = await publicChannel(alice);
    const foreign = await alice.say(there, 'elsewhere');
    expectError(await alice.post(msgs(here), { text: 'x', threadRootId: foreign.id }), 404, 'not_found');
    expectError(await alice.post(msgs(here), { text: 'x', threadRootId: UNKNOWN_ID }), 404, 'not_found');
    const gone = await alice.say(here, 'soon gone');
    expect((await alice.del(`/api/v1/messages/${gone.id}`)).status).toBe(204);
    expectError(await alice.post(msgs(here), { text: 'x', threadRootId: gone.id }), 404, 'not_found');
    expect((await alice.get(`/api/v1/messages/${foreign.id}`)).body.replyCount).toBe(0);
    expect((await alice.get(msgs(here))).body.messages).toHaveLength(1);
  });

  it('replying needs membership: 403 in a public channel, 404 in a private one', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const pub = await publicChannel(alice);
    const root = await alice.say(pub, 'root');
    expectError(await bob.post(msgs(pub), { text: 'me too', threadRootId: root.id }), 403, 'not_a_member');
    const priv = (await alice.channel(uniq('priv'), 'private')).id;
    const secret = await alice.say(priv, 'secret root');
    expectError(await bob.post(msgs(priv), { text: 'me too', threadRootId: secret.id }), 404, 'not_found');
    // Naming a private root from a channel one can post in reveals nothing either.
    const mine = await publicChannel(bob);
    expectError(await bob.post(msgs(mine), { text: 'x', threadRootId: secret.id }), 404, 'not_found');
  });
});

describe('GET /messages/{id}/thread', () => {
  it('answers the root and its replies, oldest first', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const root = await alice.say(channelId, 'root');
    const other = await alice.say(channelId, 'another root');
    await alice.say(channelId, 'elsewhere', { threadRootId: other.id });
    const replies = [];
    for (let i = 1; i <= 4; i++) replies.push(await (i % 2 ? bob : alice).say(channelId, `reply ${i}`, { threadRootId: root.id }));
    const r = await bob.get(`/api/v1/messages/${root.id}/thread`);
    expect(r.status).toBe(200);
    expect(r.body.root).toMatchObject({ id: root.id, text: 'root', replyCount: 4, threadRootId: null });
    expect(r.body.replies.map((m: any) => m.id)).toEqual(replies.map((m) => m.id));
    expect(r.body.replies.map((m: any) => m.text)).toEqual(['reply 1', 'reply 2', 'reply 3', 'reply 4']);
    expect(r.body.replies.map((m: any) => m.seq)).toEqual([1, 2, 3, 4]);
    for (const m of r.body.replies) expect(m.threadRootId).toBe(root.id);
    const limited = await bob.get(`/api/v1/messages/${root.id}/thread?limit=2`);
    expect(limited.body.replies.map((m: any) => m.id)).toEqual(replies.slice(0, 2).map((m) => m.id));
  });

  it('a root without replies has an empty list; a non-member may read a public thread', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const root = await alice.say(channelId, 'lonely');
    const reply = await alice.say(channelId, 'hi', { threadRootId: (await alice.say(channelId, 'r')).id });
    const bob = await server.user();
    const r = await bob.get(`/api/v1/messages/${root.id}/thread`);
    expect(r.status).toBe(200);
    expect(r.body.replies).toEqual([]);
    expectError(await bob.get(`/api/v1/messages/${reply.id}/thread`), 400, 'invalid_request');
  });

  it('is 404 for outsiders of a private channel and unknown ids, 400 for bad ids and limits', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const priv = (await alice.channel(uniq('priv'), 'private')).id;
    const root = await alice.say(priv, 'secret');
    await alice.say(priv, 'secret reply', { threadRootId: root.id });
    expectError(await bob.get(`/api/v1/messages/${root.id}/thread`), 404, 'not_found');
    expectError(await bob.get(`/api/v1/messages/${UNKNOWN_ID}/thread`), 404, 'not_found');
    expectError(await bob.get('/api/v1/messages/nope/thread'), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/messages/${root.id}/thread?limit=0`), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/messages/${root.id}/thread?limit=x`), 400, 'invalid_request');
  });
});

describe('following threads', () => {
  it('the replier, the root author and mentioned members follow; bystanders do not', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const dave = await server.user();
    const outsider = await server.user();
    const channelId = await publicChannel(alice, bob, carol, dave);
    const root = await alice.say(channelId, 'root by alice');
    expect((await threadsOf(alice)).has(root.id)).toBe(false); // no replies yet, no thread
    await bob.say(channelId, `reply by bob for @${carol.user.username} and @${outsider.user.username}`, { threadRootId: root.id });

    for (const c of [alice, bob, carol]) {
      const t = (await threadsOf(c)).get(root.id);
      expect(t, c.user.username).toBeDefined();
      expect(t.following).toBe(true);
      expect(t.root).toMatchObject({ id: root.id, replyCount: 1 });
    }
    expect((await threadsOf(dave)).has(root.id)).toBe(false);
    expect((await threadsOf(outsider)).has(root.id)).toBe(false);

    // A later mention in an edit makes dave follow too.
    const reply = await alice.say(channelId, 'another reply', { threadRootId: root.id });
    await alice.patch(`/api/v1/messages/${reply.id}`, { text: `another reply, @${dave.user.username}` });
    expect((await threadsOf(dave)).get(root.id)?.following).toBe(true);
  });

  it('PUT and DELETE /messages/{id}/thread/follow follow and unfollow; an unfollow sticks', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const dave = await server.user();
    const channelId = await publicChannel(alice, bob, dave);
    const root = await alice.say(channelId, 'root');
    await bob.say(channelId, 'reply 1', { threadRootId: root.id });

    const f = await dave.put(`/api/v1/messages/${root.id}/thread/follow`);
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({ following: true, unreadReplies: 0, root: { id: root.id } });
    expect((await threadsOf(dave)).get(root.id)).toMatchObject({ following: true, unreadReplies: 0 });
    // Following twice is the same as once.
    expect((await dave.put(`/api/v1/messages/${root.id}/thread/follow`)).body.following).toBe(true);
    await bob.say(channelId, 'reply 2', { threadRootId: root.id });
    expect(await unreadIn(dave, root.id)).toBe(1);

    const u = await bob.del(`/api/v1/messages/${root.id}/thread/follow`);
    expect(u.status).toBe(200);
    expect(u.body.following).toBe(false);
    expect((await threadsOf(bob)).has(root.id)).toBe(false);
    // Posting again in the thread does not override an explicit unfollow...
    await bob.say(channelId, 'reply 3', { threadRootId: root.id });
    expect((await threadsOf(bob)).has(root.id)).toBe(false);
    // ...but following again does.
    expect((await bob.put(`/api/v1/messages/${root.id}/thread/follow`)).body.following).toBe(true);
    expect((await threadsOf(bob)).get(root.id)?.following).toBe(true);

    // One can follow a thread that has no replies yet, and unfollow one never followed.
    const quiet = await alice.say(channelId, 'quiet root');
    expect((await dave.put(`/api/v1/messages/${quiet.id}/thread/follow`)).body).toMatchObject({ following: true, unreadReplies: 0 });
    expect((await bob.del(`/api/v1/messages/${quiet.id}/thread/follow`)).body.following).toBe(false);
    await alice.say(channelId, 'first', { threadRootId: quiet.id });
    expect(await unreadIn(dave, quiet.id)).toBe(1);
    expect((await threadsOf(bob)).has(quiet.id)).toBe(false);
  });

  it('reading a thread one does not follow does not count as unfollowing it', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const dave = await server.user();
    const erin = await server.user();
    const channelId = await publicChannel(alice, bob, dave, erin);
    const root = await alice.say(channelId, 'root');
    await bob.say(channelId, 'reply 1', { threadRootId: root.id });
    // Opening the thread marks it read without following it...
    const read = await dave.post(`/api/v1/messages/${root.id}/thread/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ following: false, unreadReplies: 0, root: { id: root.id, replyCount: 1 } });
    expect((await erin.post(`/api/v1/messages/${root.id}/thread/read`)).body.following).toBe(false);
    expect((await threadsOf(dave)).has(root.id)).toBe(false);
    // ...so posting in it, or being mentioned in it, still makes one follow it.
    await dave.say(channelId, 'dave replies', { threadRootId: root.id });
    expect((await threadsOf(dave)).get(root.id)).toMatchObject({ following: true, unreadReplies: 0 });
    await bob.say(channelId, `@${erin.user.username} look`, { threadRootId: root.id });
    expect((await threadsOf(erin)).get(root.id)).toMatchObject({ following: true, mentionCount: 1 });
  });

  it('following again after unfollowing starts from now; following twice keeps what is unread', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const root = await alice.say(channelId, 'root');
    await bob.say(channelId, 'reply 1', { threadRootId: root.id });
    expect(await unreadIn(alice, root.id)).toBe(1);
    const again = await alice.put(`/api/v1/messages/${root.id}/thread/follow`);
    expect(again.body).toMatchObject({ following: true, unreadReplies: 1 });
    expect(await unreadIn(alice, root.id)).toBe(1);

    expect((await alice.del(`/api/v1/messages/${root.id}/thread/follow`)).body.following).toBe(false);
    await bob.say(channelId, 'reply 2', { threadRootId: root.id });
    await bob.say(channelId, 'reply 3', { threadRootId: root.id });
    const back = await alice.put(`/api/v1/messages/${root.id}/thread/follow`);
    expect(back.body).toMatchObject({ following: true, unreadReplies: 0, lastReadSeq: 3 });
    await bob.say(channelId, 'reply 4', { threadRootId: root.id });
    expect(await unreadIn(alice, root.id)).toBe(1);
  });

  it('threads of a private channel one left or was removed from are not listed or followed', async () => {
    const owner = await server.user();
    const alice = await server.user();
    const bob = await server.user();
    const priv = (await owner.channel(uniq('priv'), 'private')).id;
    expect((await owner.post(`/api/v1/channels/${priv}/members`, { userIds: [alice.id, bob.id] })).status).toBe(200);

    // Alice wrote a root and left; a later reply does not make her follow it.
    const aliceRoot = await alice.say(priv, 'alice root');
    expect((await alice.post(`/api/v1/channels/${priv}/leave`)).status).toBe(204);
    await bob.say(priv, 'reply after alice left', { threadRootId: aliceRoot.id });
    expect((await threadsOf(alice)).has(aliceRoot.id)).toBe(false);
    expect((await threadsOf(bob)).has(aliceRoot.id)).toBe(true);

    // Bob follows a thread and is removed; it leaves his Threads view.
    const bobRoot = await bob.say(priv, 'bob root');
    await owner.say(priv, 'owner reply', { threadRootId: bobRoot.id });
    expect((await threadsOf(bob)).get(bobRoot.id)).toMatchObject({ following: true, unreadReplies: 1 });
    expect((await owner.del(`/api/v1/channels/${priv}/members/${bob.id}`)).status).toBe(204);
    await owner.say(priv, 'reply after bob was removed', { threadRootId: bobRoot.id });
    const bobs = await threadsOf(bob);
    expect(bobs.has(bobRoot.id)).toBe(false);
    expect(bobs.has(aliceRoot.id)).toBe(false);
    expectError(await bob.get(`/api/v1/messages/${bobRoot.id}/thread`), 404, 'not_found');
    expect((await threadsOf(owner)).get(bobRoot.id)?.following).toBe(true);

    // Threads of a public channel stay readable after leaving it.
    const pub = await publicChannel(owner, alice);
    const pubRoot = await alice.say(pub, 'public root');
    await owner.say(pub, 'reply', { threadRootId: pubRoot.id });
    expect((await alice.post(`/api/v1/channels/${pub}/leave`)).status).toBe(204);
    expect((await threadsOf(alice)).has(pubRoot.id)).toBe(true);
  });

  it('following is refused on replies (400), for non-members (403), hidden or unknown threads (404)', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const pub = await publicChannel(alice);
    const root = await alice.say(pub, 'root');
    const reply = await alice.say(pub, 'reply', { threadRootId: root.id });
    for (const method of ['put', 'del'] as const) {
      expectError(await alice[method](`/api/v1/messages/${reply.id}/thread/follow`), 400, 'invalid_request');
      expectError(await bob[method](`/api/v1/messages/${root.id}/thread/follow`), 403, 'not_a_member');
      expectError(await bob[method](`/api/v1/messages/${UNKNOWN_ID}/thread/follow`), 404, 'not_found');
      expectError(await bob[method]('/api/v1/messages/xyz/thread/follow'), 400, 'invalid_request');
    }
    const priv = (await alice.channel(uniq('priv'), 'private')).id;
    const secret = await alice.say(priv, 'secret');
    expectError(await bob.put(`/api/v1/messages/${secret.id}/thread/follow`), 404, 'not_found');
    expectError(await bob.post(`/api/v1/messages/${secret.id}/thread/read`), 404, 'not_found');
    expect((await threadsOf(bob)).size).toBe(0);
  });

  it('GET /threads lists the most recently active thread first and validates its limit', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const bob = await server.user();
    expect((await bob.post(`/api/v1/channels/${channelId}/join`)).status).toBe(200);
    const first = await alice.say(channelId, 'first root');
    const second = await alice.say(channelId, 'second root');
    await bob.say(channelId, 'r', { threadRootId: first.id });
    await bob.say(channelId, 'r', { threadRootId: second.id });
    await bob.say(channelId, 'r again', { threadRootId: first.id });
    let r = await alice.get('/api/v1/threads');
    const listed = r.body.threads;
    expect(listed.map((t: any) => t.root.id).sort()).toEqual([first.id, second.id].sort());
    // Newest activity first (two replies within one millisecond may come in either order).
    const at = (t: any) => new Date(t.root.lastReplyAt).getTime();
    expect(at(listed[0])).toBeGreaterThanOrEqual(at(listed[1]));
    if (at(listed[0]) > at(listed[1])) expect(listed[0].root.id).toBe(first.id);
    r = await alice.get('/api/v1/threads?limit=1');
    expect(r.body.threads.map((t: any) => t.root.id)).toEqual([listed[0].root.id]);
    expectError(await alice.get('/api/v1/threads?limit=0'), 400, 'invalid_request');
    expectError(await alice.get('/api/v1/threads?limit=100000'), 400, 'invalid_request');
    expectError(await server.request('GET', '/api/v1/threads'), 401, 'unauthorized');
  });
});

describe('unread replies', () => {
  it('count up per follower and POST /messages/{id}/thread/read clears them', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const channelId = await publicChannel(alice, bob, carol);
    const root = await alice.say(channelId, 'root');
    await bob.say(channelId, `reply 1 cc @${carol.user.username}`, { threadRootId: root.id });
    await bob.say(channelId, 'reply 2', { threadRootId: root.id });

    expect((await threadsOf(alice)).get(root.id)).toMatchObject({ unreadReplies: 2, mentionCount: 0 });
    expect((await threadsOf(bob)).get(root.id)).toMatchObject({ unreadReplies: 0, mentionCount: 0 });
    expect((await threadsOf(carol)).get(root.id)).toMatchObject({ unreadReplies: 2, mentionCount: 1 });

    // Replying reads the thread for the replier.
    await carol.say(channelId, 'reply 3 by carol', { threadRootId: root.id });
    expect(await unreadIn(carol, root.id)).toBe(0);
    expect(await unreadIn(alice, root.id)).toBe(3);
    expect(await unreadIn(bob, root.id)).toBe(1);

    const read = await alice.post(`/api/v1/messages/${root.id}/thread/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ following: true, unreadReplies: 0, mentionCount: 0, lastReadSeq: 3, root: { id: root.id } });
    expect(await unreadIn(alice, root.id)).toBe(0);
    expect(await unreadIn(bob, root.id)).toBe(1);

    await bob.say(channelId, `reply 4 @here`, { threadRootId: root.id });
    expect((await threadsOf(alice)).get(root.id)).toMatchObject({ unreadReplies: 1, mentionCount: 1 });
    expect((await threadsOf(carol)).get(root.id)).toMatchObject({ unreadReplies: 1, mentionCount: 1 });
    expect((await bob.post(`/api/v1/messages/${root.id}/thread/read`)).body.unreadReplies).toBe(0);
    // Reading again is harmless.
    expect((await alice.post(`/api/v1/messages/${root.id}/thread/read`)).body.unreadReplies).toBe(0);
    expect((await alice.post(`/api/v1/messages/${root.id}/thread/read`)).body.unreadReplies).toBe(0);
    expect(await unreadIn(carol, root.id)).toBe(1);
  });

  it('deleting an unread reply lowers the count', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const root = await alice.say(channelId, 'root');
    const r1 = await bob.say(channelId, 'reply 1', { threadRootId: root.id });
    await bob.say(channelId, 'reply 2', { threadRootId: root.id });
    expect(await unreadIn(alice, root.id)).toBe(2);
    expect((await bob.del(`/api/v1/messages/${r1.id}`)).status).toBe(204);
    expect(await unreadIn(alice, root.id)).toBe(1);
  });

  it('thread replies do not count as channel unreads', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const root = await alice.say(channelId, 'root');
    expect((await bob.post(`/api/v1/channels/${channelId}/read`)).status).toBe(200);
    await alice.say(channelId, `reply @${bob.user.username}`, { threadRootId: root.id });
    const mine = (await bob.get('/api/v1/channels')).body.channels.find((c: any) => c.id === channelId);
    expect(mine).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });

  it('marking a thread read is refused on a reply (400), for non-members (403) and unknown ids (404)', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice);
    const root = await alice.say(channelId, 'root');
    const reply = await alice.say(channelId, 'reply', { threadRootId: root.id });
    expectError(await alice.post(`/api/v1/messages/${reply.id}/thread/read`), 400, 'invalid_request');
    expectError(await bob.post(`/api/v1/messages/${root.id}/thread/read`), 403, 'not_a_member');
    expectError(await bob.post(`/api/v1/messages/${UNKNOWN_ID}/thread/read`), 404, 'not_found');
    expectError(await bob.post('/api/v1/messages/1/thread/read'), 400, 'invalid_request');
  });
});
