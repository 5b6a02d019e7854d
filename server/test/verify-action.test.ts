// verify_action (after Zulip): for each action, a client's state from before, with the
// events the action sent applied by the shared reducer, must equal a fresh fetch. This is
// what catches an event that forgets a field or a recipient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, type ClientState, type ParleyEvent } from '@parley/protocol';
import { startTestServer, type Client, type Socket, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ config: { channelMentionConfirmThreshold: 1000 } }); });
afterAll(async () => { await server?.close(); });

interface Viewer {
  client: Client;
  ws: Socket;
  /** A private channel only this viewer is in: marking it read is the end-of-action marker. */
  marker: string;
}

/** Everything a client would hold, fetched fresh; messages and replies only for what `like` had loaded. */
async function fetchState(c: Client, like?: ClientState): Promise<ClientState> {
  const [channels, threads, users] = await Promise.all([
    c.get('/api/v1/channels'), c.get('/api/v1/threads'), c.get('/api/v1/users?limit=1000'),
  ]);
  const state: ClientState = {
    me: c.id, users: {}, channels: {}, messages: {}, threads: {}, replies: {}, presence: {},
  };
  for (const u of users.body.users) state.users[u.id] = u;
  for (const ch of channels.body.channels) state.channels[ch.id] = ch;
  for (const t of threads.body.threads) state.threads[t.root.id] = t;
  const loadChannels = like ? Object.keys(like.messages) : Object.keys(state.channels);
  for (const id of loadChannels) {
    if (!state.channels[id]) continue;
    const r = await c.get(`/api/v1/channels/${id}/messages?limit=200`);
    state.messages[id] = r.body.messages;
  }
  const roots = like ? Object.keys(like.replies) : Object.values(state.messages).flat().filter((m) => m.replyCount > 0).map((m) => m.id);
  for (const id of roots) {
    const r = await c.get(`/api/v1/messages/${id}/thread`);
    if (r.status === 200 && state.channels[r.body.root.channelId]) state.replies[id] = r.body.replies;
  }
  return state;
}

async function viewer(c: Client): Promise<Viewer> {
  const marker = await c.channel(`marker-${c.user.username}`, 'private');
  return { client: c, ws: await c.connect(), marker: marker.id };
}

/**
 * Runs the action, then has each viewer mark their marker channel read: that read.updated
 * is the last event on their stream, so every event of the action has arrived before it.
 */
async function verifyAction(viewers: Viewer[], action: () => Promise<unknown>): Promise<void> {
  const before = await Promise.all(viewers.map((v) => fetchState(v.client)));
  const start = viewers.map((v) => v.ws.frames.length);
  await action();
  for (const [i, v] of viewers.entries()) {
    await v.client.post(`/api/v1/channels/${v.marker}/read`);
    await v.ws.event('read.updated', (d) => d.channelId === v.marker, { fromIndex: start[i] });
    const events = v.ws.frames.slice(start[i]).filter((f) => typeof f.seq === 'number' && f.type !== 'ready') as unknown as ParleyEvent[];
    let state = before[i]!;
    for (const e of events) state = applyEvent(state, { type: e.type, data: e.data } as ParleyEvent);
    const fresh = await fetchState(v.client, state);
    state = { ...state, presence: {} };
    expect(state, `state of ${v.client.user.username}`).toEqual(fresh);
  }
}

