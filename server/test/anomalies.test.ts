// Anomaly detection end to end: each kind of anomaly raises exactly one alert per burst, to
// the admins' sockets (never a member's), to GET /admin/alerts, to the audit log and to a
// webhook receiver on loopback; below its threshold it raises nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, Socket, startTestServer, testConfig, type Client, type TestServer } from './harness.js';
import { watch } from './expect.js';
import { bearer } from './identity-helpers.js';
import { WebhookReceiver, detectorSettled, entriesFor, from } from './audit-helpers.js';

const THRESHOLD = 5;
let server: TestServer;
let hook: WebhookReceiver;
let adminWs: Socket;
let member: Client;
let memberWs: Socket;
const serverErrors: string[] = [];

beforeAll(async () => {
  hook = await new WebhookReceiver().start();
  const alerts = {
    ...testConfig().alerts, webhookUrl: hook.url, webhookRetryDelayMs: 20,
    failedLogins: { threshold: THRESHOLD, windowMinutes: 5 }, massDeletion: { threshold: THRESHOLD, windowMinutes: 10 },
  };
  server = watch(await startTestServer({ config: { trustProxy: true, alerts } }), serverErrors);
  adminWs = await server.admin.connect();
  member = await server.user();
  memberWs = await member.connect();
});
afterAll(async () => {
  await server?.close();
  await hook?.close();
});
afterEach(async () => {
  expect(serverErrors.splice(0)).toEqual([]);
  // Whatever was raised, a member never hears of it.
  await detectorSettled(server);
  expect(memberWs.events('alert.raised')).toEqual([]);
});

const hex = () => randomBytes(4).toString('hex');
const failLogin = (login: string, ip: string) => server.request('POST', '/api/v1/auth/login', { login, password: `wrong-${hex()}` }, from(ip));

/** Every stored alert of a kind about an account or an address, as GET /admin/alerts lists them. */
async function alertsAbout(kind: string, about: { actorId?: string; ip?: string }): Promise<any[]> {
  const r = await server.admin.get('/api/v1/admin/alerts?limit=200');
  expect(r.status).toBe(200);
  return r.body.alerts.filter((a: any) => a.kind === kind && (!about.actorId || a.actorId === about.actorId) && (!about.ip || a.ip === about.ip));
}

/** Proves exactly one alert went out everywhere, and returns it. */
async function exactlyOne(kind: string, about: { actorId?: string; ip?: string }): Promise<any> {
  await detectorSettled(server);
  const stored = await alertsAbout(kind, about);
  expect(stored).toHaveLength(1);
  const alert = stored[0];
  expect(adminWs.events('alert.raised').filter((f) => f.data.alert.id === alert.id)).toHaveLength(1);
  expect(hook.bodies.filter((b) => b.alert?.id === alert.id)).toHaveLength(1);
  const [entry] = await entriesFor(server.admin, { action: 'alert.raised', targetId: alert.id });
  expect(entry).toMatchObject({ actorId: null, targetType: 'alert', detail: { kind, severity: alert.severity, summary: alert.summary } });
  return alert;
}

