// Account security in the browser: setting up an authenticator app from the key on screen and
// signing in with it and with a recovery code; adding a passkey and signing in without a
// password; ending another of my sessions, which signs that browser out at once.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, ready, screenshot } from './support/browser.js';
import {
  addVirtualAuthenticator, shownTotpKey, signInWithPassword, signedInAt, signedOutAt, startLocalhostServer, totpCode, workspaceMenu,
} from './support/security.js';
import { PASSWORD, type E2EServer } from './support/server.js';

describe('account security', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let origin: string;
  let browser: Browser;
  beforeAll(async () => {
    [{ server, origin }, browser] = await Promise.all([startLocalhostServer(), launch()]);
    await server.person('ada', 'Ada Lovelace', { workspaceName: 'Acme Rockets' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('sets up an authenticator app from the key shown, then signs in with a code and with a recovery code', async () => {
    const bob = await server.person('bob', 'Bob Builder');
    const { page, errors, context } = await signedInAt(browser, origin, bob);
    await workspaceMenu(page, 'Settings');
    await page.getByRole('heading', { name: 'Account settings' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const key = await shownTotpKey(page);
    await expect(page.getByRole('img', { name: 'QR code for your authenticator app' }).getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/);
    await screenshot(page, 'settings-totp-setup');
    await page.getByLabel('Code from the app').fill(totpCode(key));
    await page.getByRole('button', { name: 'Turn on' }).click();

    const codes = page.getByRole('region', { name: 'Recovery codes' }).locator('li');
    await expect.poll(() => codes.count()).toBe(10);
    const recovery = (await codes.allTextContents()).map((c) => c.trim());
    await screenshot(page, 'settings-recovery-codes');
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('10 of 10 recovery codes left.').waitFor();

    // Signing out and in again now takes a code from the app.
    await workspaceMenu(page, /Sign out/);
    await page.getByRole('heading', { name: 'Sign in to Acme Rockets' }).waitFor();
    await signInWithPassword(page, 'bob', PASSWORD);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await screenshot(page, 'signin-second-factor');
    await page.getByLabel('Authentication code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Authentication code').fill(totpCode(key, 1));
    await page.getByRole('button', { name: 'Verify' }).click();
    await ready(page);

    // And once with a recovery code, which is then used up.
    await workspaceMenu(page, /Sign out/);
    await signInWithPassword(page, 'bob', PASSWORD);
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(recovery[0]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await ready(page);
    await page.goto(`${origin}/settings/security`);
    await page.getByText('9 of 10 recovery codes left.').waitFor();
    expect(errors.filter((e) => !/401|403/.test(e))).toEqual([]);
    await context.close();
  });

  it('adds a named passkey and signs in with it without a password', async () => {
    const cat = await server.person('cat', 'Catherine Zhou');
    const { page, context } = await signedInAt(browser, origin, cat, '/settings/security');
    await addVirtualAuthenticator(page);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByLabel('Passkey name').fill('Cat’s laptop');
    await page.getByRole('button', { name: 'Create passkey' }).click();
    // The first second factor comes with recovery codes.
    await page.getByRole('region', { name: 'Recovery codes' }).waitFor();
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByRole('list', { name: 'Your passkeys' }).getByText('Cat’s laptop').waitFor();

    await workspaceMenu(page, /Sign out/);
    await page.getByRole('heading', { name: 'Sign in to Acme Rockets' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await ready(page);
    expect(await page.locator('.sidebar__me-name').textContent()).toBe('Catherine Zhou');
    // (The first session ended with the sign-out; the list, seen from the new one, says it was used.)
    await page.goto(`${origin}/settings/security`);
    await page.getByRole('list', { name: 'Your passkeys' }).locator('li', { hasText: 'Cat’s laptop' }).getByText(/last used just now/).waitFor();
    expect((await server.request('GET', '/api/v1/users/me', undefined, cat.token)).status).toBe(401);
    await context.close();
  });

  it('ends another of my sessions from the list, and that browser is signed out at once', async () => {
    const dan = await server.person('dan', 'Dan Abramov');
    const phone = await signedInAt(browser, origin, dan);
    // A second sign-in, in another browser: the list shows both, this one marked.
    const laptop = await signedOutAt(browser, origin, 'dark');
    await signInWithPassword(laptop.page, 'dan', PASSWORD);
    await ready(laptop.page);
    await laptop.page.goto(`${origin}/settings/security`);
    const list = laptop.page.getByRole('list', { name: 'Your sessions' });
    await expect.poll(() => list.locator('li').count()).toBe(2);
    await list.locator('li', { hasText: 'This device' }).waitFor();
    await screenshot(laptop.page, 'settings-security-dark');

    const other = list.locator('li', { hasNotText: 'This device' });
    await other.getByRole('button', { name: /^Sign out/ }).click();
    await other.getByRole('button', { name: 'Sign out device' }).click();
    await phone.page.getByRole('heading', { name: 'Sign in to Acme Rockets' }).waitFor();
    await expect.poll(() => list.locator('li').count()).toBe(1);
    // The ended session is refused by the API too, not only by the page.
    expect((await server.request('GET', '/api/v1/users/me', undefined, dan.token)).status).toBe(401);
    await phone.context.close();
    await laptop.context.close();
  });

  it('shows the sign-in screen and security settings in both themes', async () => {
    const light = await signedOutAt(browser, origin, 'light');
    await screenshot(light.page, 'signin-light');
    const dark = await signedOutAt(browser, origin, 'dark');
    await screenshot(dark.page, 'signin-dark');
    const eve = await server.person('eve', 'Eve Online');
    const settings = await signedInAt(browser, origin, eve, '/settings/security');
    await settings.page.getByRole('heading', { name: 'Personal access tokens' }).waitFor();
    await settings.page.getByLabel('Token name').fill('Deploy bot');
    await settings.page.getByRole('button', { name: 'Create token' }).click();
    const secret = await settings.page.getByLabel('Token', { exact: true }).inputValue();
    // The secret shown once works as a bearer token, read-only.
    expect((await server.request('GET', '/api/v1/users/me', undefined, secret)).status).toBe(200);
    expect((await server.request('PATCH', '/api/v1/users/me', { statusText: 'x' }, secret)).status).toBe(403);
    await screenshot(settings.page, 'settings-security-light');
    for (const t of [light, dark, settings]) await t.context.close();
  });
});
