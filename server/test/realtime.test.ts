// WebSocket delivery: who receives what, seq numbering, resume without gaps or duplicates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Socket, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
let general: string;
beforeAll(async () => {
  server = await startTestServer({ config: { resume: { ttlSeconds: 60, maxEvents: 20 }, presence: { awayAfterMs: 600_000, offlineGraceMs: 0 } } });
  general = await server.general();
});
afterAll(async () => { await server?.close(); });

describe('delivery', () => {
  it('numbers events on a connection 1, 2, 3, ... and delivers a post to the other member', async () => {
    const a = await server.user();
    const b = await server.user();
    const ch = await a.channel(`pair-${Date.now()}`);
    await a.post(`/api/v1/channels/${ch.id}/members`, { userIds: [b.id] });
    const ws = await b.connect();
    const m1 = await a.say(ch.id, 'one');
    const m2 = await a.say(ch.id, 'two');
    await ws.event('message.created', (d) => d.message.id === m2.id);
    const created = ws.events('message.created').filter((f) => f.data.message.channelId === ch.id);
    expect(created.map((f) => f.data.message.id)).toEqual([m1.id, m2.id]);
    const seqs = ws.events().map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    await ws.close();
  });

  it("keeps a private channel's events from non-members (three users)", async () => {
    const a = await server.user();
    const b = await server.user();
    const outsider = await server.user();
    const secret = await a.channel(`secret-${Date.now()}`, 'private');
    await a.post(`/api/v1/channels/${secret.id}/members`, { userIds: [b.id] });
    const wsB = await b.connect();
    const wsC = await outsider.connect();
    const hidden = await a.say(secret.id, 'for members only');
    await a.put(`/api/v1/messages/${hidden.id}/reactions/eyes`);
    await a.patch(`/api/v1/channels/${secret.id}`, { topic: 'hush' });
    // A later public message is the sentinel: events arrive in order, so once the outsider
    // has it, anything about the private channel would already have arrived.
    const sentinel = await a.say(general, 'public sentinel');
    await wsC.event('message.created', (d) => d.message.id === sentinel.id);
    await wsB.event('message.created', (d) => d.message.id === sentinel.id);
    const leaked = wsC.frames.filter((f) => JSON.stringify(f).includes(secret.id));
    expect(leaked).toEqual([]);
    expect(wsB.events('message.created').some((f) => f.data.message.id === hidden.id)).toBe(true);
    expect(wsB.events('reaction.added').some((f) => f.data.messageId === hidden.id)).toBe(true);
    expect(wsB.events('channel.updated').some((f) => f.data.channel.topic === 'hush')).toBe(true);
    await wsB.close();
    await wsC.close();
  });

  it('tells every device of a user when one marks a channel read', async () => {
    const a = await server.user();
    const b = await server.user();
    const ch = await a.channel(`devices-${Date.now()}`);
    await b.post(`/api/v1/channels/${ch.id}/join`);
    const phone = await b.connect();
    const laptop = await b.connect();
    const m = await a.say(ch.id, 'unread for b');
    await phone.event('message.created', (d) => d.message.id === m.id);
    const r = await b.post(`/api/v1/channels/${ch.id}/read`, { messageId: m.id });
    expect(r.status).toBe(200);
    for (const ws of [phone, laptop]) {
      const ev = await ws.event('read.updated', (d) => d.channelId === ch.id && d.lastReadMessageId === m.id);
      expect(ev.data.unreadCount).toBe(0);
    }
    await phone.close();
    await laptop.close();
  });

  it('sends typing to other members only, never to the typist or outsiders', async () => {
    const a = await server.user();
    const b = await server.user();
    const outsider = await server.user();
    const ch = await a.channel(`typing-${Date.now()}`, 'private');
    await a.post(`/api/v1/channels/${ch.id}/members`, { userIds: [b.id] });
    const wsA = await a.connect();
    const wsB = await b.connect();
    const wsC = await outsider.connect();
    wsB.send({ type: 'typing', channelId: ch.id });
    const ev = await wsA.event('typing', (d) => d.channelId === ch.id);
    expect(ev.data).toEqual({ channelId: ch.id, threadRootId: null, userId: b.id });
    const sentinel = await a.say(general, 'typing sentinel');
    await wsB.event('message.created', (d) => d.message.id === sentinel.id);
    await wsC.event('message.created', (d) => d.message.id === sentinel.id);
    expect(wsB.events('typing')).toEqual([]);
    expect(wsC.events('typing')).toEqual([]);
    // Typing where one cannot post is not relayed.
    wsC.send({ type: 'typing', channelId: ch.id });
    const sentinel2 = await a.say(general, 'typing sentinel 2');
    await wsA.event('message.created', (d) => d.message.id === sentinel2.id);
    expect(wsA.events('typing').filter((f) => f.data.userId === outsider.id)).toEqual([]);
    await Promise.all([wsA.close(), wsB.close(), wsC.close()]);
  });

  it('sends presence only to connections watching that user', async () => {
    const watcher = await server.user();
    const bystander = await server.user();
    const b = await server.user();
    const ws = await watcher.connect();
    const other = await bystander.connect();
    ws.send({ type: 'presence.subscribe', userIds: [b.id] });
    await ws.next((f) => f.type === 'presence.snapshot');
    const wsB = await b.connect();
    await ws.event('presence.changed', (d) => d.userId === b.id && d.status === 'online');
    const sentinel = await server.admin.say(await server.general(), 'presence sentinel');
    await other.event('message.created', (d) => d.message.id === sentinel.id);
    expect(other.events('presence.changed').filter((f) => f.data.userId === b.id)).toEqual([]);
    await Promise.all([ws.close(), other.close(), wsB.close()]);
  });

  it('announces presence: online on connect, offline when the last socket closes', async () => {
    const watcher = await server.user();
    const b = await server.user();
    const ws = await watcher.connect();
    ws.send({ type: 'presence.subscribe', userIds: [b.id] });
    const snapshot = await ws.next((f) => f.type === 'presence.snapshot');
    expect(snapshot.presence).toEqual({ [b.id]: 'offline' });
    const wsB = await b.connect();
    await ws.event('presence.changed', (d) => d.userId === b.id && d.status === 'online');
    const snap = await watcher.get('/api/v1/users/presence');
    expect(snap.body.presence[b.id]).toBe('online');
    await wsB.close();
    await ws.event('presence.changed', (d) => d.userId === b.id && d.status === 'offline');
    await ws.close();
  });
});

