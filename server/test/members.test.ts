// Endpoint tests for /channels/{id}/members: list, add, remove. Happy paths, denials and bad input.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { expectError } from './expect.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

const uniq = (prefix = 'mem') => `${prefix}-${randomBytes(4).toString('hex')}`;
const RANDOM_UUID = '01890a5d-ac96-774b-bcce-b302099a8057';


async function memberIds(c: Client, channelId: string): Promise<string[]> {
  const r = await c.get(`/api/v1/channels/${channelId}/members`);
  expect(r.status).toBe(200);
  return r.body.members.map((m: any) => m.userId).sort();
}

async function memberCount(c: Client, channelId: string): Promise<number> {
  const r = await c.get(`/api/v1/channels/${channelId}`);
  expect(r.status).toBe(200);
  return r.body.memberCount;
}

async function isMember(c: Client, channelId: string): Promise<boolean> {
  const r = await c.get('/api/v1/channels');
  return r.body.channels.some((x: any) => x.id === channelId);
}

describe('GET /channels/{id}/members', () => {
  it('lists members with role and join time, ordered and paged by user id', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    await carol.post(`/api/v1/channels/${c.id}/join`);
    const r = await bob.get(`/api/v1/channels/${c.id}/members`);
    expect(r.status).toBe(200);
    const ids = [alice.id, bob.id, carol.id].sort();
    expect(r.body.members.map((m: any) => m.userId)).toEqual(ids);
    for (const m of r.body.members) {
      expect(m.role).toBe(m.userId === alice.id ? 'owner' : 'member');
      expect(new Date(m.joinedAt).toISOString()).toBe(m.joinedAt);
    }
    const page1 = await bob.get(`/api/v1/channels/${c.id}/members?limit=2`);
    expect(page1.body.members.map((m: any) => m.userId)).toEqual(ids.slice(0, 2));
    const page2 = await bob.get(`/api/v1/channels/${c.id}/members?limit=2&after=${ids[1]}`);
    expect(page2.body.members.map((m: any) => m.userId)).toEqual(ids.slice(2));
  });

  it('shows a public channel\'s members to a non-member', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expect(await memberIds(bob, c.id)).toEqual([alice.id]);
  });

  it('answers 404 to a non-member of a private channel, and for an unknown channel', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const p = await alice.channel(uniq(), 'private');
    const hidden = await bob.get(`/api/v1/channels/${p.id}/members`);
    const unknown = await bob.get(`/api/v1/channels/${RANDOM_UUID}/members`);
    expectError(hidden, 404, 'not_found');
    expectError(unknown, 404, 'not_found');
    expect(hidden.body).toEqual(unknown.body);
    expectError(await server.admin.get(`/api/v1/channels/${p.id}/members`), 404, 'not_found');
  });

  it('lets members of a DM list its people, and nobody else', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const eve = await server.user();
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    expect(await memberIds(bob, dm.id)).toEqual([alice.id, bob.id].sort());
    expectError(await eve.get(`/api/v1/channels/${dm.id}/members`), 404, 'not_found');
  });

  it('validates path and query', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expectError(await alice.get('/api/v1/channels/nope/members'), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/channels/${c.id}/members?after=nope`), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/channels/${c.id}/members?limit=0`), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/channels/${c.id}/members?limit=1001`), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/channels/${c.id}/members?limit=two`), 400, 'invalid_request');
    expectError(await server.request('GET', `/api/v1/channels/${c.id}/members`), 401, 'unauthorized');
  });
});

