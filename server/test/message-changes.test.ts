// Editing, versions, deleting and mentions through HTTP (posting and history are in messages.test.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID, expectError, uniq, watch } from './expect.js';
import { history, msgs, privateChannel, publicChannel } from './message-helpers.js';

let server: TestServer;
const serverErrors: string[] = [];

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
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
