// Reactions and pins through HTTP: adding, removing, idempotency, several users, emoji
// validation, and who may do it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID, expectError, uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];



const react = (id: string, emoji: string) => `/api/v1/messages/${id}/reactions/${encodeURIComponent(emoji)}`;
const pin = (id: string) => `/api/v1/messages/${id}/pin`;
const pins = (channelId: string) => `/api/v1/channels/${channelId}/pins`;

async function publicChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('pub'));
  for (const o of others) expect((await o.post(`/api/v1/channels/${ch.id}/join`)).status).toBe(200);
  return ch.id;
}

async function reactionsOf(c: Client, id: string): Promise<any[]> {
  const r = await c.get(`/api/v1/messages/${id}`);
  expect(r.status).toBe(200);
  return r.body.reactions;
}

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

describe('reactions', () => {
  it('PUT adds a reaction and answers the message; twice still counts once', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'react to me');
    const r = await alice.put(react(m.id, 'thumbsup'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: m.id, text: 'react to me' });
    expect(r.body.reactions).toEqual([{ emoji: 'thumbsup', count: 1, userIds: [alice.id] }]);
    const again = await alice.put(react(m.id, 'thumbsup'));
    expect(again.status).toBe(200);
    expect(again.body.reactions).toEqual([{ emoji: 'thumbsup', count: 1, userIds: [alice.id] }]);
    expect(await reactionsOf(alice, m.id)).toEqual([{ emoji: 'thumbsup', count: 1, userIds: [alice.id] }]);
  });

  it('two users on one emoji count 2 with both ids; the history shows it; DELETE takes one back', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const m = await alice.say(channelId, 'vote');
    await alice.put(react(m.id, 'tada'));
    const r = await bob.put(react(m.id, 'tada'));
    expect(r.body.reactions).toEqual([{ emoji: 'tada', count: 2, userIds: [alice.id, bob.id] }]);
    await bob.put(react(m.id, 'eyes'));
    const page = await alice.get(`/api/v1/channels/${channelId}/messages`);
    expect(page.body.messages[0].reactions).toEqual([
      { emoji: 'tada', count: 2, userIds: [alice.id, bob.id] },
      { emoji: 'eyes', count: 1, userIds: [bob.id] },
    ]);

    const d = await alice.del(react(m.id, 'tada'));
    expect(d.status).toBe(200);
    expect(d.body.reactions).toEqual([
      { emoji: 'tada', count: 1, userIds: [bob.id] },
      { emoji: 'eyes', count: 1, userIds: [bob.id] },
    ]);
    // Taking back what is not there changes nothing.
    const d2 = await alice.del(react(m.id, 'tada'));
    expect(d2.status).toBe(200);
    expect(d2.body.reactions).toHaveLength(2);
    await bob.del(react(m.id, 'tada'));
    await bob.del(react(m.id, 'eyes'));
    expect(await reactionsOf(alice, m.id)).toEqual([]);
  });

  it('accepts shortcodes with +, -, _, digits and skin tones', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'emoji zoo');
    for (const emoji of ['+1', '-1', 'thumbs_up', '100', 'wave::skin-tone-3']) {
      const r = await alice.put(react(m.id, emoji));
      expect(r.status, emoji).toBe(200);
    }
    expect((await reactionsOf(alice, m.id)).map((x) => x.emoji)).toEqual(['+1', '-1', 'thumbs_up', '100', 'wave::skin-tone-3']);
    expect((await alice.del(react(m.id, 'wave::skin-tone-3'))).status).toBe(200);
    expect((await reactionsOf(alice, m.id)).map((x) => x.emoji)).toEqual(['+1', '-1', 'thumbs_up', '100']);
  });

  it('refuses emoji that are not shortcodes with 400', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'no nonsense');
    for (const emoji of ['<script>', 'has space', 'a/b', 'x'.repeat(81), 'x'.repeat(65), 'wave::skin-tone-9', '"quoted"', '👍', ':smile:']) {
      expectError(await alice.put(react(m.id, emoji)), 400, 'invalid_request');
      expectError(await alice.del(react(m.id, emoji)), 400, 'invalid_request');
    }
    expectError(await alice.put(react('not-a-uuid', 'thumbsup')), 400, 'invalid_request');
    expect(await reactionsOf(alice, m.id)).toEqual([]);
  });

  it('a non-member gets 403, a hidden or unknown message 404, a deleted one 404', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'members only');
    expectError(await bob.put(react(m.id, 'thumbsup')), 403, 'not_a_member');
    expectError(await bob.del(react(m.id, 'thumbsup')), 403, 'not_a_member');

    const priv = (await alice.channel(uniq('priv'), 'private')).id;
    const secret = await alice.say(priv, 'secret');
    expectError(await bob.put(react(secret.id, 'thumbsup')), 404, 'not_found');
    expectError(await server.admin.put(react(secret.id, 'thumbsup')), 404, 'not_found');
    expectError(await bob.put(react(UNKNOWN_ID, 'thumbsup')), 404, 'not_found');

    const gone = await alice.say(channelId, 'gone');
    expect((await alice.del(`/api/v1/messages/${gone.id}`)).status).toBe(204);
    expectError(await alice.put(react(gone.id, 'thumbsup')), 404, 'not_found');
    expect(await reactionsOf(alice, m.id)).toEqual([]);
    expect(await reactionsOf(alice, secret.id)).toEqual([]);
  });

  it('a message carries at most 50 different emoji, but more people may use one already there', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const m = await alice.say(channelId, 'popular');
    for (let i = 0; i < 50; i++) expect((await alice.put(react(m.id, `e${i}`))).status).toBe(200);
    expectError(await bob.put(react(m.id, 'one_too_many')), 400, 'invalid_request');
    const r = await bob.put(react(m.id, 'e7'));
    expect(r.status).toBe(200);
    expect(r.body.reactions).toHaveLength(50);
    expect(r.body.reactions.find((x: any) => x.emoji === 'e7')).toEqual({ emoji: 'e7', count: 2, userIds: [alice.id, bob.id] });
  });

  it('works on thread replies, and an archived channel takes no reactions', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const root = await alice.say(channelId, 'root');
    const reply = await alice.say(channelId, 'reply', { threadRootId: root.id });
    expect((await alice.put(react(reply.id, 'heart'))).body.reactions).toEqual([{ emoji: 'heart', count: 1, userIds: [alice.id] }]);
    const t = await alice.get(`/api/v1/messages/${root.id}/thread`);
    expect(t.body.replies[0].reactions).toEqual([{ emoji: 'heart', count: 1, userIds: [alice.id] }]);
    expect((await alice.post(`/api/v1/channels/${channelId}/archive`)).status).toBe(200);
    expectError(await alice.put(react(root.id, 'heart')), 403, 'channel_archived');
  });
});

