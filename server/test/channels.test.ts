// Endpoint tests for /channels: create, list, browse and read. Happy paths, denials and bad input.
// (Updates, archiving, read-only, join/leave, mute and admins are in channel-settings.test.ts.)
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { expectError } from './expect.js';
import { MEMBERSHIP_FIELDS, RANDOM_UUID, browseNames, mineById, uniq } from './channel-helpers.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('POST /channels', () => {
  it('creates a public channel whose creator is its owner', async () => {
    const alice = await server.user();
    const name = uniq();
    const r = await alice.post('/api/v1/channels', { name, kind: 'public', topic: 'the topic', purpose: 'the purpose' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'public', name, topic: 'the topic', purpose: 'the purpose', archived: false, readOnly: false, isGeneral: false,
      createdBy: alice.id, memberCount: 1, dmUserIds: null, memberRole: 'owner', muted: false, unreadCount: 0,
      mentionCount: 0, lastReadMessageId: null, lastReadSeq: 0,
    });
    expect(r.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(r.body.createdAt).toISOString()).toBe(r.body.createdAt);
    const members = await alice.get(`/api/v1/channels/${r.body.id}/members`);
    expect(members.body.members).toEqual([expect.objectContaining({ userId: alice.id, role: 'owner' })]);
  });

  it('creates a private channel, defaulting topic and purpose to empty', async () => {
    const alice = await server.user();
    const name = uniq();
    const r = await alice.post('/api/v1/channels', { name, kind: 'private' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'private', name, topic: '', purpose: '', memberRole: 'owner', memberCount: 1 });
  });

  it('accepts lowercase slugs with digits, dashes and underscores', async () => {
    const alice = await server.user();
    for (const name of [`a${randomBytes(3).toString('hex')}`, `9_${randomBytes(3).toString('hex')}-x`]) {
      const r = await alice.post('/api/v1/channels', { name, kind: 'public' });
      expect(r.status).toBe(201);
      expect(r.body.name).toBe(name);
    }
  });

  it('refuses names that are not lowercase slugs', async () => {
    const alice = await server.user();
    for (const name of ['Bad Name', 'UPPER', 'Mixed-case', 'has space', '-leading-dash', '_leading', 'dot.name', 'émoji', '#hash', 'a'.repeat(81)]) {
      const r = await alice.post('/api/v1/channels', { name, kind: 'public' });
      expectError(r, 400, 'invalid_request');
    }
    const mine = await alice.get('/api/v1/channels');
    expect(mine.body.channels.map((c: any) => c.name)).toEqual(['general']);
  });

  it('refuses malformed bodies', async () => {
    const alice = await server.user();
    const bad: unknown[] = [
      {},
      { name: uniq() },
      { kind: 'public' },
      { name: '', kind: 'public' },
      { name: uniq(), kind: 'dm' },
      { name: uniq(), kind: 'group' },
      { name: uniq(), kind: 'secret' },
      { name: 5, kind: 'public' },
      { name: uniq(), kind: 'public', topic: 5 },
      { name: uniq(), kind: 'public', topic: 'x'.repeat(251) },
      { name: uniq(), kind: 'public', purpose: 'x'.repeat(251) },
      { name: uniq(), kind: 'public', extra: true },
      [],
      'null',
    ];
    for (const body of bad) {
      const r = await alice.post('/api/v1/channels', body);
      expectError(r, 400, 'invalid_request');
    }
    const broken = await alice.req('POST', '/api/v1/channels', '{"name": "x",', { 'content-type': 'application/json' });
    expectError(broken, 400, 'invalid_json');
  });

  it('refuses a taken name with 409, across public and private', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const pub = uniq();
    const priv = uniq();
    await alice.channel(pub, 'public');
    await alice.channel(priv, 'private');
    expectError(await alice.post('/api/v1/channels', { name: pub, kind: 'public' }), 409, 'channel_name_taken');
    expectError(await bob.post('/api/v1/channels', { name: pub, kind: 'private' }), 409, 'channel_name_taken');
    // Bob cannot see the private channel, but its name is still taken.
    expectError(await bob.post('/api/v1/channels', { name: priv, kind: 'public' }), 409, 'channel_name_taken');
    expectError(await bob.post('/api/v1/channels', { name: priv, kind: 'private' }), 409, 'channel_name_taken');
    expectError(await bob.post('/api/v1/channels', { name: 'general', kind: 'public' }), 409, 'channel_name_taken');
  });

  it('gives a name to exactly one of two simultaneous creators', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const name = uniq();
    const rs = await Promise.all([
      alice.post('/api/v1/channels', { name, kind: 'public' }),
      bob.post('/api/v1/channels', { name, kind: 'private' }),
    ]);
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(rs.find((r) => r.status === 409)!.body.error.code).toBe('channel_name_taken');
  });

  it('needs a session', async () => {
    const r = await server.request('POST', '/api/v1/channels', { name: uniq(), kind: 'public' });
    expectError(r, 401, 'unauthorized');
    const bad = await server.request('POST', '/api/v1/channels', { name: uniq(), kind: 'public' }, { authorization: 'Bearer nope' });
    expectError(bad, 401, 'unauthorized');
  });
});

