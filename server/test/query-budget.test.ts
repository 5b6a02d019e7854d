// Query budgets on the hot reads: the message list and the channel list take a fixed, small
// number of SQL queries however many messages, reactions or channels there are (no N+1).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];



/** Runs one request and returns it with the number of SQL queries it cost. */
async function measure(run: () => Promise<Reply>): Promise<{ reply: Reply; queries: number }> {
  const before = server.queries;
  const reply = await run();
  return { reply, queries: server.queries - before };
}

/** A channel with `n` messages, each with reactions from two people, and a thread reply on some. */
async function busyChannel(n: number): Promise<{ alice: Client; bob: Client; channelId: string }> {
  const alice = await server.user();
  const bob = await server.user();
  const channelId = (await alice.channel(uniq('busy'))).id;
  expect((await bob.post(`/api/v1/channels/${channelId}/join`)).status).toBe(200);
  for (let i = 0; i < n; i++) {
    const m = await (i % 2 ? bob : alice).say(channelId, `message ${i} @${bob.user.username}`);
    expect((await alice.put(`/api/v1/messages/${m.id}/reactions/thumbsup`)).status).toBe(200);
    expect((await bob.put(`/api/v1/messages/${m.id}/reactions/${i % 3 ? 'tada' : 'thumbsup'}`)).status).toBe(200);
    if (i % 10 === 0) await bob.say(channelId, 'a reply', { threadRootId: m.id });
  }
  return { alice, bob, channelId };
}

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

describe('query budgets', () => {
  it('GET /channels/{id}/messages takes at most 6 queries, the same for 5 and 50 messages with reactions', async () => {
    const few = await busyChannel(5);
    const many = await busyChannel(50);
    // Warm up: a session's last-seen time is refreshed at most once a minute, on some request;
    // let that happen here rather than inside one of the measured requests.
    await few.bob.get(`/api/v1/channels/${few.channelId}/messages`);
    await many.bob.get(`/api/v1/channels/${many.channelId}/messages`);

    const a = await measure(() => few.bob.get(`/api/v1/channels/${few.channelId}/messages?limit=50`));
    const b = await measure(() => many.bob.get(`/api/v1/channels/${many.channelId}/messages?limit=50`));
    expect(a.reply.status).toBe(200);
    expect(b.reply.status).toBe(200);
    expect(a.reply.body.messages).toHaveLength(5);
    expect(b.reply.body.messages).toHaveLength(50);
    for (const m of b.reply.body.messages) {
      expect(m.reactions.reduce((sum: number, r: any) => sum + r.count, 0)).toBe(2);
    }
    expect(a.queries).toBeGreaterThan(0); // the counter is live
    expect(a.queries).toBeLessThanOrEqual(6);
    expect(b.queries).toBeLessThanOrEqual(6);
    expect(b.queries).toBe(a.queries);

    // Paging with before= stays within the budget too.
    const oldest = b.reply.body.messages[0].id;
    const c = await measure(() => many.alice.get(`/api/v1/channels/${many.channelId}/messages?limit=50&before=${oldest}`));
    expect(c.reply.status).toBe(200);
    expect(c.queries).toBeLessThanOrEqual(6);
  });

  it('GET /channels takes at most 3 queries, the same for 1 and 20 channels', async () => {
    const loner = await server.user();
    const busy = await server.user();
    const other = await server.user();
    for (let i = 0; i < 19; i++) {
      const id = (await other.channel(uniq('many'))).id;
      expect((await busy.post(`/api/v1/channels/${id}/join`)).status).toBe(200);
      await other.say(id, `hello @${busy.user.username}`);
    }
    await loner.get('/api/v1/channels');
    await busy.get('/api/v1/channels');

    const a = await measure(() => loner.get('/api/v1/channels'));
    const b = await measure(() => busy.get('/api/v1/channels'));
    expect(a.reply.status).toBe(200);
    expect(b.reply.status).toBe(200);
    expect(a.reply.body.channels).toHaveLength(1); // #general
    expect(b.reply.body.channels).toHaveLength(20);
    expect(b.reply.body.channels.filter((c: any) => c.unreadCount === 1 && c.mentionCount === 1)).toHaveLength(19);
    expect(a.queries).toBeGreaterThan(0);
    expect(a.queries).toBeLessThanOrEqual(3);
    expect(b.queries).toBeLessThanOrEqual(3);
    expect(b.queries).toBe(a.queries);
  });
});
