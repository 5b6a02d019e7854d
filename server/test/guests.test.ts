// Guests: invited as guests (or demoted by an admin), they see only the channels they were
// added to, cannot browse, create or join channels, cannot add people, and can open DMs only
// with people who share a channel with them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, Client, type TestServer } from './harness.js';
import { expectError } from './identity-helpers.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

let n = 0;
async function guest(): Promise<Client> {
  const inv = await server.admin.post('/api/v1/invites', { role: 'guest' });
  expect(inv.status).toBe(201);
  const username = `guest${++n}${Date.now() % 100000}`;
  const r = await server.request<any>('POST', '/api/v1/auth/signup', {
    username, email: `${username}@example.test`, password: PASSWORD, inviteToken: inv.body.token,
  });
  expect(r.status).toBe(201);
  return new Client(server, r.body.token, r.body.user);
}

describe('becoming a guest', () => {
  it('a guest invite makes a guest who is in no channel, not even #general', async () => {
    const g = await guest();
    expect(g.user.role).toBe('guest');
    expect((await g.get('/api/v1/users/me')).body.role).toBe('guest');
    expect((await g.get('/api/v1/channels')).body.channels).toEqual([]);
    const general = await server.general();
    expectError(await g.get(`/api/v1/channels/${general}`), 404, 'not_found');
    expectError(await g.get(`/api/v1/channels/${general}/messages`), 404, 'not_found');
  });

  it('only admins make guest invites, and invites refuse other roles', async () => {
    const member = await server.user();
    expectError(await member.post('/api/v1/invites', { role: 'guest' }), 403, 'forbidden');
    expectError(await server.admin.post('/api/v1/invites', { role: 'admin' }), 400, 'invalid_request');
    expectError(await server.admin.post('/api/v1/invites', { role: 'owner' }), 400, 'invalid_request');
  });

  it('an admin can turn a member into a guest and back, but not themself', async () => {
    const m = await server.user();
    const r = await server.admin.patch(`/api/v1/users/${m.id}`, { role: 'guest' });
    expect(r.status).toBe(200);
    expect(r.body.role).toBe('guest');
    expectError(await m.get('/api/v1/channels/browse'), 403, 'guest_restricted');
    expect((await server.admin.patch(`/api/v1/users/${m.id}`, { role: 'member' })).body.role).toBe('member');
    expect((await m.get('/api/v1/channels/browse')).status).toBe(200);
    expectError(await server.admin.patch(`/api/v1/users/${server.admin.id}`, { role: 'guest' }), 400, 'invalid_request');
    expectError(await m.patch(`/api/v1/users/${m.id}`, { role: 'guest' }), 403, 'forbidden');
    expectError(await server.admin.patch(`/api/v1/users/${m.id}`, { role: 'owner' }), 400, 'invalid_request');
  });
});

