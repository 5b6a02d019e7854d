// The admin area in the browser: changing a member's role, requiring two-factor of everyone
// (a member signing in afterwards must enrol before anything else), a live security alert, and
// signing in through an OpenID Connect provider (`oidc-provider`, started here) with its button.
import http from 'node:http';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, ready, screenshot } from './support/browser.js';
import {
  freePort, shownTotpKey, signInWithPassword, signedInAt, signedOutAt, totpCode, workspaceMenu,
} from './support/security.js';
import { E2EServer, PASSWORD, type Person } from './support/server.js';

const CLIENT_SECRET = 'e2e-oidc-client-secret-0123456789';

/** An OpenID provider whose dev login form accepts any login for the accounts listed. */
async function startProvider(port: number, redirectUri: string) {
  const accounts: Record<string, { email: string; email_verified: boolean; preferred_username: string; name: string }> = {
    grace: { email: 'grace@example.test', email_verified: true, preferred_username: 'grace', name: 'Grace Hopper' },
  };
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [{ client_id: 'parley', client_secret: CLIENT_SECRET, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'email', 'profile'],
    pkce: { required: () => true },
    cookies: { keys: ['e2e-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const a = accounts[id];
      return a && { accountId: id, claims: async () => ({ sub: id, ...a }) };
    },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('admin area', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let origin: string;
  let browser: Browser;
  let idp: Awaited<ReturnType<typeof startProvider>>;
  let ada: Person;

  beforeAll(async () => {
    const idpPort = await freePort();
    const parleyPort = await freePort();
    // 127.0.0.1, not localhost: oidc-provider refuses localhost redirect URIs for web clients.
    origin = `http://127.0.0.1:${parleyPort}`;
    idp = await startProvider(idpPort, `${origin}/api/v1/auth/oidc/callback`);
    const oidc = {
      enabled: true, label: 'Acme ID', issuer: idp.issuer, clientId: 'parley', clientSecret: CLIENT_SECRET,
      scopes: 'openid email profile', groupsClaim: 'groups', mapping: { roles: {}, channels: {} },
    };
    [server, browser] = await Promise.all([
      E2EServer.start({ port: parleyPort, publicUrl: origin, sso: { oidc, saml: null, ldap: null, passwordLogin: true, breakGlassUsers: [] } }), launch(),
    ]);
    ada = await server.person('ada', 'Ada Lovelace', { workspaceName: 'Acme Rockets' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await idp?.close();
  }, 60_000);

  it('changes a role, requires two-factor of everyone, and a member signing in must enrol first', async () => {
    const bob = await server.person('bob', 'Bob Builder');
    await server.person('cat', 'Catherine Zhou');
    const admin = await signedInAt(browser, origin, ada);
    await workspaceMenu(admin.page, 'Admin');
    await admin.page.getByRole('tab', { name: 'Users', selected: true }).waitFor();
    await admin.page.getByLabel('Role of bob').selectOption('guest');
    await admin.page.getByText('bob is now guest').waitFor();
    expect((await server.api(bob, 'GET', '/api/v1/users/me')).role).toBe('guest');
    await screenshot(admin.page, 'admin-users-light');

    await admin.page.getByRole('tab', { name: 'Security' }).click();
    await admin.page.getByLabel('Required of everyone').check();
    await admin.page.getByLabel('Grace period (days)').fill('0');
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    await admin.page.getByText(/^Enforced from/).waitFor();
    expect(await server.api(ada, 'GET', '/api/v1/2fa/policy')).toMatchObject({ require: 'everyone', graceDays: 0 });

    // Cat has no second factor: after the password, only enrolment is possible.
    const { page } = await signedOutAt(browser, origin);
    await signInWithPassword(page, 'cat', PASSWORD);
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    await screenshot(page, 'enrol-forced');
    await page.getByRole('button', { name: 'Use an authenticator app' }).click();
    const key = await shownTotpKey(page);
    await page.getByLabel('Code from the app').fill(totpCode(key));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('region', { name: 'Recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'I saved them' }).click();
    await ready(page);
    expect(await page.locator('.sidebar__me-name').textContent()).toBe('Catherine Zhou');
    await admin.context.close();
    await page.context().close();
  });

  it('signs in with the OpenID Connect button through the provider and back', async () => {
    await server.api(ada, 'PUT', '/api/v1/2fa/policy', { require: 'off', graceDays: 0 });
    const { page, context } = await signedOutAt(browser, origin);
    await screenshot(page, 'signin-with-oidc');
    await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
    await page.locator('input[name="login"]').fill('grace');
    await page.locator('input[name="password"]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    // Back at Parley, signed in as Grace, created just in time from the provider's claims.
    await ready(page);
    expect(await page.locator('.sidebar__me-name').textContent()).toBe('Grace Hopper');
    const me = await page.evaluate(async () => (await fetch('/api/v1/users/me')).json());
    expect(me).toMatchObject({ username: 'grace', displayName: 'Grace Hopper' });
    await context.close();
  });

  it('makes a password-reset link that the person opens to choose a new password (policy errors shown)', async () => {
    const dora = await server.person('dora', 'Dora Explorer');
    const admin = await signedInAt(browser, origin, ada, '/admin/users');
    await admin.page.getByRole('button', { name: 'Password-reset link for dora' }).click();
    const link = await admin.page.getByLabel('Reset link', { exact: true }).inputValue();
    expect(link).toMatch(/\/reset-password\?token=/);

    const { page, context } = await signedOutAt(browser, origin);
    await page.goto(link.replace(/^https?:\/\/[^/]+/, origin));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Repeat the new password').fill('password1234');
    await page.getByRole('button', { name: 'Set new password' }).click();
    // The server's own sentence: too common.
    await page.getByRole('alert').getByText(/common/i).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('Quiet harbour lantern 42');
    await page.getByLabel('Repeat the new password').fill('Quiet harbour lantern 42');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    expect((await server.request('GET', '/api/v1/users/me', undefined, dora.token)).status).toBe(401);
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    await signInWithPassword(page, 'dora', 'Quiet harbour lantern 42');
    await ready(page);
    await admin.context.close();
    await context.close();
  });

  it('shows a security alert to an admin as it is raised, and lists it under Alerts', async () => {
    const admin = await signedInAt(browser, origin, ada, '/', 'dark');
    // Failed sign-ins against one account: the detector raises failed_login_burst (default threshold 10).
    for (let i = 0; i < 12; i++) await server.request('POST', '/api/v1/auth/login', { login: 'bob', password: `wrong-${i}` });
    const banner = admin.page.locator('.alert-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Security alert');
    await screenshot(admin.page, 'admin-alert-banner-dark');
    await banner.getByRole('button', { name: 'Review' }).click();
    await admin.page.getByRole('list', { name: 'Alerts' }).locator('li[data-kind="failed_login_burst"]').first().waitFor();
    await admin.page.getByRole('tab', { name: 'Audit log' }).click();
    await admin.page.locator('tr[data-action="auth.login_failed"]').first().waitFor();
    await screenshot(admin.page, 'admin-audit-dark');
    await admin.page.getByRole('tab', { name: 'Single sign-on' }).click();
    await admin.page.getByLabel('Issuer URL').waitFor();
    expect(await admin.page.getByLabel('Issuer URL').inputValue()).toBe(idp.issuer);
    await screenshot(admin.page, 'admin-sso-dark');
    // Saving keeps the stored client secret (never sent to the page) and renames the button.
    await admin.page.getByLabel('Button label').fill('Acme Login');
    await admin.page.getByRole('button', { name: 'Save single sign-on' }).click();
    await admin.page.getByText('Single sign-on saved').waitFor();
    const { providers } = await server.api(null, 'GET', '/api/v1/auth/providers');
    expect(providers).toEqual([expect.objectContaining({ id: 'oidc', label: 'Acme Login' })]);
    const stored = await server.api(ada, 'GET', '/api/v1/admin/sso');
    expect(stored).toMatchObject({ source: 'admin', settings: { oidc: { hasClientSecret: true } } });
    await admin.context.close();
  });
});
