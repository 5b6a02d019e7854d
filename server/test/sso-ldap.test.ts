// LDAP sign-in and directory sync against a real OpenLDAP (slapd) started here with a seeded
// directory: search-then-bind, group → role and channel mapping, the sync (new users created,
// changed attributes applied, removed users deactivated with their sessions ended), and the
// refusals: wrong password, unknown user, users outside the base or the filter, and filter
// injection through the username.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client as LdapClient } from 'ldapts';
import { startTestServer, type TestServer } from './harness.js';
import { bearer, expectError } from './identity-helpers.js';
import { directoryBase, ROOT_DN, ROOT_PW, SERVICE_DN, SERVICE_PW, SUFFIX, startSlapd, type Slapd } from './slapd.js';
import { escapeFilterValue } from '../src/auth/sso/ldap.js';
import { startLdapSyncTimer } from '../src/actions/sso-ldap.js';
import type { LdapSettings } from '../src/auth/sso/config.js';


const person = (uid: string, ou: string, cn: string, mail: string, pw: string, type = 'staff') => `
dn: uid=${uid},ou=${ou},${SUFFIX}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${cn}
sn: ${cn.split(' ').pop()}
mail: ${mail}
employeeType: ${type}
userPassword: ${pw}
`;

const group = (cn: string, members: string[]) => `
dn: cn=${cn},ou=groups,${SUFFIX}
objectClass: groupOfNames
cn: ${cn}
${members.map((m) => `member: uid=${m},ou=people,${SUFFIX}`).join('\n')}
`;

const LDIF = `${directoryBase(['people', 'contractors', 'groups'])}${person('ann', 'people', 'Ann Admin', 'ann@corp.test', 'ann-password-1')}${person('ben', 'people', 'Ben Builder', 'ben@corp.test', 'ben-password-1')}${person('eve', 'people', 'Eve External', 'eve@corp.test', 'eve-password-1', 'external')}${person('carl', 'contractors', 'Carl Contractor', 'carl@corp.test', 'carl-password-1')}${group('parley-admins', ['ann'])}${group('engineering', ['ann', 'ben'])}`;

let slapd: Slapd;
let server: TestServer;
let settings: LdapSettings;

beforeAll(async () => {
  slapd = await startSlapd(LDIF);
  settings = {
    enabled: true, label: 'Corp directory', url: slapd.url, bindDn: SERVICE_DN, bindPassword: SERVICE_PW,
    userBase: `ou=people,${SUFFIX}`, userFilter: '(&(objectClass=inetOrgPerson)(employeeType=staff))',
    usernameAttribute: 'uid', emailAttribute: 'mail', displayNameAttribute: 'cn',
    groupBase: `ou=groups,${SUFFIX}`, groupFilter: '(objectClass=groupOfNames)', groupMemberAttribute: 'member', groupNameAttribute: 'cn',
    syncIntervalMinutes: 0,
    mapping: { roles: { 'parley-admins': 'admin' }, channels: { engineering: ['engineering'], newhires: ['onboarding'] } },
  };
  server = await startTestServer({ config: { sso: { oidc: null, saml: null, ldap: settings, passwordLogin: true, breakGlassUsers: [] } } });
  await server.admin.channel('engineering');
  await server.admin.channel('onboarding');
}, 30_000);
afterAll(async () => {
  await server?.close();
  await slapd?.stop();
});

const ldapLogin = (login: string, password: string) => server.request<any>('POST', '/api/v1/auth/ldap/login', { login, password });
const myChannels = async (token: string) =>
  (await server.request<any>('GET', '/api/v1/channels', undefined, bearer(token))).body.channels.map((c: any) => c.name).sort();

async function asRoot<T>(work: (c: LdapClient) => Promise<T>): Promise<T> {
  const c = new LdapClient({ url: slapd.url });
  await c.bind(ROOT_DN, ROOT_PW);
  try { return await work(c); } finally { await c.unbind(); }
}