describe('what a guest sees and does', () => {
  it('sees and uses only the channels they were added to', async () => {
    const owner = await server.user();
    const g = await guest();
    const shared = await owner.channel(`shared-${n}`, 'private');
    const open = await owner.channel(`open-${n}`, 'public');
    const other = await owner.channel(`other-${n}`, 'public');
    expect((await owner.post(`/api/v1/channels/${shared.id}/members`, { userIds: [g.id] })).status).toBe(200);
    expect((await owner.post(`/api/v1/channels/${open.id}/members`, { userIds: [g.id] })).status).toBe(200);

    expect((await g.get('/api/v1/channels')).body.channels.map((c: any) => c.id).sort()).toEqual([shared.id, open.id].sort());
    const m = await g.say(shared.id, 'hello from the guest');
    expect(m.userId).toBe(g.id);
    expect((await g.get(`/api/v1/channels/${open.id}/messages`)).status).toBe(200);
    expect((await g.put(`/api/v1/messages/${m.id}/reactions/wave`)).status).toBe(200);

    // A public channel they were not added to does not exist for them.
    expectError(await g.get(`/api/v1/channels/${other.id}`), 404, 'not_found');
    expectError(await g.get(`/api/v1/channels/${other.id}/messages`), 404, 'not_found');
    expectError(await g.get(`/api/v1/channels/${other.id}/members`), 404, 'not_found');
    expectError(await g.post(`/api/v1/channels/${other.id}/join`), 404, 'not_found');
    const theirs = await owner.say(other.id, 'not for guests');
    expectError(await g.get(`/api/v1/messages/${theirs.id}`), 404, 'not_found');
    expectError(await g.put(`/api/v1/messages/${theirs.id}/reactions/eyes`), 404, 'not_found');
    expectError(await g.post(`/api/v1/channels/${other.id}/messages`, { text: 'hi' }), 404, 'not_found');

    // Removed from a channel, it is gone for them too.
    expect((await owner.del(`/api/v1/channels/${open.id}/members/${g.id}`)).status).toBe(204);
    expectError(await g.get(`/api/v1/channels/${open.id}`), 404, 'not_found');
    expectError(await g.post(`/api/v1/channels/${open.id}/join`), 404, 'not_found');
  });

  it('cannot browse, create channels or add people', async () => {
    const owner = await server.user();
    const g = await guest();
    const c = await owner.channel(`addtest-${n}`, 'public');
    expect((await owner.post(`/api/v1/channels/${c.id}/members`, { userIds: [g.id] })).status).toBe(200);
    expectError(await g.get('/api/v1/channels/browse'), 403, 'guest_restricted');
    expectError(await g.post('/api/v1/channels', { name: `guestmade-${n}`, kind: 'public' }), 403, 'guest_restricted');
    expectError(await g.post('/api/v1/channels', { name: `guestmade-${n}`, kind: 'private' }), 403, 'guest_restricted');
    const outsider = await server.user();
    expectError(await g.post(`/api/v1/channels/${c.id}/members`, { userIds: [outsider.id] }), 403, 'guest_restricted');
    expect((await owner.get(`/api/v1/channels/${c.id}/members`)).body.members.map((m: any) => m.userId)).not.toContain(outsider.id);
    // They can still leave.
    expect((await g.post(`/api/v1/channels/${c.id}/leave`)).status).toBe(204);
  });

  it('opens DMs only with people who share a channel with them', async () => {
    const owner = await server.user();
    const peer = await server.user();
    const stranger = await server.user();
    const g = await guest();
    const c = await owner.channel(`dmtest-${n}`, 'private');
    expect((await owner.post(`/api/v1/channels/${c.id}/members`, { userIds: [g.id, peer.id] })).status).toBe(200);

    expect((await g.post('/api/v1/dms', { userIds: [peer.id] })).status).toBe(201);
    expect((await g.post('/api/v1/dms', { userIds: [peer.id, owner.id] })).status).toBe(201);
    expectError(await g.post('/api/v1/dms', { userIds: [stranger.id] }), 403, 'guest_restricted');
    expectError(await g.post('/api/v1/dms', { userIds: [peer.id, stranger.id] }), 403, 'guest_restricted');
    // A DM someone else opens with the guest works, and the guest may answer in it.
    const dm = await stranger.post('/api/v1/dms', { userIds: [g.id] });
    expect(dm.status).toBe(201);
    expect((await g.say(dm.body.id, 'hi back')).userId).toBe(g.id);
    // But a DM is not a shared channel: it does not open new conversations with others.
    const stranger2 = await server.user();
    expect((await stranger2.post('/api/v1/dms', { userIds: [stranger.id] })).status).toBe(201);
    expectError(await g.post('/api/v1/dms', { userIds: [stranger2.id] }), 403, 'guest_restricted');
  });

  it('finds only the people who share a channel with them', async () => {
    const owner = await server.user();
    const stranger = await server.user();
    const g = await guest();
    const c = await owner.channel(`people-${n}`, 'public');
    expect((await owner.post(`/api/v1/channels/${c.id}/members`, { userIds: [g.id] })).status).toBe(200);
    const found = (await g.get('/api/v1/users?limit=1000')).body.users.map((u: any) => u.id).sort();
    expect(found).toEqual([owner.id, g.id].sort());
    expect((await g.get(`/api/v1/users?query=${stranger.user.username}`)).body.users).toEqual([]);
    expect((await g.get(`/api/v1/users/${owner.id}`)).status).toBe(200);
    expectError(await g.get(`/api/v1/users/${stranger.id}`), 404, 'not_found');
    expectError(await g.get(`/api/v1/users/${server.admin.id}`), 404, 'not_found');
    // Members still see the guest.
    expect((await stranger.get(`/api/v1/users/${g.id}`)).body.role).toBe('guest');
  });
});