describe('GET /channels', () => {
  it('lists my channels (general first), not channels I am not in', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const a = await alice.channel(uniq(), 'public');
    const p = await alice.channel(uniq(), 'private');
    const other = await bob.channel(uniq(), 'public');
    const r = await alice.get('/api/v1/channels');
    expect(r.status).toBe(200);
    const ids = r.body.channels.map((c: any) => c.id);
    expect(r.body.channels[0]).toMatchObject({ name: 'general', isGeneral: true, memberRole: 'member' });
    expect(ids).toContain(a.id);
    expect(ids).toContain(p.id);
    expect(ids).not.toContain(other.id);
    expect(ids).toHaveLength(3);
    for (const c of r.body.channels) {
      for (const f of MEMBERSHIP_FIELDS) expect(c).toHaveProperty(f);
    }
  });

  it('counts unread messages and mentions, and tracks the last read message', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    expect(await mineById(bob, c.id)).toMatchObject({ unreadCount: 0, mentionCount: 0, lastReadMessageId: null, lastReadSeq: 0 });

    const m1 = await alice.say(c.id, 'hello everyone');
    const m2 = await alice.say(c.id, `hey @${bob.user.username} look`);
    const m3 = await alice.say(c.id, 'and a third one');
    expect(await mineById(bob, c.id)).toMatchObject({ unreadCount: 3, mentionCount: 1, lastReadMessageId: null });
    // The author's own messages are never unread: posting reads up to them.
    expect(await mineById(alice, c.id)).toMatchObject({ unreadCount: 0, mentionCount: 0, lastReadMessageId: m3.id });

    const read = await bob.post(`/api/v1/channels/${c.id}/read`, { messageId: m2.id });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ unreadCount: 1, mentionCount: 0, lastReadMessageId: m2.id, lastReadSeq: m2.seq });
    expect(await mineById(bob, c.id)).toMatchObject({ unreadCount: 1, mentionCount: 0, lastReadMessageId: m2.id, lastReadSeq: m2.seq });
    expect(m1.seq).toBeLessThan(m2.seq);

    await bob.post(`/api/v1/channels/${c.id}/read`, {});
    expect(await mineById(bob, c.id)).toMatchObject({ unreadCount: 0, mentionCount: 0, lastReadMessageId: m3.id });

    const mine = await bob.say(c.id, 'my reply');
    expect(await mineById(bob, c.id)).toMatchObject({ unreadCount: 0, lastReadMessageId: mine.id });
    expect(await mineById(alice, c.id)).toMatchObject({ unreadCount: 1, mentionCount: 0 });
  });

  it('counts @channel as a mention of every member', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await bob.post(`/api/v1/channels/${c.id}/join`);
    await alice.say(c.id, 'attention @channel');
    expect(await mineById(bob, c.id)).toMatchObject({ unreadCount: 1, mentionCount: 1 });
  });

  it('refuses marking read a message of another channel', async () => {
    const alice = await server.user();
    const a = await alice.channel(uniq(), 'public');
    const b = await alice.channel(uniq(), 'public');
    const m = await alice.say(b.id, 'elsewhere');
    expectError(await alice.post(`/api/v1/channels/${a.id}/read`, { messageId: m.id }), 400, 'invalid_request');
    expectError(await alice.post(`/api/v1/channels/${a.id}/read`, { messageId: 'nope' }), 400, 'invalid_request');
  });

  it('starts a new member fully read at the newest message', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    await alice.say(c.id, 'one');
    const last = await alice.say(c.id, 'two');
    const bob = await server.user();
    const j = await bob.post(`/api/v1/channels/${c.id}/join`);
    expect(j.status).toBe(200);
    expect(j.body).toMatchObject({ unreadCount: 0, mentionCount: 0, lastReadMessageId: last.id, memberRole: 'member' });
  });
});