describe('LDAP sign-in', () => {
  it('is listed for the login screen', async () => {
    const r = await server.request<any>('GET', '/api/v1/auth/providers');
    expect(r.body.providers).toEqual([{ id: 'ldap', label: 'Corp directory', kind: 'password', loginUrl: '/api/v1/auth/ldap/login' }]);
  });

  it('signs in by binding as the user, creating the account with role and channels from groups', async () => {
    const r = await ldapLogin('ann', 'ann-password-1');
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'ann', displayName: 'Ann Admin', email: 'ann@corp.test', role: 'admin' });
    expect(await myChannels(r.body.token)).toEqual(['engineering', 'general']);
    const again = await ldapLogin('ANN', 'ann-password-1');
    expect(again.body.user.id).toBe(r.body.user.id);
    // Both sign-ins are in the audit log as SSO sign-ins.
    const audit = await server.admin.get(`/api/v1/admin/audit?actorId=${r.body.user.id}&action=auth.sso_login`);
    expect(audit.body.entries.map((e: any) => [e.detail.method, e.targetId])).toEqual([['ldap', r.body.user.id], ['ldap', r.body.user.id]]);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    expectError(await ldapLogin('ann', 'wrong-password'), 401, 'invalid_credentials');
    expectError(await ldapLogin('nobody', 'ann-password-1'), 401, 'invalid_credentials');
    const failed = await server.admin.get('/api/v1/admin/audit?action=auth.login_failed&limit=2');
    // The typed logins are not kept, only keyed fingerprints that tell them apart.
    const rows = failed.body.entries.map((e: any) => [e.detail.method, e.detail.reason, e.detail.login, e.detail.loginFingerprint]);
    expect(rows).toEqual([
      ['ldap', 'invalid_credentials', undefined, expect.stringMatching(/^[0-9a-f]{12}$/)],
      ['ldap', 'invalid_credentials', undefined, expect.stringMatching(/^[0-9a-f]{12}$/)],
    ]);
    expect(rows[0][3]).not.toBe(rows[1][3]);
    expectError(await ldapLogin('ann', ''), 400, 'invalid_request');
  });

  it('refuses users outside the base or the filter, whose passwords are right', async () => {
    expectError(await ldapLogin('carl', 'carl-password-1'), 401, 'invalid_credentials');
    expectError(await ldapLogin('eve', 'eve-password-1'), 401, 'invalid_credentials');
  });

  it('escapes the username: no LDAP filter injection', async () => {
    for (const login of ['ann*', '*', 'a*n', 'ann)(uid=*', '*)(|(uid=*', 'ann\\2a', `ann)(employeeType=external`, 'eve)(|(employeeType=external)']) {
      expectError(await ldapLogin(login, 'ann-password-1'), 401, 'invalid_credentials');
    }
    expectError(await ldapLogin('eve)(|(employeeType=*', 'eve-password-1'), 401, 'invalid_credentials');
    expect(escapeFilterValue('a*b(c)d\\e\0')).toBe('a\\2ab\\28c\\29d\\5ce\\00');
  });

  it('answers 502 sso_unavailable when the service account is refused, without leaking its password', async () => {
    const put = await server.admin.put('/api/v1/admin/sso', { ldap: { ...settings, bindPassword: 'not-the-password' } });
    expect(put.status).toBe(200);
    try {
      expectError(await ldapLogin('ann', 'ann-password-1'), 502, 'sso_unavailable');
    } finally {
      await server.admin.put('/api/v1/admin/sso', { ldap: settings });
    }
    const got = await server.admin.get('/api/v1/admin/sso');
    expect(got.body.settings.ldap).toMatchObject({ url: slapd.url, hasBindPassword: true });
    expect(JSON.stringify(got.body)).not.toContain(SERVICE_PW);
  });
});

describe('LDAP directory sync', () => {
  it('creates new users, updates attributes and groups, deactivates removed users', async () => {
    const ben = await ldapLogin('ben', 'ben-password-1');
    expect(ben.status).toBe(200);
    expect(ben.body.user.role).toBe('member');
    await asRoot(async (c) => {
      await c.add(`uid=dana,ou=people,${SUFFIX}`, {
        objectClass: 'inetOrgPerson', uid: 'dana', cn: 'Dana New', sn: 'New', mail: 'dana@corp.test', employeeType: 'staff', userPassword: 'dana-pw-1',
      });
      await c.add(`cn=newhires,ou=groups,${SUFFIX}`, { objectClass: 'groupOfNames', cn: 'newhires', member: `uid=dana,ou=people,${SUFFIX}` });
      await c.modify(`uid=ann,ou=people,${SUFFIX}`, [
        new (await import('ldapts')).Change({ operation: 'replace', modification: new (await import('ldapts')).Attribute({ type: 'cn', values: ['Ann Renamed'] }) }),
      ]);
      await c.del(`uid=ben,ou=people,${SUFFIX}`);
    });
    const member = await server.user();
    expectError(await member.post('/api/v1/admin/sso/ldap/sync'), 403, 'forbidden');
    const r = await server.admin.post('/api/v1/admin/sso/ldap/sync');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ directoryUsers: 2, created: 1, updated: 1, deactivated: 1, skipped: [] });

    const all = await server.admin.get('/api/v1/users?query=');
    const by = Object.fromEntries(all.body.users.map((u: any) => [u.username, u]));
    expect(by.dana).toMatchObject({ displayName: 'Dana New', role: 'member' });
    expect(by.ann).toMatchObject({ displayName: 'Ann Renamed', role: 'admin' });
    // Ben left the directory: deactivated, and his session no longer works.
    const benRow = await server.deps.db.selectFrom('users').select('deactivated').where('username', '=', 'ben').executeTakeFirstOrThrow();
    expect(benRow.deactivated).toBe(true);
    expect((await server.request('GET', '/api/v1/users/me', undefined, bearer(ben.body.token))).status).toBe(401);
    // Dana signs in to the account the sync made, already in her mapped channel.
    const dana = await ldapLogin('dana', 'dana-pw-1');
    expect(dana.body.user.id).toBe(by.dana.id);
    expect(await myChannels(dana.body.token)).toEqual(['general', 'onboarding']);
  });

  it('runs periodically when syncIntervalMinutes is set', async () => {
    await asRoot((c) => c.add(`uid=fay,ou=people,${SUFFIX}`, {
      objectClass: 'inetOrgPerson', uid: 'fay', cn: 'Fay Periodic', sn: 'Periodic', mail: 'fay@corp.test', employeeType: 'staff', userPassword: 'fay-pw-1',
    }));
    expect((await server.admin.put('/api/v1/admin/sso', { ldap: { ...settings, syncIntervalMinutes: 5 } })).status).toBe(200);
    const stop = startLdapSyncTimer(server.deps, 20);
    try {
      for (let i = 0; i < 200; i++) {
        const row = await server.deps.db.selectFrom('users').select('id').where('username', '=', 'fay').executeTakeFirst();
        if (row) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      stop();
    }
    const fay = await server.deps.db.selectFrom('users').selectAll().where('username', '=', 'fay').executeTakeFirst();
    expect(fay).toMatchObject({ display_name: 'Fay Periodic', password_hash: null, deactivated: false });
  });
});
