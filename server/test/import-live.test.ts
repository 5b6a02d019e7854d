// People online during an import (the weeks of running Slack and Parley side by side) see it
// land without reloading: after each committed batch the server tells the members of each
// touched channel, and a client applying those events (then refetching what they mark stale,
// as the web client does) holds what a fresh fetch shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, type ClientState, type ParleyEvent } from '@parley/protocol';
import { importSlack } from '../src/import/slack/run.js';
import { startTestServer, type Client, type Socket, type TestServer } from './harness.js';
import { exportZip, realisticSpec } from './import-helpers.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

/** What the web client holds: its channels, people, followed threads and the pages it loaded. */
async function fetchState(c: Client, loaded: string[]): Promise<ClientState> {
  const [channels, threads, users] = await Promise.all([
    c.get('/api/v1/channels'), c.get('/api/v1/threads'), c.get('/api/v1/users?limit=1000'),
  ]);
  const state: ClientState = { me: c.id, users: {}, channels: {}, messages: {}, threads: {}, replies: {}, presence: {} };
  for (const u of users.body.users) state.users[u.id] = u;
  for (const ch of channels.body.channels) state.channels[ch.id] = ch;
  for (const t of threads.body.threads) state.threads[t.root.id] = t;
  for (const id of loaded) state.messages[id] = (await c.get(`/api/v1/channels/${id}/messages?limit=200`)).body.messages;
  return state;
}

/** Every event on the socket after `from`, up to the marker channel's read.updated (the last one sent). */
async function eventsUntilMarker(c: Client, ws: Socket, marker: string, from: number): Promise<ParleyEvent[]> {
  await c.post(`/api/v1/channels/${marker}/read`);
  await ws.event('read.updated', (d) => d.channelId === marker, { fromIndex: from });
  return ws.frames.slice(from).filter((f) => typeof f.seq === 'number' && f.type !== 'ready')
    .map((f) => ({ type: f.type, data: f.data }) as ParleyEvent);
}

describe('import live updates', () => {
  it('a connected member sees the imported channels, people and read state appear, equal to a fresh fetch', async () => {
    // Alice has a Parley account with her Slack email (she is matched) and reads #general while the import runs.
    const alice = await server.user('alice_live', { email: 'alice@slack.example' });
    const outsider = await server.user('outsider_live');
    const general = await server.general();
    await alice.say(general, 'said in Parley before the import');
    const marker = (await alice.channel('marker-alice-live', 'private')).id;
    const outsiderMarker = (await outsider.channel('marker-outsider-live', 'private')).id;
    const ws = await alice.connect();
    const outsiderWs = await outsider.connect();
    const before = await fetchState(alice, [general]);
    expect(Object.values(before.channels).map((c) => c.name)).not.toContain('secret');
    const start = ws.frames.length;
    const outsiderStart = outsiderWs.frames.length;

    // Small batches: several commits, each announced.
    const report = await importSlack(server.deps, exportZip(realisticSpec()), { batchSize: 2 });
    expect(report.error).toBeNull();

    const events = await eventsUntilMarker(alice, ws, marker, start);
    const imported = events.filter((e) => e.type === 'channel.imported');
    // Per batch, not per message: #general's 12 messages in batches of 2 make a handful of events.
    expect(imported.length).toBeGreaterThan(5);
    expect(imported.length).toBeLessThan(report.kinds.messages.inExport + report.kinds.threadReplies.inExport);
    let state = before;
    for (const e of events) state = applyEvent(state, e);
    // The loaded page of #general is stale now: the client refetches it when it shows the channel.
    expect(state.messages[general]).toBeUndefined();
    // The client refetches its followed threads on channel.imported.
    state = { ...state, threads: (await fetchState(alice, [])).threads };

    const fresh = await fetchState(alice, []);
    expect(state).toEqual({ ...fresh, presence: state.presence });
    const names = Object.values(state.channels).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['general', 'random', 'old-project', 'secret']));
    // Everything imported counts as read, #general's Parley message included.
    for (const c of Object.values(state.channels)) expect({ name: c.name, unread: c.unreadCount, mentions: c.mentionCount }).toMatchObject({ unread: 0, mentions: 0 });
    expect(Object.values(state.users).map((u) => u.username)).toEqual(expect.arrayContaining(['bob', 'dave']));
    // Every account the import created (placeholders of either concurrent conversation included)
    // is announced exactly once, after the commit of the batch that created it.
    const announced = events.filter((e) => e.type === 'user.updated').map((e) => (e.data as { user: { id: string } }).user.id);
    const created = Object.keys(fresh.users).filter((id) => !before.users[id]);
    expect(announced.slice().sort()).toEqual(created.sort());
    const page = (await alice.get(`/api/v1/channels/${general}/messages?limit=200`)).body.messages as Array<{ text: string }>;
    expect(page.map((m) => m.text).join('\n')).toMatch(/late reply|ünïcødé/);

    // Someone in none of the private conversations hears of none of them.
    const theirs = await eventsUntilMarker(outsider, outsiderWs, outsiderMarker, outsiderStart);
    const heard = new Set(theirs.filter((e) => e.type === 'channel.imported').map((e) => (e.data as { channel: { name: string | null } }).channel.name));
    expect([...heard]).toEqual(['general']);
  });

  it('a dry run announces nothing', async () => {
    const watcher = await server.user('watcher_live');
    const marker = (await watcher.channel('marker-watcher-live', 'private')).id;
    const ws = await watcher.connect();
    const start = ws.frames.length;
    const spec = realisticSpec();
    spec.users = spec.users.map((u) => ({ ...u, team_id: 'T02DRY' }));
    await importSlack(server.deps, exportZip(spec), { dryRun: true });
    const events = await eventsUntilMarker(watcher, ws, marker, start);
    expect(events.map((e) => e.type)).toEqual(['read.updated']);
  });
});