describe('authentication', () => {
  it('refuses a bad token and a first frame that is not auth', async () => {
    await expect(Socket.open(server.wsUrl, { type: 'auth', token: 'pst_nope' })).rejects.toThrow(/unauthorized/);
    await expect(Socket.open(server.wsUrl, { type: 'typing', channelId: general })).rejects.toThrow(/unauthorized/);
  });

  it('handles frames sent right behind auth, before ready', async () => {
    const a = await server.user();
    const b = await server.user();
    const ch = await a.channel(`pipelined-${Date.now()}`);
    await b.post(`/api/v1/channels/${ch.id}/join`);
    const wsA = await a.connect();
    const raw = new (await import('ws')).default(server.wsUrl);
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(JSON.stringify({ type: 'auth', token: b.token }));
    raw.send(JSON.stringify({ type: 'typing', channelId: ch.id }));
    const ev = await wsA.event('typing', (d) => d.channelId === ch.id);
    expect(ev.data.userId).toBe(b.id);
    raw.close();
    await wsA.close();
  });

  it('accepts the session cookie from our own origin only', async () => {
    const u = await server.user();
    const login = await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.username, password: 'correct horse battery staple' });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const ok = await Socket.open(server.wsUrl, { type: 'auth' }, { cookie, origin: server.url });
    expect(ok.connectionId).toMatch(/^[0-9a-f-]{36}$/);
    await ok.close();
    await expect(Socket.open(server.wsUrl, { type: 'auth' }, { cookie, origin: 'http://evil.example' })).rejects.toThrow(/unauthorized/);
  });

  it('closes the sockets of a session that logs out, and only those', async () => {
    const u = await server.user();
    const other = await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.username, password: 'correct horse battery staple' });
    const wsThis = await u.connect();
    const wsOther = await Socket.open(server.wsUrl, { type: 'auth', token: other.body.token });
    const { connectionId, lastSeq } = wsThis;
    expect((await u.post('/api/v1/auth/logout')).status).toBe(204);
    expect(await wsThis.closed).toBe(4001);
    // The ended session cannot resume either.
    await expect(Socket.open(server.wsUrl, { type: 'auth', token: u.token, resume: { connectionId, lastSeq } })).rejects.toThrow(/unauthorized/);
    const m = await server.admin.say(await server.general(), 'still here?');
    await wsOther.event('message.created', (d) => d.message.id === m.id);
    await wsOther.close();
  });

  it('ends the other sessions (and their sockets) when the password changes', async () => {
    const u = await server.user();
    const other = await server.request<any>('POST', '/api/v1/auth/login', { login: u.user.username, password: 'correct horse battery staple' });
    const wsOther = await Socket.open(server.wsUrl, { type: 'auth', token: other.body.token });
    const r = await u.patch('/api/v1/users/me', { password: 'a brand new passphrase', currentPassword: 'correct horse battery staple' });
    expect(r.status).toBe(200);
    expect(await wsOther.closed).toBe(4001);
    expect((await server.request('GET', '/api/v1/users/me', undefined, { authorization: `Bearer ${other.body.token}` })).status).toBe(401);
    expect((await u.get('/api/v1/users/me')).status).toBe(200);
  });

  it('closes the sockets of a deactivated user', async () => {
    const u = await server.user();
    const ws = await u.connect();
    const r = await server.admin.patch(`/api/v1/users/${u.id}`, { deactivated: true });
    expect(r.status).toBe(200);
    expect(await ws.closed).toBe(4001);
  });
});