describe('POST /channels/{id}/members', () => {
  it('adds people, reports who was new, and updates the member count', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const r = await alice.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id, carol.id, bob.id] });
    expect(r.status).toBe(200);
    expect([...r.body.added].sort()).toEqual([bob.id, carol.id].sort());
    expect(await memberIds(alice, c.id)).toEqual([alice.id, bob.id, carol.id].sort());
    expect(await memberCount(alice, c.id)).toBe(3);
    const again = await alice.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id, alice.id] });
    expect(again.status).toBe(200);
    expect(again.body.added).toEqual([]);
    expect(await memberCount(alice, c.id)).toBe(3);
    // The added person now has it, as a plain member, and may post.
    const bobs = (await bob.get(`/api/v1/channels/${c.id}`)).body;
    expect(bobs).toMatchObject({ memberRole: 'member', unreadCount: 0 });
    await bob.say(c.id, 'thanks for adding me');
  });

  it('lets any member of a private channel add people, who then see it', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const p = await alice.channel(uniq(), 'private');
    await alice.say(p.id, 'before carol');
    expectError(await carol.get(`/api/v1/channels/${p.id}`), 404, 'not_found');
    expect((await alice.post(`/api/v1/channels/${p.id}/members`, { userIds: [bob.id] })).status).toBe(200);
    expect((await bob.post(`/api/v1/channels/${p.id}/members`, { userIds: [carol.id] })).body.added).toEqual([carol.id]);
    const seen = await carol.get(`/api/v1/channels/${p.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ kind: 'private', memberRole: 'member', memberCount: 3, unreadCount: 0 });
    expect((await carol.get(`/api/v1/channels/${p.id}/messages`)).body.messages.map((m: any) => m.text)).toEqual(['before carol']);
  });

  it('refuses outsiders: 403 on a public channel, 404 on a private one', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const p = await alice.channel(uniq(), 'private');
    expectError(await bob.post(`/api/v1/channels/${c.id}/members`, { userIds: [carol.id] }), 403, 'not_a_member');
    expectError(await bob.post(`/api/v1/channels/${p.id}/members`, { userIds: [bob.id] }), 404, 'not_found');
    expectError(await bob.post(`/api/v1/channels/${RANDOM_UUID}/members`, { userIds: [bob.id] }), 404, 'not_found');
    expect(await memberIds(alice, c.id)).toEqual([alice.id]);
    expect(await memberIds(alice, p.id)).toEqual([alice.id]);
  });

  it('lets an admin add people to a public channel they are not in', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const r = await server.admin.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id] });
    expect(r.status).toBe(200);
    expect(r.body.added).toEqual([bob.id]);
    expect(await isMember(server.admin, c.id)).toBe(false);
  });

  it('answers 404 for an unknown user and adds nobody', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expectError(await alice.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id, RANDOM_UUID] }), 404, 'not_found');
    expect(await memberIds(alice, c.id)).toEqual([alice.id]);
  });

  it('refuses deactivated users with 400 and adds nobody', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const gone = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expect((await server.admin.patch(`/api/v1/users/${gone.id}`, { deactivated: true })).status).toBe(200);
    expectError(await alice.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id, gone.id] }), 400, 'invalid_request');
    expect(await memberIds(alice, c.id)).toEqual([alice.id]);
  });

  it('refuses malformed bodies', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const bad: unknown[] = [
      {},
      { userIds: [] },
      { userIds: ['not-a-uuid'] },
      { userIds: [bob.id, 'nope'] },
      { userIds: bob.id },
      { userIds: [5] },
      { userIds: [null] },
      { userIds: [bob.id], role: 'owner' },
      { userIds: Array.from({ length: 1001 }, () => bob.id) },
    ];
    for (const body of bad) expectError(await alice.post(`/api/v1/channels/${c.id}/members`, body), 400, 'invalid_request');
    expectError(await alice.post(`/api/v1/channels/${c.id}/members`), 400, 'invalid_request');
    expectError(await alice.req('POST', `/api/v1/channels/${c.id}/members`, '{"userIds": [', { 'content-type': 'application/json' }), 400, 'invalid_json');
    expectError(await alice.post('/api/v1/channels/bad/members', { userIds: [bob.id] }), 400, 'invalid_request');
    expect(await memberIds(alice, c.id)).toEqual([alice.id]);
  });

  it('refuses adding to an archived channel', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await alice.post(`/api/v1/channels/${c.id}/archive`);
    expectError(await alice.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id] }), 403, 'channel_archived');
    expect(await memberIds(alice, c.id)).toEqual([alice.id]);
  });

  it('refuses adding people to a DM or group DM', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const dave = await server.user();
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    const group = (await alice.post('/api/v1/dms', { userIds: [bob.id, carol.id] })).body;
    expectError(await alice.post(`/api/v1/channels/${dm.id}/members`, { userIds: [carol.id] }), 403, 'cannot_modify_dm');
    expectError(await alice.post(`/api/v1/channels/${group.id}/members`, { userIds: [dave.id] }), 403, 'cannot_modify_dm');
    expect(await memberIds(alice, group.id)).toEqual([alice.id, bob.id, carol.id].sort());
  });
});

describe('DELETE /channels/{id}/members/{userId}', () => {
  it('lets the owner remove a member; the count and their view follow', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const p = await alice.channel(uniq(), 'private');
    await alice.post(`/api/v1/channels/${p.id}/members`, { userIds: [bob.id, carol.id] });
    expect(await memberCount(alice, p.id)).toBe(3);
    const r = await alice.del(`/api/v1/channels/${p.id}/members/${bob.id}`);
    expect(r.status).toBe(204);
    expect(await memberIds(alice, p.id)).toEqual([alice.id, carol.id].sort());
    expect(await memberCount(alice, p.id)).toBe(2);
    expect(await isMember(bob, p.id)).toBe(false);
    expectError(await bob.get(`/api/v1/channels/${p.id}`), 404, 'not_found');
    expectError(await bob.post(`/api/v1/channels/${p.id}/messages`, { text: 'still here?' }), 404, 'not_found');
    // Removing someone who is not (or no longer) a member changes nothing.
    expect((await alice.del(`/api/v1/channels/${p.id}/members/${bob.id}`)).status).toBe(204);
    expect(await memberCount(alice, p.id)).toBe(2);
  });

  it('lets an admin remove a member of a public channel they are not in', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    expect((await server.admin.del(`/api/v1/channels/${c.id}/members/${bob.id}`)).status).toBe(204);
    expect(await memberIds(alice, c.id)).toEqual([alice.id]);
    expect(await memberCount(alice, c.id)).toBe(1);
  });

  it('refuses plain members and outsiders', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const eve = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const p = await alice.channel(uniq(), 'private');
    await alice.post(`/api/v1/channels/${c.id}/members`, { userIds: [bob.id, carol.id] });
    expectError(await bob.del(`/api/v1/channels/${c.id}/members/${carol.id}`), 403, 'forbidden');
    expectError(await bob.del(`/api/v1/channels/${c.id}/members/${alice.id}`), 403, 'forbidden');
    expectError(await eve.del(`/api/v1/channels/${c.id}/members/${bob.id}`), 403, 'forbidden');
    expectError(await eve.del(`/api/v1/channels/${p.id}/members/${alice.id}`), 404, 'not_found');
    expectError(await server.admin.del(`/api/v1/channels/${p.id}/members/${alice.id}`), 404, 'not_found');
    expectError(await eve.del(`/api/v1/channels/${RANDOM_UUID}/members/${alice.id}`), 404, 'not_found');
    expect(await memberIds(alice, c.id)).toEqual([alice.id, bob.id, carol.id].sort());
    expect(await memberIds(alice, p.id)).toEqual([alice.id]);
  });

  it('treats removing yourself as leaving', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    expect((await bob.del(`/api/v1/channels/${c.id}/members/${bob.id}`)).status).toBe(204);
    expect(await isMember(bob, c.id)).toBe(false);
    expect(await memberCount(alice, c.id)).toBe(1);
    // ...with leave's rules: not a member any more.
    expectError(await bob.del(`/api/v1/channels/${c.id}/members/${bob.id}`), 403, 'not_a_member');
  });

  it('never removes anyone from #general, nor from a DM', async () => {
    const bob = await server.user();
    const carol = await server.user();
    const general = await server.general();
    expectError(await server.admin.del(`/api/v1/channels/${general}/members/${bob.id}`), 403, 'cannot_leave_general');
    expectError(await bob.del(`/api/v1/channels/${general}/members/${bob.id}`), 403, 'cannot_leave_general');
    expect(await isMember(bob, general)).toBe(true);
    const dm = (await bob.post('/api/v1/dms', { userIds: [carol.id] })).body;
    expectError(await bob.del(`/api/v1/channels/${dm.id}/members/${carol.id}`), 403, 'cannot_modify_dm');
    expectError(await bob.del(`/api/v1/channels/${dm.id}/members/${bob.id}`), 403, 'cannot_modify_dm');
    expect(await memberIds(carol, dm.id)).toEqual([bob.id, carol.id].sort());
  });

  it('validates both ids', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expectError(await alice.del(`/api/v1/channels/${c.id}/members/nope`), 400, 'invalid_request');
    expectError(await alice.del(`/api/v1/channels/nope/members/${alice.id}`), 400, 'invalid_request');
    expectError(await server.request('DELETE', `/api/v1/channels/${c.id}/members/${alice.id}`), 401, 'unauthorized');
  });
});
