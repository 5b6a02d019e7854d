// LDAP sign-in lockout counts the directory entry (or the linked account), not the login text:
// the directory matches uid ignoring case and outer or repeated spaces, so " ben", "ben ",
// "  ben" are all the same account and share its lock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { directoryBase, SERVICE_DN, SERVICE_PW, SUFFIX, startSlapd, type Slapd } from './slapd.js';
import type { LdapSettings } from '../src/auth/sso/config.js';

const LDIF = `${directoryBase(['people'])}
dn: uid=ben,ou=people,${SUFFIX}
objectClass: inetOrgPerson
uid: ben
cn: Ben Builder
sn: Builder
mail: ben@corp.test
userPassword: ben-password-1
`;

let slapd: Slapd;
let server: TestServer;
beforeAll(async () => {
  slapd = await startSlapd(LDIF);
  const settings: LdapSettings = {
    enabled: true, label: 'Corp', url: slapd.url, bindDn: SERVICE_DN, bindPassword: SERVICE_PW,
    userBase: `ou=people,${SUFFIX}`, userFilter: '(objectClass=inetOrgPerson)',
    usernameAttribute: 'uid', emailAttribute: 'mail', displayNameAttribute: 'cn',
    groupBase: `ou=people,${SUFFIX}`, groupFilter: '(objectClass=groupOfNames)', groupMemberAttribute: 'member', groupNameAttribute: 'cn',
    syncIntervalMinutes: 0, mapping: { roles: {}, channels: {} },
  } as LdapSettings;
  server = await startTestServer({ config: { sso: { oidc: null, saml: null, ldap: settings, passwordLogin: true, breakGlassUsers: [] } } });
}, 30_000);
afterAll(async () => { await server?.close(); await slapd?.stop(); });

const ldapLogin = (login: string, password: string) => server.request<any>('POST', '/api/v1/auth/ldap/login', { login, password });

describe('LDAP lockout', () => {
  it('a locked LDAP account stays locked whatever spacing the login is typed with', async () => {
    for (let i = 0; i < 10; i++) expect((await ldapLogin('ben', `guess-${i}`)).status).toBe(401);
    expect((await ldapLogin('ben', 'guess-x')).status).toBe(429); // the (account, address) pair is locked
    // The same directory entry under another spelling: a fresh counter, so guessing goes on.
    const variants = [' ben', 'ben ', '  ben', 'ben  ', ' ben '];
    const statuses = [];
    for (const v of variants) statuses.push((await ldapLogin(v, 'guess-y')).status);
    const correct = await ldapLogin(' ben', 'ben-password-1');
    expect({ statuses, correct: correct.status }).toEqual({ statuses: variants.map(() => 429), correct: 429 });
  });
});