describe('resume', () => {
  it('replays exactly the missed events after a dropped connection', async () => {
    const a = await server.user();
    const b = await server.user();
    const ch = await a.channel(`resume-${Date.now()}`);
    await b.post(`/api/v1/channels/${ch.id}/join`);
    const ws = await b.connect();
    const before = await a.say(ch.id, 'before the drop');
    await ws.event('message.created', (d) => d.message.id === before.id);
    const { connectionId, lastSeq } = ws;
    await ws.drop();
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await a.say(ch.id, `missed ${i}`));
    const back = await b.connect({ resume: { connectionId, lastSeq } });
    const ready = back.frames[0]!;
    expect(ready).toMatchObject({ type: 'ready', connectionId, resumed: true });
    const after = await a.say(ch.id, 'after the return');
    await back.event('message.created', (d) => d.message.id === after.id);
    const ids = back.events('message.created').filter((f) => f.data.message.channelId === ch.id).map((f) => f.data.message.id);
    expect(ids).toEqual([...missed.map((m) => m.id), after.id]);
    const seqs = back.events().map((f) => f.seq);
    expect(seqs[0]).toBe(lastSeq + 1);
    expect(seqs).toEqual(seqs.map((_, i) => lastSeq + 1 + i));
    await back.close();
  });

  it('replays events that were sent into a socket that was already dead', async () => {
    const a = await server.user();
    const b = await server.user();
    const ch = await a.channel(`halfopen-${Date.now()}`);
    await b.post(`/api/v1/channels/${ch.id}/join`);
    const ws = await b.connect();
    const first = await a.say(ch.id, 'seen');
    await ws.event('message.created', (d) => d.message.id === first.id);
    const lastSeq = ws.lastSeq;
    // The client stops reading but the server does not know yet: these go into a dead socket.
    ws.ws.pause();
    const lost = await a.say(ch.id, 'lost in flight');
    const back = await b.connect({ resume: { connectionId: ws.connectionId, lastSeq } });
    const ev = await back.event('message.created', (d) => d.message.id === lost.id);
    expect(ev.seq).toBe(lastSeq + 1);
    ws.ws.terminate();
    await back.close();
  });

  it('says resync when the connection is unknown or the gap is too old', async () => {
    const b = await server.user();
    const unknown = await b.connect({ resume: { connectionId: '00000000-0000-7000-8000-000000000000', lastSeq: 3 } });
    expect(unknown.frames.slice(0, 2).map((f) => f.type)).toEqual(['resync', 'ready']);
    expect(unknown.frames[1]).toMatchObject({ resumed: false });
    await unknown.close();

    const a = await server.user();
    const ch = await a.channel(`old-${Date.now()}`);
    await b.post(`/api/v1/channels/${ch.id}/join`);
    const ws = await b.connect();
    const { connectionId, lastSeq } = ws;
    await ws.drop();
    // The server holds 20 events per connection in this test; 25 is more than it kept.
    for (let i = 0; i < 25; i++) await a.say(ch.id, `flood ${i}`);
    const back = await b.connect({ resume: { connectionId, lastSeq } });
    expect(back.frames.slice(0, 2).map((f) => f.type)).toEqual(['resync', 'ready']);
    expect(back.connectionId).not.toBe(connectionId);
    await back.close();
  });

  it("cannot resume another user's connection", async () => {
    const a = await server.user();
    const b = await server.user();
    const wsA = await a.connect();
    const { connectionId, lastSeq } = wsA;
    await wsA.drop();
    const stolen = await b.connect({ resume: { connectionId, lastSeq } });
    expect(stolen.frames[0]!.type).toBe('resync');
    expect(stolen.connectionId).not.toBe(connectionId);
    await stolen.close();
  });
});
