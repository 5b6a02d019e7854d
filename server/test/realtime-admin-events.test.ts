// Events for admins' eyes (alert.raised, user.updated with other people's e-mail) reach only
// connections with admin rights: not an admin outside PARLEY_ADMIN_ALLOWLIST, nor a personal
// access token without the admin scope, which get the member view of user.updated instead.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, testConfig, type Client, type TestServer } from './harness.js';
import { requestAt } from './security-helpers.js';
import { detectorSettled } from './audit-helpers.js';

let server: TestServer;
let member: Client;
beforeAll(async () => {
  const alerts = { ...testConfig().alerts, failedLogins: { threshold: 3, windowMinutes: 5 } };
  server = await startTestServer({ config: { adminAllowlist: '127.0.0.1/32', alerts } });
  member = await server.user();
});
afterAll(async () => { await server?.close(); });

/** A socket authenticated with `token`, opened from `localAddress`; records event frames. */
async function socketFrom(token: string, localAddress: string): Promise<{ frames: any[]; ws: WebSocket }> {
  const ws = new WebSocket(server.wsUrl, { localAddress });
  const frames: any[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  await new Promise<void>((res, rej) => { ws.once('open', () => res()); ws.once('error', rej); });
  ws.send(JSON.stringify({ type: 'auth', token }));
  for (let i = 0; i < 100 && !frames.some((f) => f.type === 'ready' || f.type === 'error'); i++) await new Promise((r) => setTimeout(r, 20));
  expect(frames.find((f) => f.type === 'ready' || f.type === 'error')?.type).toBe('ready');
  return { frames, ws };
}

describe('admin-only events vs. member-rights admin connections', () => {
  it('an admin outside the allowlist (member rights over HTTP) must not receive alert.raised or other people\'s e-mails', async () => {
    // Control: over HTTP from 127.0.0.2 the admin may not read alerts.
    const http = await requestAt(server.url + '/api/v1/admin/alerts', 'GET', undefined, { authorization: `Bearer ${server.admin.token}` }, { address: '127.0.0.2' });
    expect(http.status).toBe(403);

    const outside = await socketFrom(server.admin.token!, '127.0.0.2');
    for (let i = 0; i < 3; i++) await server.request('POST', '/api/v1/auth/login', { login: member.user.username, password: `wrong-${i}` });
    await detectorSettled(server);
    expect((await member.patch('/api/v1/users/me', { displayName: 'Renamed member' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    outside.ws.close();

    const alertFrames = outside.frames.filter((f) => f.type === 'alert.raised');
    const emails = outside.frames.filter((f) => f.type === 'user.updated' && f.data.user.id === member.id).map((f) => f.data.user.email);
    expect({ alertFrames: alertFrames.length, emails }).toEqual({ alertFrames: 0, emails: [null] });
  });

  it('a personal access token without the admin scope must not receive alert.raised', async () => {
    const t = await server.request<any>('POST', '/api/v1/tokens', { name: 'ro', scopes: ['read'] }, { authorization: `Bearer ${server.admin.token}` });
    expect(t.status).toBe(201);
    const ro = await server.request('GET', '/api/v1/admin/alerts', undefined, { authorization: `Bearer ${t.body.secret}` });
    expect(ro.status).toBe(403); // control: the token may not read alerts over HTTP
    const sock = await socketFrom(t.body.secret, '127.0.0.1');
    const victim = await server.user();
    for (let i = 0; i < 3; i++) await server.request('POST', '/api/v1/auth/login', { login: victim.user.username, password: `wrong-${i}` });
    await detectorSettled(server);
    await new Promise((r) => setTimeout(r, 300));
    sock.ws.close();
    expect(sock.frames.filter((f) => f.type === 'alert.raised').map((f) => f.data.alert.summary)).toEqual([]);
  });
});
