// Endpoint tests for /users: me, profile changes, search, lookups, and admin changes to
// accounts (roles, deactivation). Happy paths, denials and bad input.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { UNKNOWN_ID } from './expect.js';

function expectError(r: Reply, status: number, code: string): void {
  expect({ status: r.status, body: r.body }).toEqual({
    status,
    body: { error: { code, message: expect.any(String) } },
  });
  expect(r.body.error.message.length).toBeGreaterThan(0);
}

const tag = () => randomBytes(4).toString('hex');

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

function login(loginName: string, password = PASSWORD) {
  return server.request<any>('POST', '/api/v1/auth/login', { login: loginName, password });
}

describe('GET /users/me', () => {
  it('returns the signed-in user with their email', async () => {
    const alice = await server.user();
    const r = await alice.get('/api/v1/users/me');
    expect(r.status).toBe(200);
    expect(r.body).toEqual(alice.user);
    expect(r.body.email).toBe(`${alice.user.username}@example.test`);
    expect(r.body.role).toBe('member');
  });

  it('needs a valid session', async () => {
    expectError(await server.request('GET', '/api/v1/users/me'), 401, 'unauthorized');
    expectError(await server.request('GET', '/api/v1/users/me', undefined, { authorization: 'Bearer pst_forged' }), 401, 'unauthorized');
    for (const path of ['/api/v1/users', `/api/v1/users/${UNKNOWN_ID}`, '/api/v1/users/presence']) {
      expectError(await server.request('GET', path), 401, 'unauthorized');
    }
    expectError(await server.request('PATCH', '/api/v1/users/me', { displayName: 'x' }), 401, 'unauthorized');
    expectError(await server.request('PATCH', `/api/v1/users/${UNKNOWN_ID}`, { role: 'admin' }), 401, 'unauthorized');
  });
});

