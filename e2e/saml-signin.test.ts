// The SAML button on the sign-in screen, through a real (test) identity provider: the browser
// goes to the IdP with a real AuthnRequest, the IdP's signed Response is posted back to the ACS,
// and the person lands in the app, created from the assertion with their group's channel.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeyPair, TestIdp } from '../server/test/saml-idp.js';
import { launch, ready, sidebarItem } from './support/browser.js';
import { freePort, signedOutAt } from './support/security.js';
import { E2EServer } from './support/server.js';

describe('SAML sign-in', { timeout: 90_000 }, () => {
  let idp: TestIdp;
  let server: E2EServer;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    idp = new TestIdp(makeKeyPair('e2e-idp'));
    await idp.start();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const saml = {
      enabled: true, label: 'Corp SAML', entryPoint: idp.ssoUrl, spEntityId: 'https://parley.test/saml', idpCerts: [idp.keys.cert],
      groupsAttribute: 'groups', emailAttribute: 'email', usernameAttribute: 'uid', displayNameAttribute: 'displayName',
      clockSkewSeconds: 30, mapping: { roles: {}, channels: { sales: ['sales'] } },
    };
    [server, browser] = await Promise.all([
      E2EServer.start({ port, publicUrl: origin, sso: { oidc: null, saml, ldap: null, passwordLogin: true, breakGlassUsers: [] } }), launch(),
    ]);
    const ada = await server.person('ada', 'Ada Lovelace', { workspaceName: 'Acme Rockets' });
    await server.api(ada, 'POST', '/api/v1/channels', { name: 'sales', kind: 'public' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  }, 60_000);

  it('signs in with the SAML button through the identity provider and back', async () => {
    idp.user = { nameId: 'sam-1', email: 'sam@corp.test', uid: 'sam', displayName: 'Sam Saml', groups: ['sales'] };
    const { page, context } = await signedOutAt(browser, origin);
    await page.getByRole('link', { name: 'Sign in with Corp SAML' }).click();
    await ready(page);
    expect(await page.locator('.sidebar__me-name').textContent()).toBe('Sam Saml');
    await sidebarItem(page, 'sales').waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/users/me')).json());
    expect(me).toMatchObject({ username: 'sam', displayName: 'Sam Saml' });
    await context.close();
  });
});
