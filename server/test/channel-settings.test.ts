// Channel settings through HTTP: update, archive, read-only, join and leave, mute, and what admins may do.
// Happy paths, denials and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { expectError } from './expect.js';
import { RANDOM_UUID, browseNames, mineById, uniq } from './channel-helpers.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('PATCH /channels/{id}', () => {
  it('lets any member change topic and purpose', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    const r = await bob.patch(`/api/v1/channels/${c.id}`, { topic: 'new topic', purpose: 'new purpose' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ topic: 'new topic', purpose: 'new purpose', name: c.name, memberRole: 'member' });
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body).toMatchObject({ topic: 'new topic', purpose: 'new purpose' });
    const cleared = await bob.patch(`/api/v1/channels/${c.id}`, { topic: '' });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ topic: '', purpose: 'new purpose' });
  });

  it('refuses topic changes from non-members', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const pub = await alice.channel(uniq(), 'public');
    const priv = await alice.channel(uniq(), 'private');
    expectError(await bob.patch(`/api/v1/channels/${pub.id}`, { topic: 'x' }), 403, 'not_a_member');
    expectError(await bob.patch(`/api/v1/channels/${pub.id}`, {}), 403, 'not_a_member');
    expectError(await bob.patch(`/api/v1/channels/${priv.id}`, { topic: 'x' }), 404, 'not_found');
    expectError(await bob.patch(`/api/v1/channels/${priv.id}`, { name: uniq() }), 404, 'not_found');
    expect((await alice.get(`/api/v1/channels/${pub.id}`)).body.topic).toBe('');
  });

  it('lets only owners and admins rename or set read-only', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    expectError(await bob.patch(`/api/v1/channels/${c.id}`, { name: uniq() }), 403, 'forbidden');
    expectError(await bob.patch(`/api/v1/channels/${c.id}`, { readOnly: true }), 403, 'forbidden');
    // A forbidden field spoils the whole patch: the allowed part is not applied either.
    expectError(await bob.patch(`/api/v1/channels/${c.id}`, { topic: 'sneaky', name: uniq() }), 403, 'forbidden');
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body).toMatchObject({ name: c.name, topic: '', readOnly: false });

    const renamed = uniq();
    const r = await alice.patch(`/api/v1/channels/${c.id}`, { name: renamed, readOnly: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: renamed, readOnly: true });
    expect((await bob.get(`/api/v1/channels/${c.id}`)).body).toMatchObject({ name: renamed, readOnly: true });

    const byAdmin = await server.admin.patch(`/api/v1/channels/${c.id}`, { readOnly: false });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.readOnly).toBe(false);
  });

  it('refuses a rename to a taken name, and allows keeping its own name', async () => {
    const alice = await server.user();
    const a = await alice.channel(uniq(), 'public');
    const b = await alice.channel(uniq(), 'private');
    expectError(await alice.patch(`/api/v1/channels/${a.id}`, { name: b.name }), 409, 'channel_name_taken');
    expectError(await alice.patch(`/api/v1/channels/${b.id}`, { name: a.name }), 409, 'channel_name_taken');
    expectError(await alice.patch(`/api/v1/channels/${a.id}`, { name: 'general' }), 409, 'channel_name_taken');
    const same = await alice.patch(`/api/v1/channels/${a.id}`, { name: a.name, topic: 't' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ name: a.name, topic: 't' });
    // The old name is free again after a rename.
    const fresh = uniq();
    expect((await alice.patch(`/api/v1/channels/${a.id}`, { name: fresh })).status).toBe(200);
    expect((await alice.post('/api/v1/channels', { name: a.name, kind: 'public' })).status).toBe(201);
  });

  it('refuses bad names and malformed bodies', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { name: 'Bad Name' }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { name: '' }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { topic: 5 }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { topic: 'x'.repeat(251) }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { readOnly: 'yes' }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { archived: true }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${c.id}`, { kind: 'private' }), 400, 'invalid_request');
    expectError(await alice.patch('/api/v1/channels/nope', { topic: 'x' }), 400, 'invalid_request');
    expectError(await alice.patch(`/api/v1/channels/${RANDOM_UUID}`, { topic: 'x' }), 404, 'not_found');
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body).toMatchObject({ name: c.name, topic: '', readOnly: false });
  });

  it('never renames #general, even for an admin', async () => {
    const general = await server.general();
    const bob = await server.user();
    expectError(await server.admin.patch(`/api/v1/channels/${general}`, { name: uniq() }), 403, 'forbidden');
    expectError(await bob.patch(`/api/v1/channels/${general}`, { name: uniq() }), 403, 'forbidden');
    expect((await server.admin.get(`/api/v1/channels/${general}`)).body.name).toBe('general');
    // Its topic is anyone's to change.
    const t = await bob.patch(`/api/v1/channels/${general}`, { topic: 'company-wide' });
    expect(t.status).toBe(200);
    expect(t.body.topic).toBe('company-wide');
  });
});

describe('archive and unarchive', () => {
  it('lets the owner archive: readable, no posts, not joinable; unarchive restores posting', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    const before = await alice.say(c.id, 'before the archive');

    const a = await alice.post(`/api/v1/channels/${c.id}/archive`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: c.id, archived: true, memberRole: 'owner' });

    expectError(await alice.post(`/api/v1/channels/${c.id}/messages`, { text: 'x' }), 403, 'channel_archived');
    expectError(await bob.post(`/api/v1/channels/${c.id}/messages`, { text: 'x' }), 403, 'channel_archived');
    expectError(await bob.patch(`/api/v1/channels/${c.id}`, { topic: 'x' }), 403, 'channel_archived');
    expectError(await carol.post(`/api/v1/channels/${c.id}/join`), 403, 'channel_archived');
    const read = await bob.get(`/api/v1/channels/${c.id}/messages`);
    expect(read.status).toBe(200);
    expect(read.body.messages.map((m: any) => m.id)).toEqual([before.id]);
    expect((await bob.get(`/api/v1/channels/${c.id}`)).body.archived).toBe(true);
    expect((await carol.get(`/api/v1/channels/${c.id}`)).body.archived).toBe(true);
    expect((await mineById(bob, c.id)).archived).toBe(true);

    // Archiving twice is harmless.
    expect((await alice.post(`/api/v1/channels/${c.id}/archive`)).body.archived).toBe(true);

    const u = await alice.post(`/api/v1/channels/${c.id}/unarchive`);
    expect(u.status).toBe(200);
    expect(u.body.archived).toBe(false);
    await bob.say(c.id, 'back again');
    expect((await carol.post(`/api/v1/channels/${c.id}/join`)).status).toBe(200);
    expect((await alice.post(`/api/v1/channels/${c.id}/unarchive`)).body.archived).toBe(false);
  });

  it('refuses archive and unarchive from plain members and outsiders', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const p = await alice.channel(uniq(), 'private');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    expectError(await bob.post(`/api/v1/channels/${c.id}/archive`), 403, 'forbidden');
    expectError(await carol.post(`/api/v1/channels/${c.id}/archive`), 403, 'forbidden');
    expectError(await carol.post(`/api/v1/channels/${p.id}/archive`), 404, 'not_found');
    await alice.post(`/api/v1/channels/${c.id}/archive`);
    expectError(await bob.post(`/api/v1/channels/${c.id}/unarchive`), 403, 'forbidden');
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body.archived).toBe(true);
    expectError(await bob.post(`/api/v1/channels/${RANDOM_UUID}/archive`), 404, 'not_found');
    expectError(await bob.post('/api/v1/channels/xyz/archive'), 400, 'invalid_request');
  });

  it('never archives #general', async () => {
    const general = await server.general();
    expectError(await server.admin.post(`/api/v1/channels/${general}/archive`), 403, 'forbidden');
    const bob = await server.user();
    expectError(await bob.post(`/api/v1/channels/${general}/archive`), 403, 'forbidden');
    expect((await bob.get(`/api/v1/channels/${general}`)).body.archived).toBe(false);
  });
});

describe('read-only channels', () => {
  it('lets only owners and admins post', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    await server.admin.post(`/api/v1/channels/${c.id}/join`);
    expect((await alice.patch(`/api/v1/channels/${c.id}`, { readOnly: true })).status).toBe(200);

    expectError(await bob.post(`/api/v1/channels/${c.id}/messages`, { text: 'can I?' }), 403, 'channel_read_only');
    await alice.say(c.id, 'announcement from the owner');
    await server.admin.say(c.id, 'announcement from the admin');
    // Members still read and mark read; they just do not post.
    const msgs = await bob.get(`/api/v1/channels/${c.id}/messages`);
    expect(msgs.body.messages).toHaveLength(2);
    expect((await bob.post(`/api/v1/channels/${c.id}/read`, {})).status).toBe(200);

    await alice.patch(`/api/v1/channels/${c.id}`, { readOnly: false });
    await bob.say(c.id, 'now I can');
  });
});

describe('join and leave', () => {
  it('joins a public channel, idempotently', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const j1 = await bob.post(`/api/v1/channels/${c.id}/join`);
    expect(j1.status).toBe(200);
    expect(j1.body).toMatchObject({ id: c.id, memberRole: 'member', memberCount: 2 });
    const j2 = await bob.post(`/api/v1/channels/${c.id}/join`);
    expect(j2.status).toBe(200);
    expect(j2.body).toMatchObject({ id: c.id, memberRole: 'member', memberCount: 2 });
    // Simultaneous joins by one person add them once.
    const carol = await server.user();
    const js = await Promise.all(Array.from({ length: 4 }, () => carol.post(`/api/v1/channels/${c.id}/join`)));
    expect(js.map((j) => j.status)).toEqual([200, 200, 200, 200]);
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body.memberCount).toBe(3);
    await carol.post(`/api/v1/channels/${c.id}/leave`);
    // The owner "joining" again stays owner.
    expect((await alice.post(`/api/v1/channels/${c.id}/join`)).body).toMatchObject({ memberRole: 'owner', memberCount: 2 });
    expect(await mineById(bob, c.id)).toBeTruthy();
    await bob.say(c.id, 'I am in');
  });

  it('answers 404 to a non-member joining a private channel (it is invisible), 200 to a member', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const p = await alice.channel(uniq(), 'private');
    expectError(await bob.post(`/api/v1/channels/${p.id}/join`), 404, 'not_found');
    expect(await mineById(bob, p.id)).toBeUndefined();
    expect((await alice.post(`/api/v1/channels/${p.id}/join`)).status).toBe(200);
    expectError(await bob.post(`/api/v1/channels/${RANDOM_UUID}/join`), 404, 'not_found');
    expectError(await bob.post('/api/v1/channels/bad-id/join'), 400, 'invalid_request');
  });

  it('leaves a channel; the member count follows', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body.memberCount).toBe(2);
    const l = await bob.post(`/api/v1/channels/${c.id}/leave`);
    expect(l.status).toBe(204);
    expect(await mineById(bob, c.id)).toBeUndefined();
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body.memberCount).toBe(1);
    expectError(await bob.post(`/api/v1/channels/${c.id}/messages`, { text: 'x' }), 403, 'not_a_member');
    // Leaving again: no longer a member.
    expectError(await bob.post(`/api/v1/channels/${c.id}/leave`), 403, 'not_a_member');
    // Back through browse.
    expect(await browseNames(bob, c.name)).toEqual([c.name]);
  });

  it('makes a private channel invisible after leaving it', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const p = await alice.channel(uniq(), 'private');
    await alice.post(`/api/v1/channels/${p.id}/members`, { userIds: [bob.id] });
    expect((await bob.get(`/api/v1/channels/${p.id}`)).status).toBe(200);
    expect((await bob.post(`/api/v1/channels/${p.id}/leave`)).status).toBe(204);
    expectError(await bob.get(`/api/v1/channels/${p.id}`), 404, 'not_found');
    expectError(await bob.post(`/api/v1/channels/${p.id}/join`), 404, 'not_found');
    expectError(await bob.post(`/api/v1/channels/${p.id}/leave`), 404, 'not_found');
  });

  it('never lets anyone leave #general', async () => {
    const bob = await server.user();
    const general = await server.general();
    expectError(await bob.post(`/api/v1/channels/${general}/leave`), 403, 'cannot_leave_general');
    expectError(await server.admin.post(`/api/v1/channels/${general}/leave`), 403, 'cannot_leave_general');
    expect(await mineById(bob, general)).toBeTruthy();
  });

  it('refuses leaving a DM', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const dm = await alice.post('/api/v1/dms', { userIds: [bob.id] });
    expectError(await alice.post(`/api/v1/channels/${dm.body.id}/leave`), 403, 'cannot_modify_dm');
    expectError(await bob.post(`/api/v1/channels/${dm.body.id}/leave`), 403, 'cannot_modify_dm');
    expect(await mineById(alice, dm.body.id)).toBeTruthy();
  });
});

describe('mute', () => {
  it('mutes and unmutes a channel for me only', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    const m = await bob.put(`/api/v1/channels/${c.id}/mute`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ id: c.id, muted: true });
    expect((await mineById(bob, c.id)).muted).toBe(true);
    expect((await mineById(alice, c.id)).muted).toBe(false);
    expect((await bob.put(`/api/v1/channels/${c.id}/mute`)).body.muted).toBe(true);
    const u = await bob.del(`/api/v1/channels/${c.id}/mute`);
    expect(u.status).toBe(200);
    expect(u.body.muted).toBe(false);
    expect((await mineById(bob, c.id)).muted).toBe(false);
  });

  it('refuses muting a channel I am not in', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const p = await alice.channel(uniq(), 'private');
    expectError(await bob.put(`/api/v1/channels/${c.id}/mute`), 403, 'not_a_member');
    expectError(await bob.del(`/api/v1/channels/${c.id}/mute`), 403, 'not_a_member');
    expectError(await bob.put(`/api/v1/channels/${p.id}/mute`), 404, 'not_found');
    expectError(await bob.put(`/api/v1/channels/${RANDOM_UUID}/mute`), 404, 'not_found');
    expectError(await bob.put('/api/v1/channels/zzz/mute'), 400, 'invalid_request');
  });
});

describe('admins', () => {
  it('manage a public channel they neither own nor belong to', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const renamed = uniq();
    const r = await server.admin.patch(`/api/v1/channels/${c.id}`, { name: renamed, readOnly: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: renamed, readOnly: true });
    expect(r.body).not.toHaveProperty('memberRole');
    const a = await server.admin.post(`/api/v1/channels/${c.id}/archive`);
    expect(a.status).toBe(200);
    expect(a.body.archived).toBe(true);
    expect((await alice.get(`/api/v1/channels/${c.id}`)).body).toMatchObject({ name: renamed, readOnly: true, archived: true });
    const u = await server.admin.post(`/api/v1/channels/${c.id}/unarchive`);
    expect(u.body.archived).toBe(false);
    // Managing does not make the admin a member.
    expect(await mineById(server.admin, c.id)).toBeUndefined();
  });

  it('manage a public channel they belong to but do not own', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await server.admin.post(`/api/v1/channels/${c.id}/join`);
    const renamed = uniq();
    const r = await server.admin.patch(`/api/v1/channels/${c.id}`, { name: renamed });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: renamed, memberRole: 'member' });
    expect((await server.admin.post(`/api/v1/channels/${c.id}/archive`)).body.archived).toBe(true);
  });

  it('do not see private channels they are not in', async () => {
    const alice = await server.user();
    const p = await alice.channel(uniq(), 'private');
    const admin = server.admin;
    expectError(await admin.get(`/api/v1/channels/${p.id}`), 404, 'not_found');
    expectError(await admin.patch(`/api/v1/channels/${p.id}`, { name: uniq() }), 404, 'not_found');
    expectError(await admin.post(`/api/v1/channels/${p.id}/archive`), 404, 'not_found');
    expectError(await admin.post(`/api/v1/channels/${p.id}/join`), 404, 'not_found');
    expectError(await admin.get(`/api/v1/channels/${p.id}/messages`), 404, 'not_found');
    expectError(await admin.get(`/api/v1/channels/${p.id}/members`), 404, 'not_found');
    expectError(await admin.post(`/api/v1/channels/${p.id}/members`, { userIds: [admin.id] }), 404, 'not_found');
    expect(await browseNames(admin, p.name)).toEqual([]);
  });

  it('a promoted member gains the admin powers', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expectError(await bob.post(`/api/v1/channels/${c.id}/archive`), 403, 'forbidden');
    expect((await server.admin.patch(`/api/v1/users/${bob.id}`, { role: 'admin' })).status).toBe(200);
    expect((await bob.post(`/api/v1/channels/${c.id}/archive`)).body.archived).toBe(true);
  });
});