describe('PATCH /users/me', () => {
  it('changes the display name and status', async () => {
    const bob = await server.user();
    const r = await bob.patch('/api/v1/users/me', { displayName: '  Bob the Builder  ', statusText: 'fixing it', statusEmoji: 'hammer' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ...bob.user, displayName: 'Bob the Builder', statusText: 'fixing it', statusEmoji: 'hammer' });
    expect((await bob.get('/api/v1/users/me')).body).toEqual(r.body);
    // Others see the change too.
    const seen = await server.admin.get(`/api/v1/users/${bob.id}`);
    expect(seen.body).toMatchObject({ displayName: 'Bob the Builder', statusText: 'fixing it', statusEmoji: 'hammer' });

    // Clearing the status is allowed; an empty patch changes nothing.
    const cleared = await bob.patch('/api/v1/users/me', { statusText: '', statusEmoji: '' });
    expect(cleared.body).toMatchObject({ displayName: 'Bob the Builder', statusText: '', statusEmoji: '' });
    const same = await bob.patch('/api/v1/users/me', {});
    expect(same.status).toBe(200);
    expect(same.body).toEqual(cleared.body);
  });

  it('refuses bad input and fields a member may not set', async () => {
    const carol = await server.user();
    const bad: unknown[] = [
      { displayName: '' }, { displayName: '   ' }, { displayName: 'd'.repeat(81) }, { displayName: 42 },
      { statusText: 's'.repeat(101) }, { statusEmoji: 'e'.repeat(65) }, { statusText: null },
      { role: 'admin' }, { deactivated: true }, { username: 'renamed' }, { id: UNKNOWN_ID },
      { email: 'not-an-email', currentPassword: PASSWORD }, [], '"x"',
    ];
    for (const body of bad) expectError(await carol.patch('/api/v1/users/me', body), 400, 'invalid_request');
    expectError(await carol.patch('/api/v1/users/me', '{"displayName":'), 400, 'invalid_json');
    // Nothing changed.
    expect((await carol.get('/api/v1/users/me')).body).toEqual(carol.user);
  });

  it('changes the email only with the current password', async () => {
    const dan = await server.user();
    const email = `dan-${tag()}@example.test`;
    expectError(await dan.patch('/api/v1/users/me', { email }), 403, 'invalid_credentials');
    expectError(await dan.patch('/api/v1/users/me', { email, currentPassword: 'wrong password here' }), 403, 'invalid_credentials');
    expectError(await dan.patch('/api/v1/users/me', { email, currentPassword: '' }), 403, 'invalid_credentials');
    expect((await dan.get('/api/v1/users/me')).body.email).toBe(dan.user.email);

    const r = await dan.patch('/api/v1/users/me', { email, currentPassword: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body.email).toBe(email);
    expect((await login(email)).status).toBe(200);
    expectError(await login(dan.user.email!), 401, 'invalid_credentials');

    // Changing the case of one's own email is not a conflict.
    const upper = await dan.patch('/api/v1/users/me', { email: email.toUpperCase(), currentPassword: PASSWORD });
    expect(upper.status).toBe(200);
    expect(upper.body.email).toBe(email.toUpperCase());
  });

  it('refuses an email someone else has', async () => {
    const erin = await server.user();
    const frank = await server.user();
    expectError(await erin.patch('/api/v1/users/me', { email: frank.user.email, currentPassword: PASSWORD }), 409, 'email_taken');
    expectError(await erin.patch('/api/v1/users/me', { email: frank.user.email!.toUpperCase(), currentPassword: PASSWORD }), 409, 'email_taken');
    expect((await erin.get('/api/v1/users/me')).body.email).toBe(erin.user.email);
  });

  it('changes the password only with the current one, and only to a strong one', async () => {
    const gina = await server.user();
    const next = 'a brand new passphrase';
    expectError(await gina.patch('/api/v1/users/me', { password: next }), 403, 'invalid_credentials');
    expectError(await gina.patch('/api/v1/users/me', { password: next, currentPassword: next }), 403, 'invalid_credentials');
    expectError(await gina.patch('/api/v1/users/me', { password: 'short', currentPassword: PASSWORD }), 400, 'weak_password');
    expectError(await gina.patch('/api/v1/users/me', { password: `my name is ${gina.user.username}`, currentPassword: PASSWORD }), 400, 'weak_password');
    expect((await login(gina.user.username)).status).toBe(200);

    const r = await gina.patch('/api/v1/users/me', { password: next, currentPassword: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('password');
    expect(JSON.stringify(r.body)).not.toContain('argon2');
    expectError(await login(gina.user.username), 401, 'invalid_credentials');
    expect((await login(gina.user.username, next)).status).toBe(200);
  });
});

describe('seeing other users', () => {
  it('shows email to the user themself and to admins, and null to everyone else', async () => {
    const hal = await server.user();
    const ivy = await server.user();
    const byIvy = await ivy.get(`/api/v1/users/${hal.id}`);
    expect(byIvy.status).toBe(200);
    expect(byIvy.body).toEqual({ ...hal.user, email: null });
    expect((await hal.get(`/api/v1/users/${hal.id}`)).body.email).toBe(hal.user.email);
    expect((await server.admin.get(`/api/v1/users/${hal.id}`)).body.email).toBe(hal.user.email);

    const list = await ivy.get('/api/v1/users?limit=1000');
    expect(list.status).toBe(200);
    for (const u of list.body.users) expect(u.email).toBe(u.id === ivy.id ? ivy.user.email : null);
    const adminList = await server.admin.get('/api/v1/users?limit=1000');
    for (const u of adminList.body.users) expect(u.email).toEqual(expect.stringContaining('@'));
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const jay = await server.user();
    expectError(await jay.get(`/api/v1/users/${UNKNOWN_ID}`), 404, 'not_found');
    for (const id of ['not-a-uuid', '123', `${UNKNOWN_ID}x`, 'x'.repeat(100), '%zz']) {
      expectError(await jay.get(`/api/v1/users/${id}`), 400, 'invalid_request');
      expectError(await server.admin.patch(`/api/v1/users/${id}`, { role: 'admin' }), 400, 'invalid_request');
    }
    // Past the router's parameter length limit the answer is still a 400 error body.
    expectError(await server.admin.patch(`/api/v1/users/${'x'.repeat(150)}`, { role: 'admin' }), 400, 'invalid_request');
  });
});

describe('GET /users?query=', () => {
  it('finds people by username or display name, in any case', async () => {
    const t = tag();
    const a = await server.user(`srch${t}a`);
    const b = await server.user(`srch${t}b`, { displayName: 'Zed Quux' });
    const c = await server.user(`other${t}`, { displayName: `Known as SRCH${t} too` });
    const names = async (who: Client, q: string) => {
      const r = await who.get(`/api/v1/users?query=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      return r.body.users.map((u: any) => u.username).sort();
    };
    expect(await names(a, `srch${t}`)).toEqual([a.user.username, b.user.username, c.user.username].sort());
    expect(await names(a, `SRCH${t}A`)).toEqual([a.user.username]);
    expect(await names(a, `  srch${t}b  `)).toEqual([b.user.username]);
    expect(await names(a, `zed quux`)).toContain(b.user.username);
    expect(await names(a, `nobody-${t}`)).toEqual([]);
    // LIKE wildcards in the query are literal characters.
    expect(await names(a, `srch%${t}`)).toEqual([]);
    expect(await names(a, `srch_${t}`)).toEqual([]);
    // With no query, everyone is listed, ordered by username.
    const all = await a.get('/api/v1/users?limit=1000');
    const usernames = all.body.users.map((u: any) => u.username.toLowerCase());
    expect(usernames).toEqual([...usernames].sort());
    expect(usernames).toEqual(expect.arrayContaining([a.user.username, 'admin']));
  });

  it('honours and validates limit and query length', async () => {
    const t = tag();
    const a = await server.user(`lim${t}a`);
    await server.user(`lim${t}b`);
    const one = await a.get(`/api/v1/users?query=lim${t}&limit=1`);
    expect(one.status).toBe(200);
    expect(one.body.users.map((u: any) => u.username)).toEqual([`lim${t}a`]);
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'limit=-1', 'limit=1.5', `query=${'q'.repeat(101)}`]) {
      expectError(await a.get(`/api/v1/users?${q}`), 400, 'invalid_request');
    }
  });

  it('does not let members find people by their hidden email', async () => {
    const t = tag();
    const secret = await server.user(`plain${t}`, { email: `hidden.${t}@secret.test` });
    const member = await server.user();
    const r = await member.get(`/api/v1/users?query=${encodeURIComponent(`hidden.${t}`)}`);
    expect(r.status).toBe(200);
    expect(r.body.users).toEqual([]);
    // Admins see emails, so they may search by them.
    const byAdmin = await server.admin.get(`/api/v1/users?query=${encodeURIComponent(`hidden.${t}@secret`)}`);
    expect(byAdmin.body.users.map((u: any) => u.id)).toEqual([secret.id]);
  });
});

describe('PATCH /users/{id} (admins)', () => {
  it('refuses members, on others and on themselves', async () => {
    const kim = await server.user();
    const lee = await server.user();
    expectError(await kim.patch(`/api/v1/users/${lee.id}`, { role: 'admin' }), 403, 'forbidden');
    expectError(await kim.patch(`/api/v1/users/${kim.id}`, { role: 'admin' }), 403, 'forbidden');
    expectError(await kim.patch(`/api/v1/users/${lee.id}`, { deactivated: true }), 403, 'forbidden');
    expectError(await kim.patch(`/api/v1/users/${server.admin.id}`, { displayName: 'pwned' }), 403, 'forbidden');
    expect((await kim.get('/api/v1/users/me')).body.role).toBe('member');
    expect((await lee.get('/api/v1/users/me')).body.deactivated).toBe(false);
    expect((await server.admin.get('/api/v1/users/me')).body.displayName).toBe('admin');
  });

  it('promotes a member to admin and back', async () => {
    const max = await server.user();
    expectError(await max.post('/api/v1/invites', {}), 403, 'forbidden');
    const up = await server.admin.patch(`/api/v1/users/${max.id}`, { role: 'admin' });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ id: max.id, role: 'admin', email: max.user.email });
    // The same session now has admin rights.
    expect((await max.post('/api/v1/invites', {})).status).toBe(201);
    expect((await max.get(`/api/v1/users/${server.admin.id}`)).body.email).toBe(server.admin.user.email);

    const down = await server.admin.patch(`/api/v1/users/${max.id}`, { role: 'member' });
    expect(down.body.role).toBe('member');
    expectError(await max.post('/api/v1/invites', {}), 403, 'forbidden');
  });

  it('lets an admin rename a user', async () => {
    const ned = await server.user();
    const r = await server.admin.patch(`/api/v1/users/${ned.id}`, { displayName: 'Edward' });
    expect(r.status).toBe(200);
    expect((await ned.get('/api/v1/users/me')).body.displayName).toBe('Edward');
  });

  it('deactivates a user: their sessions and socket end, login is refused, reactivation restores login', async () => {
    const oz = await server.user();
    const second = (await login(oz.user.username)).body.token as string;
    const ws = await oz.connect();
    const r = await server.admin.patch(`/api/v1/users/${oz.id}`, { deactivated: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: oz.id, deactivated: true });
    expect(await ws.closed).toBe(4001);

    expectError(await oz.get('/api/v1/users/me'), 401, 'unauthorized');
    expectError(await oz.patch('/api/v1/users/me', { displayName: 'still here' }), 401, 'unauthorized');
    expectError(await server.request('GET', '/api/v1/users/me', undefined, { authorization: `Bearer ${second}` }), 401, 'unauthorized');
    expectError(await login(oz.user.username), 403, 'account_deactivated');
    // Others still see the account, marked deactivated.
    expect((await server.admin.get(`/api/v1/users/${oz.id}`)).body.deactivated).toBe(true);

    const back = await server.admin.patch(`/api/v1/users/${oz.id}`, { deactivated: false });
    expect(back.body.deactivated).toBe(false);
    // Old sessions stay ended; a fresh login works.
    expectError(await oz.get('/api/v1/users/me'), 401, 'unauthorized');
    const again = await login(oz.user.username);
    expect(again.status).toBe(200);
    expect(again.body.user.deactivated).toBe(false);
  });

  it('does not let an admin deactivate or demote themself', async () => {
    expectError(await server.admin.patch(`/api/v1/users/${server.admin.id}`, { deactivated: true }), 400, 'invalid_request');
    expectError(await server.admin.patch(`/api/v1/users/${server.admin.id}`, { role: 'member' }), 400, 'invalid_request');
    const me = await server.admin.get('/api/v1/users/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'admin', deactivated: false });
  });

  it('lets one admin deactivate another', async () => {
    const pat = await server.user();
    expect((await server.admin.patch(`/api/v1/users/${pat.id}`, { role: 'admin' })).status).toBe(200);
    const quinn = await server.user();
    expect((await pat.patch(`/api/v1/users/${quinn.id}`, { deactivated: true })).status).toBe(200);
    expect((await server.admin.patch(`/api/v1/users/${pat.id}`, { deactivated: true })).status).toBe(200);
    expectError(await pat.get('/api/v1/users/me'), 401, 'unauthorized');
  });

  it('validates the patch and the target', async () => {
    const rae = await server.user();
    expectError(await server.admin.patch(`/api/v1/users/${UNKNOWN_ID}`, { role: 'admin' }), 404, 'not_found');
    for (const bad of [{ role: 'owner' }, { role: null }, { deactivated: 'yes' }, { deactivated: 1 }, { displayName: '' },
      { displayName: 'd'.repeat(81) }, { email: 'x@y.test' }, { password: 'whatever-long-enough' }]) {
      expectError(await server.admin.patch(`/api/v1/users/${rae.id}`, bad), 400, 'invalid_request');
    }
    expectError(await server.admin.patch(`/api/v1/users/${rae.id}`, '{nope'), 400, 'invalid_json');
    expect((await rae.get('/api/v1/users/me')).body).toEqual(rae.user);
  });
});
