// Signing in where an admin turned password sign-in off and a directory (a real OpenLDAP,
// started here as in server/test/sso-ldap.test.ts) is the way in: the directory form creates the
// account on first sign-in with its mapped channel, and the small break-glass link still lets a
// listed administrator use their Parley password, while anyone else is refused.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryBase, SERVICE_DN, SERVICE_PW, SUFFIX, startSlapd, type Slapd } from '../server/test/slapd.js';
import { launch, ready, sidebarItem } from './support/browser.js';
import { signInWithPassword, signedOutAt } from './support/security.js';
import { E2EServer, PASSWORD } from './support/server.js';

const LIN_PW = 'lin-directory-password-7';

const LDIF = `${directoryBase(['people', 'groups'])}
dn: uid=lin,ou=people,${SUFFIX}
objectClass: inetOrgPerson
uid: lin
cn: Lin Okafor
sn: Okafor
mail: lin@corp.test
userPassword: ${LIN_PW}

dn: cn=engineering,ou=groups,${SUFFIX}
objectClass: groupOfNames
cn: engineering
member: uid=lin,ou=people,${SUFFIX}
`;

describe('directory sign-in with password sign-in turned off', { timeout: 90_000 }, () => {
  let slapd: Slapd;
  let server: E2EServer;
  let browser: Browser;

  beforeAll(async () => {
    slapd = await startSlapd(LDIF);
    const ldap = {
      enabled: true, label: 'Corp directory', url: slapd.url, bindDn: SERVICE_DN, bindPassword: SERVICE_PW,
      userBase: `ou=people,${SUFFIX}`, userFilter: '(objectClass=inetOrgPerson)',
      usernameAttribute: 'uid', emailAttribute: 'mail', displayNameAttribute: 'cn',
      groupBase: `ou=groups,${SUFFIX}`, groupFilter: '(objectClass=groupOfNames)', groupMemberAttribute: 'member', groupNameAttribute: 'cn',
      syncIntervalMinutes: 0, mapping: { roles: {}, channels: { engineering: ['engineering'] } },
    };
    [server, browser] = await Promise.all([
      E2EServer.start({ sso: { oidc: null, saml: null, ldap, passwordLogin: false, breakGlassUsers: ['ada'] } }), launch(),
    ]);
    // Ada is on the break-glass list, so her password sign-up is allowed.
    const ada = await server.person('ada', 'Ada Lovelace', { workspaceName: 'Acme Rockets' });
    await server.api(ada, 'POST', '/api/v1/channels', { name: 'engineering', kind: 'public' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await slapd?.stop();
  }, 60_000);

  it('signs in through the directory form; a wrong directory password is refused', async () => {
    const { page, context } = await signedOutAt(browser, server.url);
    // Once the sign-in options are in (the directory choice shows), password sign-in is off:
    // no password form until the directory is picked.
    const directory = page.getByRole('group', { name: 'Account type' }).getByRole('button', { name: 'Corp directory' });
    await directory.waitFor();
    await page.getByLabel('Username or email').waitFor({ state: 'detached' });
    await directory.click();
    await page.getByLabel('Corp directory username').fill('lin');
    await page.getByLabel('Password', { exact: true }).fill('not the directory password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(LIN_PW);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await ready(page);
    // The account was made from the directory entry, and its group brought the mapped channel.
    expect(await page.locator('.sidebar__me-name').textContent()).toBe('Lin Okafor');
    await sidebarItem(page, 'engineering').waitFor();
    await context.close();
  });

  it('keeps a break-glass link for listed administrators and refuses it to anyone else', async () => {
    // Lin has a Parley account (made by a directory sign-in) but is not on the break-glass list.
    expect((await server.request('POST', '/api/v1/auth/ldap/login', { login: 'lin', password: LIN_PW })).status).toBe(200);
    const { page, context } = await signedOutAt(browser, server.url);
    await page.getByRole('button', { name: 'Administrator sign-in with password' }).click();
    await signInWithPassword(page, 'lin', LIN_PW);
    await page.getByRole('alert').getByText(/Password sign-in is turned off/).waitFor();
    await signInWithPassword(page, 'ada', PASSWORD);
    await ready(page);
    expect(await page.locator('.sidebar__me-name').textContent()).toBe('Ada Lovelace');
    await context.close();
  });
});