describe('GET /channels/browse', () => {
  it('lists public channels I am not in; not private, not archived, not mine', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const tag = randomBytes(4).toString('hex');
    const open = await alice.channel(`open-${tag}`, 'public');
    await alice.channel(`secret-${tag}`, 'private');
    const old = await alice.channel(`old-${tag}`, 'public');
    await bob.channel(`bobs-${tag}`, 'public');
    expect((await alice.post(`/api/v1/channels/${old.id}/archive`)).status).toBe(200);

    expect(await browseNames(bob, tag)).toEqual([`open-${tag}`]);
    expect(await browseNames(alice, tag)).toEqual([`bobs-${tag}`]);
    const all = await bob.get('/api/v1/channels/browse');
    expect(all.status).toBe(200);
    for (const c of all.body.channels) {
      expect(c.kind).toBe('public');
      expect(c.archived).toBe(false);
      expect(c).not.toHaveProperty('memberRole');
    }
    expect(all.body.channels.map((c: any) => c.name)).not.toContain('general');

    await bob.post(`/api/v1/channels/${open.id}/join`);
    expect(await browseNames(bob, tag)).toEqual([]);
  });

  it('matches the query against name, topic and purpose, case-insensitively and literally', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const tag = randomBytes(4).toString('hex');
    await alice.post('/api/v1/channels', { name: `n-${tag}`, kind: 'public' });
    await alice.post('/api/v1/channels', { name: uniq(), kind: 'public', topic: `Topic ${tag.toUpperCase()} here` });
    await alice.post('/api/v1/channels', { name: uniq(), kind: 'public', purpose: `purpose ${tag}` });
    expect(await browseNames(bob, tag)).toHaveLength(3);
    expect(await browseNames(bob, tag.toUpperCase())).toHaveLength(3);
    expect(await browseNames(bob, `  ${tag}  `)).toHaveLength(3);
    expect(await browseNames(bob, `${tag}%`)).toEqual([]);
    expect(await browseNames(bob, '100%_\\')).toEqual([]);
  });

  it('validates its query string', async () => {
    const alice = await server.user();
    expectError(await alice.get('/api/v1/channels/browse?limit=0'), 400, 'invalid_request');
    expectError(await alice.get('/api/v1/channels/browse?limit=501'), 400, 'invalid_request');
    expectError(await alice.get('/api/v1/channels/browse?limit=abc'), 400, 'invalid_request');
    expectError(await alice.get(`/api/v1/channels/browse?query=${'x'.repeat(101)}`), 400, 'invalid_request');
    const r = await alice.get('/api/v1/channels/browse?limit=1');
    expect(r.status).toBe(200);
    expect(r.body.channels.length).toBeLessThanOrEqual(1);
  });
});

describe('GET /channels/{id}', () => {
  it('shows a member the channel with their read state', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'private');
    const r = await alice.get(`/api/v1/channels/${c.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: c.id, kind: 'private', memberRole: 'owner', unreadCount: 0 });
  });

  it('shows a public channel to a non-member without membership fields', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'public');
    const r = await bob.get(`/api/v1/channels/${c.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: c.id, name: c.name, kind: 'public', memberCount: 1 });
    for (const f of MEMBERSHIP_FIELDS) expect(r.body).not.toHaveProperty(f);
    // ...and its messages, though bob may not post there.
    await alice.say(c.id, 'visible to all');
    const msgs = await bob.get(`/api/v1/channels/${c.id}/messages`);
    expect(msgs.status).toBe(200);
    expect(msgs.body.messages.map((m: any) => m.text)).toEqual(['visible to all']);
    expectError(await bob.post(`/api/v1/channels/${c.id}/messages`, { text: 'hi' }), 403, 'not_a_member');
  });

  it('answers 404 for a private channel of others, exactly as for an unknown id', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const c = await alice.channel(uniq(), 'private');
    const hidden = await bob.get(`/api/v1/channels/${c.id}`);
    const unknown = await bob.get(`/api/v1/channels/${RANDOM_UUID}`);
    expectError(hidden, 404, 'not_found');
    expectError(unknown, 404, 'not_found');
    expect(hidden.body).toEqual(unknown.body);
    expectError(await bob.get(`/api/v1/channels/${c.id}/messages`), 404, 'not_found');
    expectError(await bob.post(`/api/v1/channels/${c.id}/messages`, { text: 'hi' }), 404, 'not_found');
  });

  it('refuses ids that are not uuids', async () => {
    const alice = await server.user();
    for (const id of ['not-a-uuid', '123', 'general', `${RANDOM_UUID}x`]) {
      expectError(await alice.get(`/api/v1/channels/${id}`), 400, 'invalid_request');
    }
  });

  it('needs a session', async () => {
    const alice = await server.user();
    const c = await alice.channel(uniq(), 'public');
    expectError(await server.request('GET', `/api/v1/channels/${c.id}`), 401, 'unauthorized');
  });
});