describe('verify_action: events keep client state equal to a fresh fetch', () => {
  let alice: Viewer;
  let bob: Viewer;
  let carol: Client;
  let room: string;
  let general: string;

  beforeAll(async () => {
    alice = await viewer(await server.user('alice_va'));
    bob = await viewer(await server.user('bob_va'));
    carol = await server.user('carol_va');
    general = await server.general();
    room = (await alice.client.channel('va-room')).id;
    await alice.client.post(`/api/v1/channels/${room}/members`, { userIds: [bob.client.id, carol.id] });
  });

  const both = () => [alice, bob];

  it('post, mention, @channel', async () => {
    await verifyAction(both(), () => alice.client.say(room, 'plain'));
    await verifyAction(both(), () => alice.client.say(room, 'hey @bob_va'));
    await verifyAction(both(), () => carol.say(room, '@channel heads up'));
    await verifyAction(both(), () => bob.client.say(room, 'bob speaks'));
  });

  it('threads: reply, mention in a reply, follow, unfollow, read', async () => {
    const root = await alice.client.say(room, 'thread root');
    await verifyAction(both(), () => carol.say(room, 'first reply', { threadRootId: root.id }));
    await verifyAction(both(), () => carol.say(room, 'pulling in @bob_va', { threadRootId: root.id }));
    await verifyAction(both(), () => carol.say(room, 'another', { threadRootId: root.id }));
    await verifyAction(both(), () => bob.client.post(`/api/v1/messages/${root.id}/thread/read`));
    await verifyAction(both(), () => bob.client.del(`/api/v1/messages/${root.id}/thread/follow`));
    await verifyAction(both(), () => bob.client.put(`/api/v1/messages/${root.id}/thread/follow`));
    await verifyAction(both(), () => bob.client.say(room, 'bob replies', { threadRootId: root.id }));
  });

  it('edit (adding and removing a mention), delete top-level and reply', async () => {
    const m = await carol.say(room, 'to be edited');
    await verifyAction(both(), () => carol.patch(`/api/v1/messages/${m.id}`, { text: 'now for @bob_va' }));
    await verifyAction(both(), () => carol.patch(`/api/v1/messages/${m.id}`, { text: 'mention gone' }));
    await verifyAction(both(), () => carol.del(`/api/v1/messages/${m.id}`));
    const mention = await carol.say(room, '@bob_va unread mention');
    await verifyAction(both(), () => carol.del(`/api/v1/messages/${mention.id}`));
    const root = await alice.client.say(room, 'root for deleting a reply');
    const reply = await carol.say(room, 'doomed reply @alice_va', { threadRootId: root.id });
    await verifyAction(both(), () => carol.del(`/api/v1/messages/${reply.id}`));
  });

  it('reactions and pins', async () => {
    const m = await carol.say(room, 'react to me');
    await verifyAction(both(), () => bob.client.put(`/api/v1/messages/${m.id}/reactions/tada`));
    await verifyAction(both(), () => alice.client.put(`/api/v1/messages/${m.id}/reactions/tada`));
    await verifyAction(both(), () => alice.client.put(`/api/v1/messages/${m.id}/reactions/eyes`));
    await verifyAction(both(), () => bob.client.del(`/api/v1/messages/${m.id}/reactions/tada`));
    await verifyAction(both(), () => alice.client.put(`/api/v1/messages/${m.id}/pin`));
    await verifyAction(both(), () => alice.client.del(`/api/v1/messages/${m.id}/pin`));
  });

  it('read state and mute', async () => {
    const m = await carol.say(room, 'read me');
    await verifyAction(both(), () => bob.client.post(`/api/v1/channels/${room}/read`, { messageId: m.id }));
    await verifyAction(both(), () => bob.client.put(`/api/v1/channels/${room}/mute`));
    await verifyAction(both(), () => bob.client.del(`/api/v1/channels/${room}/mute`));
  });

  it('channels: create, update, join, leave, add, remove, archive; DMs', async () => {
    let ch = '';
    await verifyAction(both(), async () => { ch = (await alice.client.channel('va-new')).id; });
    await verifyAction(both(), () => alice.client.patch(`/api/v1/channels/${ch}`, { topic: 'fresh topic', name: 'va-renamed' }));
    await alice.client.say(ch, 'history before bob joins');
    await verifyAction(both(), () => bob.client.post(`/api/v1/channels/${ch}/join`));
    await verifyAction(both(), () => carol.post(`/api/v1/channels/${ch}/join`));
    await verifyAction(both(), () => bob.client.post(`/api/v1/channels/${ch}/leave`));
    await verifyAction(both(), () => alice.client.post(`/api/v1/channels/${ch}/members`, { userIds: [bob.client.id] }));
    await verifyAction(both(), () => alice.client.del(`/api/v1/channels/${ch}/members/${bob.client.id}`));
    await verifyAction(both(), () => alice.client.post(`/api/v1/channels/${ch}/archive`));
    await verifyAction(both(), () => alice.client.post('/api/v1/dms', { userIds: [bob.client.id] }));
    await verifyAction(both(), () => bob.client.post('/api/v1/dms', { userIds: [alice.client.id, carol.id] }));
    await verifyAction(both(), () => alice.client.say(general, 'in general'));
  });

  it('profiles and new users', async () => {
    await verifyAction(both(), () => bob.client.patch('/api/v1/users/me', { displayName: 'Bob B.', statusText: 'lunch', statusEmoji: 'taco' }));
    await verifyAction(both(), () => server.user('dave_va'));
  });
});
