// Account and admin flows in the browser that the sign-in and security tests leave out:
// deactivating, reactivating and signing a member out everywhere (their open browser follows
// live); changing my password; turning the authenticator app off and making new recovery
// codes; revoking a token; a passkey as second step, then removed; the Storage tab; exporting
// the audit log.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, ready, screenshot } from './support/browser.js';
import {
  addVirtualAuthenticator, confirmInPlace, signInWithPassword, signedInAt, signedOutAt, startLocalhostServer, totpCode, workspaceMenu,
} from './support/security.js';
import { PASSWORD, type E2EServer, type Person } from './support/server.js';

const NEW_PASSWORD = 'Quiet harbour lantern 42';
const SIGN_IN = { name: 'Sign in to Acme Rockets' };

describe('account and admin flows', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let origin: string;
  let browser: Browser;
  let ada: Person;

  beforeAll(async () => {
    [{ server, origin }, browser] = await Promise.all([startLocalhostServer(), launch()]);
    ada = await server.person('ada', 'Ada Lovelace', { workspaceName: 'Acme Rockets' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  /** A password sign-in through the API: a session, or a second-factor challenge. */
  const apiLogin = (login: string, password = PASSWORD) => server.request('POST', '/api/v1/auth/login', { login, password });
  const status = async (token: string) => (await server.request('GET', '/api/v1/users/me', undefined, token)).status;

  async function uploadAs(p: Person, name: string, bytes: number): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes).fill(0x61)], { type: 'text/plain' }), name);
    const res = await fetch(`${server.url}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${p.token}` }, body: form });
    expect(res.status, await res.text()).toBe(201);
  }

  it('deactivating a member signs their open browser out at once; reactivated, they sign in again', async () => {
    const bob = await server.person('bob', 'Bob Builder');
    const member = await signedInAt(browser, origin, bob);
    const admin = await signedInAt(browser, origin, ada, '/admin/users');
    const row = admin.page.locator('tr[data-username="bob"]');
    await confirmInPlace(admin.page, 'Deactivate bob', 'Deactivate');
    await member.page.getByRole('heading', SIGN_IN).waitFor();
    await row.getByText('deactivated', { exact: true }).waitFor();
    expect(await status(bob.token)).toBe(401);
    await signInWithPassword(member.page, 'bob', PASSWORD);
    await member.page.getByRole('alert').getByText('This account has been deactivated.').waitFor();

    await row.getByRole('button', { name: 'Reactivate' }).click();
    await row.getByText('active', { exact: true }).waitFor();
    await signInWithPassword(member.page, 'bob', PASSWORD);
    await ready(member.page);

    // "Sign out everywhere" ends the new session too, and that browser follows.
    await confirmInPlace(admin.page, 'Sign out bob everywhere', 'End all sessions');
    await admin.page.getByText('bob was signed out everywhere').waitFor();
    await member.page.getByRole('heading', SIGN_IN).waitFor();
    expect(admin.errors).toEqual([]);
    await member.context.close();
    await admin.context.close();
  });

  it('changes my password: a wrong current one is refused; this session stays, the others are signed out', async () => {
    const cat = await server.person('cat', 'Catherine Zhou');
    const laptop = (await apiLogin('cat')).body as Person;
    const phone = await signedInAt(browser, origin, cat);
    const here = await signedInAt(browser, origin, laptop, '/settings/security');
    const form = here.page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill('not my password at all');
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await form.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('alert').getByText('The current password is wrong.').waitFor();
    expect(await status(cat.token)).toBe(200);

    await form.getByLabel('Current password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await here.page.getByText('Password changed').waitFor();
    await phone.page.getByRole('heading', SIGN_IN).waitFor();
    // This browser is still signed in, after a reload too.
    await here.page.reload();
    await here.page.getByRole('heading', { name: 'Account settings' }).waitFor();
    expect([await status(laptop.token), await status(cat.token)]).toEqual([200, 401]);

    // The old password no longer signs in; the new one does.
    await signInWithPassword(phone.page, 'cat', PASSWORD);
    await phone.page.getByRole('alert').waitFor();
    await signInWithPassword(phone.page, 'cat', NEW_PASSWORD);
    await ready(phone.page);
    await phone.context.close();
    await here.context.close();
  });

  it('makes new recovery codes (the old ones stop working) and turns the authenticator app off', async () => {
    const dan = await server.person('dan', 'Dan Abramov');
    const { secret } = await server.api(dan, 'POST', '/api/v1/2fa/totp');
    const { recoveryCodes: old } = await server.api(dan, 'POST', '/api/v1/2fa/totp/confirm', { code: totpCode(secret) });
    const { page, context } = await signedInAt(browser, origin, dan, '/settings/security');
    await page.getByText('10 of 10 recovery codes left.').waitFor();

    await page.getByRole('button', { name: 'New recovery codes' }).click();
    const again = page.getByRole('form', { name: 'Make new recovery codes' });
    await again.getByLabel('Your password').fill(PASSWORD);
    await again.getByRole('button', { name: 'Make new recovery codes' }).click();
    const shown = page.getByRole('region', { name: 'Recovery codes' }).locator('li');
    await expect.poll(() => shown.count()).toBe(10);
    const fresh = (await shown.allTextContents()).map((c) => c.trim());
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('10 of 10 recovery codes left.').waitFor();

    // At the second step of a sign-in, an old code is refused and a new one accepted.
    const second = async (recoveryCode: string) =>
      (await server.request('POST', '/api/v1/auth/2fa', { challenge: (await apiLogin('dan')).body.challenge, recoveryCode })).status;
    expect(await second(old[1])).toBe(401);
    expect(await second(fresh[0]!)).toBe(200);

    // Turning the app off takes the password and a code; a wrong code is refused.
    await page.getByRole('button', { name: 'Turn off the app' }).click();
    const off = page.getByRole('form', { name: 'Turn off the authenticator app' });
    await off.getByLabel('Your password').fill(PASSWORD);
    await off.getByLabel('Code from your app, or a recovery code').fill('000000');
    await off.getByRole('button', { name: 'Turn off the authenticator app' }).click();
    await off.getByRole('alert').waitFor();
    await off.getByLabel('Code from your app, or a recovery code').fill(totpCode(secret, 1));
    await off.getByRole('button', { name: 'Turn off the authenticator app' }).click();
    await page.getByText(/^Off\. Add a second step/).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
    // Signing in is one step again.
    const login = await apiLogin('dan');
    expect(login.status).toBe(200);
    expect(login.body).toHaveProperty('token');
    await context.close();
  });

  it('revokes a personal access token, which the API then refuses', async () => {
    const eve = await server.person('eve', 'Eve Online');
    const { secret } = await server.api(eve, 'POST', '/api/v1/tokens', { name: 'CI bot', scopes: ['read'] });
    expect(await status(secret)).toBe(200);
    const { page, context } = await signedInAt(browser, origin, eve, '/settings/security');
    const listed = page.getByRole('list', { name: 'Your tokens' }).getByText('CI bot');
    await listed.waitFor();
    await confirmInPlace(page, 'Revoke token CI bot', 'Revoke token');
    await page.getByText('Token “CI bot” revoked').waitFor();
    await listed.waitFor({ state: 'detached' });
    expect(await status(secret)).toBe(401);
    await context.close();
  });

  it('uses a passkey as the second step of a password sign-in; removed, it no longer signs in', async () => {
    const fay = await server.person('fay', 'Fay Wray');
    const { page, context } = await signedInAt(browser, origin, fay, '/settings/security');
    await addVirtualAuthenticator(page);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByLabel('Passkey name').fill('Fay’s phone');
    await page.getByRole('button', { name: 'Create passkey' }).click();
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByRole('list', { name: 'Your passkeys' }).getByText('Fay’s phone').waitFor();
    await page.getByText(/^On through your passkeys/).waitFor();

    // The password alone is not enough now; the passkey completes the sign-in.
    await workspaceMenu(page, /Sign out/);
    await signInWithPassword(page, 'fay', PASSWORD);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await page.getByRole('button', { name: 'Use a passkey instead' }).click();
    await ready(page);

    await page.goto(`${origin}/settings/security`);
    const list = page.getByRole('list', { name: 'Your passkeys' });
    await list.getByText('Fay’s phone').waitFor();
    await confirmInPlace(page, 'Remove passkey Fay’s phone', 'Remove passkey');
    await page.getByText('Passkey removed').waitFor();
    await list.waitFor({ state: 'detached' });
    await page.getByText(/^Off\. Add a second step/).waitFor();
    expect(await page.evaluate(async () => (await (await fetch('/api/v1/passkeys')).json()).passkeys)).toEqual([]);

    // The device still holds the credential, but the server no longer knows it; the password is one step again.
    await workspaceMenu(page, /Sign out/);
    await page.getByRole('heading', SIGN_IN).waitFor();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('.app').count()).toBe(0);
    await signInWithPassword(page, 'fay', PASSWORD);
    await ready(page);
    await context.close();
  });

  it('shows each uploader’s storage use in the Storage tab, largest first, in readable sizes', async () => {
    const gus = await server.person('gus', 'Gus Grissom');
    const hal = await server.person('hal', 'Hal Abelson');
    // (No other test here uploads, so the workspace starts with nothing stored.)
    const first = await signedInAt(browser, origin, ada, '/admin/storage');
    await first.page.getByText('No one has uploaded a file yet.').waitFor();
    await uploadAs(gus, 'site-backup.txt', 1.5 * 1024 * 1024);
    await uploadAs(hal, 'notes.txt', 3 * 1024);
    await uploadAs(ada, 'roadmap.txt', 240 * 1024);
    await first.page.getByRole('button', { name: 'Refresh' }).click();
    await first.page.locator('tr[data-username="gus"]').getByText('1.5 MB').waitFor();
    await first.context.close();

    for (const scheme of ['light', 'dark'] as const) {
      const admin = await signedInAt(browser, origin, ada, '/', scheme);
      await workspaceMenu(admin.page, 'Admin');
      await admin.page.getByRole('tab', { name: 'Storage' }).click();
      const table = admin.page.getByRole('table', { name: 'Storage per person' });
      await table.waitFor();
      const rows = table.locator('tbody tr');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-username')))).toEqual(['gus', 'ada', 'hal']);
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.storage__size')!.textContent))).toEqual(['1.5 MB', '240 KB', '3.0 KB']);
      await expect(table.locator('tr[data-username="gus"]').textContent()).resolves.toContain('Gus Grissom');
      expect(await admin.page.getByLabel('Total storage').textContent()).toBe('1.7 MB in 3 files from 3 people');
      await screenshot(admin.page, `admin-storage-${scheme}`);
      expect(admin.errors).toEqual([]);
      await admin.context.close();
    }
    // Members do not get the numbers.
    expect((await server.request('GET', '/api/v1/admin/storage', undefined, gus.token)).status).toBe(403);
  });

  it('exports the audit log as NDJSON, with my sign-in in it and the filter applied', async () => {
    const { page, context } = await signedOutAt(browser, origin);
    await signInWithPassword(page, 'ada', PASSWORD);
    await ready(page);
    await workspaceMenu(page, 'Admin');
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByLabel('Action', { exact: true }).fill('auth.login');
    await page.locator('tr[data-action="auth.login"]').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export NDJSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^parley-audit.*\.ndjson$/);
    const entries = fs.readFileSync(await download.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.action === 'auth.login')).toBe(true);
    expect(entries.some((e) => e.actorId === ada.user.id)).toBe(true);
    await context.close();
  });
});
