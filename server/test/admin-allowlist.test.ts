// PARLEY_ADMIN_ALLOWLIST: outside the listed networks an admin keeps member rights and every
// admin action answers 403 admin_address_not_allowed. 127.0.0.2 plays a machine outside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from './harness.js';
import { expectError } from './expect.js';
import { requestAt } from './security-helpers.js';
import { ConfigError, loadConfig } from '../src/config.js';

let server: TestServer;
let member: Client;
beforeAll(async () => {
  // The harness signs the admin up and opens sign-up from 127.0.0.1, inside the list.
  server = await startTestServer({ config: { adminAllowlist: '127.0.0.1/32, 2001:db8::/32' } });
  member = await server.user();
});
afterAll(async () => { await server?.close(); });

const asAdmin = (method: string, path: string, body: unknown, address: string, headers: Record<string, string> = {}) =>
  requestAt(server.url + path, method, body, { authorization: `Bearer ${server.admin.token}`, ...headers }, { address });

describe('admin address allowlist', () => {
  it('refuses every kind of admin action from outside the list, and changes nothing', async () => {
    const general = await server.general();
    const message = await member.say(general, 'a member wrote this');
    const attempts: Array<[string, string, unknown]> = [
      ['PATCH', '/api/v1/workspace', { name: 'Taken over' }],
      ['GET', '/api/v1/admin/storage', undefined],
      ['PATCH', `/api/v1/users/${member.id}`, { role: 'admin' }],
      ['POST', `/api/v1/users/${member.id}/sessions/revoke`, undefined],
      ['POST', `/api/v1/users/${member.id}/password-reset`, {}],
      ['PUT', '/api/v1/2fa/policy', { require: 'everyone', graceDays: 0 }],
      ['GET', '/api/v1/admin/sso', undefined],
      ['POST', '/api/v1/invites', {}],
      ['DELETE', `/api/v1/messages/${message.id}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const r = await asAdmin(method, path, body, '127.0.0.2');
      expect(`${method} ${path} ${r.status} ${r.body?.error?.code}`).toBe(`${method} ${path} 403 admin_address_not_allowed`);
    }
    // Nothing happened: the member is still a member, signed in, and their message is there.
    const me = await member.get('/api/v1/users/me');
    expect(me.status).toBe(200);
    expect(me.body.role ?? me.body.user?.role).toBe('member');
    expect((await server.request('GET', '/api/v1/workspace')).body.name).not.toBe('Taken over');
    expect((await member.get(`/api/v1/channels/${general}/messages`)).body.messages.map((m: any) => m.id)).toContain(message.id);
  });

  it('leaves the admin their member rights outside the list, and admin rights inside it', async () => {
    const general = await server.general();
    expect((await asAdmin('POST', `/api/v1/channels/${general}/messages`, { text: 'from the café' }, '127.0.0.2')).status).toBe(201);
    const inside = await asAdmin('PATCH', '/api/v1/workspace', { name: 'Renamed from the office' }, '127.0.0.1');
    expect(inside.status).toBe(200);
    expect((await server.request('GET', '/api/v1/workspace')).body.name).toBe('Renamed from the office');
  });

  it('ignores a forged X-Forwarded-For naming an allowed address', async () => {
    const r = await asAdmin('GET', '/api/v1/admin/storage', undefined, '127.0.0.2', { 'x-forwarded-for': '127.0.0.1' });
    expectError(r, 403, 'admin_address_not_allowed');
  });

  it('gives members the usual answer: the list concerns admins only', async () => {
    expectError(await member.get('/api/v1/admin/storage'), 403, 'forbidden');
  });
});

describe('admin address allowlist over IPv6', () => {
  it('matches ::1 against IPv6 entries and not against IPv4 ones', async () => {
    const allowed = await startTestServer({ config: { host: '::1', adminAllowlist: '::1/128' } });
    const refused = await startTestServer({ noAdmin: true, config: { host: '::1', adminAllowlist: '127.0.0.0/8' } });
    try {
      expect(allowed.url).toMatch(/^http:\/\/\[::1\]:/);
      expect((await allowed.admin.get('/api/v1/admin/storage')).status).toBe(200);
      const admin = await refused.user('admin');
      expectError(await admin.get('/api/v1/admin/storage'), 403, 'admin_address_not_allowed');
    } finally {
      await Promise.all([allowed.close(), refused.close()]);
    }
  });

  it('stops the server at start on an entry that is not a network', () => {
    expect(() => loadConfig({ PARLEY_ADMIN_ALLOWLIST: '10.0.0.0/8, 10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_ADMIN_ALLOWLIST: 'office' })).toThrow(/PARLEY_ADMIN_ALLOWLIST: "office" is not an IPv4 or IPv6 address/);
    expect(loadConfig({ PARLEY_ADMIN_ALLOWLIST: ' 10.0.0.0/8 ,fd00::/8, 192.0.2.7' }).adminAllowlist).toBe('10.0.0.0/8 ,fd00::/8, 192.0.2.7');
  });
});