describe('pins', () => {
  it('PUT pins, GET /channels/{id}/pins lists, DELETE unpins', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice, bob);
    const m1 = await alice.say(channelId, 'pin me');
    const m2 = await bob.say(channelId, 'me too');
    await alice.say(channelId, 'not me');
    expect((await alice.get(pins(channelId))).body).toEqual({ messages: [] });

    const p = await bob.put(pin(m1.id));
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ id: m1.id, pinned: true, text: 'pin me' });
    expect((await alice.get(`/api/v1/messages/${m1.id}`)).body.pinned).toBe(true);
    // Pinning twice is the same as once.
    expect((await alice.put(pin(m1.id))).body.pinned).toBe(true);
    await alice.put(pin(m2.id));

    const listed = (await alice.get(pins(channelId))).body.messages;
    expect(listed.map((m: any) => m.id).sort()).toEqual([m1.id, m2.id].sort());
    for (const m of listed) expect(m.pinned).toBe(true);
    // A non-member may read the pins of a public channel.
    const carol = await server.user();
    expect((await carol.get(pins(channelId))).body.messages).toHaveLength(2);

    const u = await alice.del(pin(m1.id));
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({ id: m1.id, pinned: false });
    expect((await alice.del(pin(m1.id))).body.pinned).toBe(false);
    expect((await bob.get(pins(channelId))).body.messages.map((m: any) => m.id)).toEqual([m2.id]);
    expect((await alice.get(`/api/v1/channels/${channelId}/messages`)).body.messages.map((m: any) => m.pinned))
      .toEqual([false, true, false]);
  });

  it('deleting a pinned message drops it from the pins', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'pinned then deleted');
    await alice.put(pin(m.id));
    expect((await alice.del(`/api/v1/messages/${m.id}`)).status).toBe(204);
    expect((await alice.get(pins(channelId))).body.messages).toEqual([]);
    expectError(await alice.put(pin(m.id)), 404, 'not_found');
    expectError(await alice.del(pin(m.id)), 404, 'not_found');
  });

  it('needs membership (403), visibility (404) and valid ids (400)', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const channelId = await publicChannel(alice);
    const m = await alice.say(channelId, 'members pin');
    expectError(await bob.put(pin(m.id)), 403, 'not_a_member');
    expectError(await bob.del(pin(m.id)), 403, 'not_a_member');

    const priv = (await alice.channel(uniq('priv'), 'private')).id;
    const secret = await alice.say(priv, 'secret');
    await alice.put(pin(secret.id));
    expectError(await bob.put(pin(secret.id)), 404, 'not_found');
    expectError(await bob.del(pin(secret.id)), 404, 'not_found');
    expectError(await bob.get(pins(priv)), 404, 'not_found');
    expectError(await server.admin.get(pins(priv)), 404, 'not_found');
    expectError(await bob.put(pin(UNKNOWN_ID)), 404, 'not_found');
    expectError(await bob.get(pins(UNKNOWN_ID)), 404, 'not_found');
    expectError(await bob.put(pin('nope')), 400, 'invalid_request');
    expectError(await bob.get(pins('nope')), 400, 'invalid_request');

    expect((await alice.get(`/api/v1/messages/${m.id}`)).body.pinned).toBe(false);
    expect((await alice.get(pins(priv))).body.messages.map((x: any) => x.id)).toEqual([secret.id]);
  });

  it('an archived channel keeps its pins readable but takes no new ones', async () => {
    const alice = await server.user();
    const channelId = await publicChannel(alice);
    const m1 = await alice.say(channelId, 'one');
    const m2 = await alice.say(channelId, 'two');
    await alice.put(pin(m1.id));
    expect((await alice.post(`/api/v1/channels/${channelId}/archive`)).status).toBe(200);
    expectError(await alice.put(pin(m2.id)), 403, 'channel_archived');
    expect((await alice.get(pins(channelId))).body.messages.map((x: any) => x.id)).toEqual([m1.id]);
  });
});
