// Endpoint tests for POST /dms: DMs and group DMs, found again by their set of people;
// their limits, and who may see them. Happy paths, denials and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { expectError } from './expect.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const RANDOM_UUID = '01890a5d-ac96-774b-bcce-b302099a8057';
const sorted = (ids: string[]) => [...ids].sort();


async function users(n: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < n; i++) out.push(await server.user());
  return out;
}

async function myChannelIds(c: Client): Promise<string[]> {
  const r = await c.get('/api/v1/channels');
  expect(r.status).toBe(200);
  return r.body.channels.map((x: any) => x.id);
}

describe('POST /dms: one-to-one', () => {
  it('creates a DM (201), then finds the same one (200), from either side', async () => {
    const [alice, bob] = await users(2);
    const first = await alice.post('/api/v1/dms', { userIds: [bob.id] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      kind: 'dm', name: null, memberCount: 2, archived: false, readOnly: false, isGeneral: false,
      createdBy: alice.id, memberRole: 'member', unreadCount: 0, mentionCount: 0, lastReadMessageId: null,
    });
    expect(sorted(first.body.dmUserIds)).toEqual(sorted([alice.id, bob.id]));

    const again = await alice.post('/api/v1/dms', { userIds: [bob.id] });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);

    const fromBob = await bob.post('/api/v1/dms', { userIds: [alice.id] });
    expect(fromBob.status).toBe(200);
    expect(fromBob.body.id).toBe(first.body.id);

    // Naming myself too, or someone twice, is the same set of people.
    const explicit = await alice.post('/api/v1/dms', { userIds: [alice.id, bob.id, bob.id] });
    expect(explicit.status).toBe(200);
    expect(explicit.body.id).toBe(first.body.id);

    expect(await myChannelIds(alice)).toContain(first.body.id);
    expect(await myChannelIds(bob)).toContain(first.body.id);
  });

  it('lets both people post and read, with unread counts', async () => {
    const [alice, bob] = await users(2);
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    const m = await alice.say(dm.id, 'psst');
    const seen = await bob.get(`/api/v1/channels/${dm.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ kind: 'dm', unreadCount: 1 });
    const msgs = await bob.get(`/api/v1/channels/${dm.id}/messages`);
    expect(msgs.body.messages.map((x: any) => x.id)).toEqual([m.id]);
    await bob.say(dm.id, 'what?');
  });

  it('finds one DM when both people open it at the same moment', async () => {
    const [alice, bob] = await users(2);
    const [a, b] = await Promise.all([
      alice.post('/api/v1/dms', { userIds: [bob.id] }),
      bob.post('/api/v1/dms', { userIds: [alice.id] }),
    ]);
    expect(sorted([a.status, b.status])).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect((await alice.get(`/api/v1/channels/${a.body.id}`)).body.memberCount).toBe(2);
  });

  it('allows a DM with myself, found again the same way', async () => {
    const [alice] = await users(1);
    const r = await alice.post('/api/v1/dms', { userIds: [alice.id] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'dm', memberCount: 1, dmUserIds: [alice.id] });
    const again = await alice.post('/api/v1/dms', { userIds: [] });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r.body.id);
    await alice.say(r.body.id, 'note to self');
  });

  it('keeps different pairs apart', async () => {
    const [alice, bob, carol] = await users(3);
    const ab = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    const ac = (await alice.post('/api/v1/dms', { userIds: [carol.id] })).body;
    const bc = (await bob.post('/api/v1/dms', { userIds: [carol.id] })).body;
    expect(new Set([ab.id, ac.id, bc.id]).size).toBe(3);
    expect(await myChannelIds(alice)).not.toContain(bc.id);
  });
});

describe('POST /dms: groups', () => {
  it('makes a group of 3 to 8 people, found again whatever the order and whoever asks', async () => {
    const [alice, bob, carol] = await users(3);
    const g = await alice.post('/api/v1/dms', { userIds: [bob.id, carol.id] });
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ kind: 'group', name: null, memberCount: 3, memberRole: 'member' });
    expect(sorted(g.body.dmUserIds)).toEqual(sorted([alice.id, bob.id, carol.id]));

    const reordered = await alice.post('/api/v1/dms', { userIds: [carol.id, bob.id] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.id).toBe(g.body.id);
    const fromCarol = await carol.post('/api/v1/dms', { userIds: [bob.id, alice.id] });
    expect(fromCarol.status).toBe(200);
    expect(fromCarol.body.id).toBe(g.body.id);

    // A subset is a different conversation.
    const pair = await alice.post('/api/v1/dms', { userIds: [bob.id] });
    expect(pair.status).toBe(201);
    expect(pair.body.kind).toBe('dm');
    expect(pair.body.id).not.toBe(g.body.id);
  });

  it('holds up to 8 people, me included', async () => {
    const people = await users(8);
    const [me, ...others] = people;
    const r = await me!.post('/api/v1/dms', { userIds: others.map((o) => o.id) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'group', memberCount: 8 });
    expect(sorted(r.body.dmUserIds)).toEqual(sorted(people.map((p) => p.id)));
    const members = await others[6]!.get(`/api/v1/channels/${r.body.id}/members`);
    expect(members.body.members).toHaveLength(8);
  });

  it('refuses more than 8 people with invalid_dm', async () => {
    const people = await users(9);
    const [me, ...others] = people;
    // Eight others plus me is nine people.
    const nine = await me!.post('/api/v1/dms', { userIds: others.map((o) => o.id) });
    expectError(nine, 400, 'invalid_dm');
    // Nine others (me named too) is still too many, with the same code.
    const named = await me!.post('/api/v1/dms', { userIds: [me!.id, ...others.map((o) => o.id)] });
    expectError(named, 400, 'invalid_dm');
    const many = await me!.post('/api/v1/dms', { userIds: [...others.map((o) => o.id), server.admin.id, RANDOM_UUID] });
    expectError(many, 400, 'invalid_dm');
    // Duplicates do not count twice: this is one other person.
    const dup = await me!.post('/api/v1/dms', { userIds: Array.from({ length: 9 }, () => others[0]!.id) });
    expect(dup.status).toBe(201);
    expect(dup.body.kind).toBe('dm');
    expect((await myChannelIds(me!)).filter((id) => id !== dup.body.id)).toHaveLength(1);
  });

  it('cannot be renamed, archived, joined by others or left', async () => {
    const [alice, bob, carol, eve] = await users(4);
    const g = (await alice.post('/api/v1/dms', { userIds: [bob.id, carol.id] })).body;
    expectError(await alice.patch(`/api/v1/channels/${g.id}`, { name: 'renamed-group' }), 403, 'cannot_modify_dm');
    expectError(await alice.patch(`/api/v1/channels/${g.id}`, { readOnly: true }), 403, 'cannot_modify_dm');
    expectError(await alice.post(`/api/v1/channels/${g.id}/archive`), 403, 'cannot_modify_dm');
    expectError(await server.admin.post(`/api/v1/channels/${g.id}/archive`), 404, 'not_found');
    expectError(await alice.post(`/api/v1/channels/${g.id}/leave`), 403, 'cannot_modify_dm');
    expectError(await eve.post(`/api/v1/channels/${g.id}/join`), 404, 'not_found');
    expect((await alice.get(`/api/v1/channels/${g.id}`)).body).toMatchObject({ name: null, archived: false, memberCount: 3 });
  });
});

describe('POST /dms: who and what', () => {
  it('answers 404 for an unknown user and creates nothing', async () => {
    const [alice, bob] = await users(2);
    const before = await myChannelIds(alice);
    expectError(await alice.post('/api/v1/dms', { userIds: [RANDOM_UUID] }), 404, 'not_found');
    expectError(await alice.post('/api/v1/dms', { userIds: [bob.id, RANDOM_UUID] }), 404, 'not_found');
    expect(await myChannelIds(alice)).toEqual(before);
    expect((await alice.post('/api/v1/dms', { userIds: [bob.id] })).status).toBe(201);
  });

  it('refuses a new DM with a deactivated user, but keeps the existing one readable', async () => {
    const [alice, bob, gone] = await users(3);
    const old = (await alice.post('/api/v1/dms', { userIds: [gone.id] })).body;
    await alice.say(old.id, 'before you left');
    expect((await server.admin.patch(`/api/v1/users/${gone.id}`, { deactivated: true })).status).toBe(200);
    expectError(await alice.post('/api/v1/dms', { userIds: [bob.id, gone.id] }), 400, 'invalid_dm');
    const msgs = await alice.get(`/api/v1/channels/${old.id}/messages`);
    expect(msgs.status).toBe(200);
    expect(msgs.body.messages).toHaveLength(1);
  });

  it('refuses malformed bodies', async () => {
    const [alice, bob] = await users(2);
    const bad: unknown[] = [
      {},
      { userIds: bob.id },
      { userIds: ['nope'] },
      { userIds: [bob.id, 'nope'] },
      { userIds: [42] },
      { userIds: [null] },
      { userIds: [bob.id], kind: 'group' },
      { userIds: Array.from({ length: 5000 }, () => bob.id) },
      [],
    ];
    for (const body of bad) expectError(await alice.post('/api/v1/dms', body), 400, 'invalid_request');
    expectError(await alice.post('/api/v1/dms'), 400, 'invalid_request');
    expectError(await alice.req('POST', '/api/v1/dms', '{"userIds":', { 'content-type': 'application/json' }), 400, 'invalid_json');
    expectError(await server.request('POST', '/api/v1/dms', { userIds: [bob.id] }), 401, 'unauthorized');
  });
});

describe('DM privacy', () => {
  it('hides a DM from everyone outside it, admins included', async () => {
    const [alice, bob, eve] = await users(3);
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    const m = await alice.say(dm.id, 'just between us');
    for (const outsider of [eve, server.admin]) {
      const r = await outsider.get(`/api/v1/channels/${dm.id}`);
      expectError(r, 404, 'not_found');
      expect(r.body).toEqual((await outsider.get(`/api/v1/channels/${RANDOM_UUID}`)).body);
      expectError(await outsider.get(`/api/v1/channels/${dm.id}/messages`), 404, 'not_found');
      expectError(await outsider.post(`/api/v1/channels/${dm.id}/messages`, { text: 'let me in' }), 404, 'not_found');
      expectError(await outsider.get(`/api/v1/channels/${dm.id}/members`), 404, 'not_found');
      expectError(await outsider.get(`/api/v1/messages/${m.id}`), 404, 'not_found');
      expectError(await outsider.post(`/api/v1/channels/${dm.id}/join`), 404, 'not_found');
      expectError(await outsider.put(`/api/v1/channels/${dm.id}/mute`), 404, 'not_found');
      expectError(await outsider.post(`/api/v1/channels/${dm.id}/members`, { userIds: [outsider.id] }), 404, 'not_found');
      expect(await myChannelIds(outsider)).not.toContain(dm.id);
    }
    const browse = await eve.get('/api/v1/channels/browse');
    expect(browse.body.channels.map((c: any) => c.id)).not.toContain(dm.id);
    // And the outsider's own DM with alice is a different channel.
    const own = await eve.post('/api/v1/dms', { userIds: [alice.id] });
    expect(own.status).toBe(201);
    expect(own.body.id).not.toBe(dm.id);
  });

  it('lets DM members mute it', async () => {
    const [alice, bob] = await users(2);
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    const r = await bob.put(`/api/v1/channels/${dm.id}/mute`);
    expect(r.status).toBe(200);
    expect(r.body.muted).toBe(true);
  });
});