describe('anomaly detection', () => {
  it('raises one failed_login_burst per account at the threshold, and none below it', async () => {
    const victim = await server.user();
    // From a different address each time, so only the per-account count reaches the threshold.
    for (let i = 1; i < THRESHOLD; i++) await failLogin(victim.user.username, `10.71.${i}.1`);
    await detectorSettled(server);
    expect(await alertsAbout('failed_login_burst', { actorId: victim.id })).toEqual([]);

    await failLogin(victim.user.email!, '10.71.99.1');
    const ws = await adminWs.event('alert.raised', (d) => d.alert.kind === 'failed_login_burst' && d.alert.actorId === victim.id);
    const delivered = await hook.next((b) => b.alert?.id === ws.data.alert.id);
    expect(delivered).toMatchObject({ event: 'alert.raised', server: server.deps.config.publicUrl, contentType: 'application/json', method: 'POST' });
    expect(delivered.alert).toEqual(ws.data.alert);
    expect(ws.data.alert).toMatchObject({ severity: 'high', ip: '10.71.99.1', detail: { scope: 'account', count: THRESHOLD } });
    expect(ws.data.alert.summary).toContain(victim.user.username);

    // The rest of the burst is debounced.
    for (let i = 0; i < 3; i++) await failLogin(victim.user.username, `10.72.${i}.1`);
    await exactlyOne('failed_login_burst', { actorId: victim.id });
  });

  it('raises one failed_login_burst per address, whatever the logins tried', async () => {
    const ip = `10.73.${Math.floor(Math.random() * 250)}.9`;
    for (let i = 1; i < THRESHOLD; i++) await failLogin(`nobody-${hex()}`, ip);
    await detectorSettled(server);
    expect(await alertsAbout('failed_login_burst', { ip })).toEqual([]);
    for (let i = 0; i < 4; i++) await failLogin(`nobody-${hex()}`, ip);
    const alert = await exactlyOne('failed_login_burst', { ip });
    expect(alert).toMatchObject({ actorId: null, detail: { scope: 'ip', count: THRESHOLD } });
  });

  it('raises new_admin_ip when an admin signs in from an address never seen for them, once', async () => {
    const admin = await server.user();
    expect((await server.admin.patch(`/api/v1/users/${admin.id}`, { role: 'admin' })).status).toBe(200);
    const signIn = async (ip: string) => {
      const r = await server.request<any>('POST', '/api/v1/auth/login', { login: admin.user.username, password: PASSWORD }, from(ip));
      expect(r.status).toBe(200);
    };
    // Signed up from 127.0.0.1: signing in there again is nothing new.
    await signIn('127.0.0.1');
    await detectorSettled(server);
    expect(await alertsAbout('new_admin_ip', { actorId: admin.id })).toEqual([]);
    await signIn('10.74.0.1');
    const ws = await adminWs.event('alert.raised', (d) => d.alert.kind === 'new_admin_ip' && d.alert.actorId === admin.id);
    expect(ws.data.alert).toMatchObject({ ip: '10.74.0.1', severity: 'medium' });
    await signIn('10.74.0.1');
    await exactlyOne('new_admin_ip', { actorId: admin.id });
    // A member signing in from anywhere is not an admin anomaly.
    const r = await server.request('POST', '/api/v1/auth/login', { login: member.user.username, password: PASSWORD }, from('10.75.0.1'));
    expect(r.status).toBe(200);
    await detectorSettled(server);
    expect(await alertsAbout('new_admin_ip', { actorId: member.id })).toEqual([]);
  });

  it('raises token_distant_ips when one token is used from two networks at once, not from one network', async () => {
    const owner = await server.user();
    const token = async () => (await owner.post('/api/v1/tokens', { name: `script ${hex()}`, scopes: ['read'] })).body;
    const [v4, v6] = [await token(), await token()];
    const use = async (pat: any, ip: string) =>
      expect((await server.request('GET', '/api/v1/users/me', undefined, { ...bearer(pat.secret), ...from(ip) })).status).toBe(200);
    await use(v4, '10.76.1.1');
    await use(v4, '10.76.200.7'); // the same /16
    await use(v6, '2001:db8:76::1');
    await use(v6, '2001:db8:76:ffff::2'); // the same /48
    await detectorSettled(server);
    expect(await alertsAbout('token_distant_ips', { actorId: owner.id })).toEqual([]);
    await use(v4, '10.77.0.1');
    const ws = await adminWs.event('alert.raised', (d) => d.alert.kind === 'token_distant_ips' && d.alert.actorId === owner.id);
    expect(ws.data.alert).toMatchObject({ severity: 'high', ip: '10.77.0.1', detail: { sessionId: v4.token.id, credential: 'token', secondIp: '10.77.0.1' } });
    expect(['10.76.1.1', '10.76.200.7']).toContain(ws.data.alert.detail.firstIp);
    await use(v4, '10.78.0.1');
    await use(v4, '10.79.0.1');
    await exactlyOne('token_distant_ips', { actorId: owner.id });
  });

  it('counts a WebSocket connection as a use of the session', async () => {
    const owner = await server.user();
    const signIn = await server.request<any>('POST', '/api/v1/auth/login', { login: owner.user.username, password: PASSWORD }, from('10.81.0.1'));
    const token = signIn.body.token as string;
    expect((await server.request('GET', '/api/v1/users/me', undefined, { ...bearer(token), ...from('10.81.0.1') })).status).toBe(200);
    const ws = await Socket.open(server.wsUrl, { type: 'auth', token }, from('10.82.0.1'));
    const alert = await adminWs.event('alert.raised', (d) => d.alert.kind === 'token_distant_ips' && d.alert.actorId === owner.id);
    expect(alert.data.alert.detail).toMatchObject({ credential: 'session', firstIp: '10.81.0.1', secondIp: '10.82.0.1' });
    await ws.close();
  });

  it('raises mass_deletion when one person deletes many messages quickly, and not below the threshold', async () => {
    const deleter = await server.user();
    const general = await server.general();
    const ids: string[] = [];
    for (let i = 0; i < THRESHOLD + 2; i++) ids.push((await deleter.say(general, `message ${i}`)).id);
    const del = async (id: string) => expect((await deleter.del(`/api/v1/messages/${id}`)).status).toBe(204);
    for (const id of ids.slice(0, THRESHOLD - 1)) await del(id);
    await detectorSettled(server);
    expect(await alertsAbout('mass_deletion', { actorId: deleter.id })).toEqual([]);
    await del(ids[THRESHOLD - 1]!);
    const ws = await adminWs.event('alert.raised', (d) => d.alert.kind === 'mass_deletion' && d.alert.actorId === deleter.id);
    expect(ws.data.alert).toMatchObject({ severity: 'medium', detail: { count: THRESHOLD } });
    for (const id of ids.slice(THRESHOLD)) await del(id);
    await exactlyOne('mass_deletion', { actorId: deleter.id });
  });

  it('never holds up the request that caused an alert, and retries a failing webhook', async () => {
    const victim = await server.user();
    for (let i = 1; i < THRESHOLD; i++) await failLogin(victim.user.username, `10.80.${i}.1`);
    await detectorSettled(server);
    hook.script.push('hold', 500);
    const answered = await failLogin(victim.user.username, '10.80.99.1');
    expect(answered.status).toBe(401);
    // The receiver is still holding the first delivery while the sign-in has been answered.
    const first = await hook.next((b) => b.alert?.kind === 'failed_login_burst' && b.alert.actorId === victim.id);
    hook.release(503);
    // Then a 500, then the third attempt is accepted: three deliveries of the same alert.
    await detectorSettled(server);
    expect(hook.bodies.filter((b) => b.alert?.id === first.alert.id)).toHaveLength(3);
    expect(await alertsAbout('failed_login_burst', { actorId: victim.id })).toHaveLength(1);
  });
});
