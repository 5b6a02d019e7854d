// Helpers for the account-security and admin browser tests: a server reachable as
// http://localhost:<port> (WebAuthn needs a domain, not an IP, as relying party), a Chromium
// virtual authenticator, TOTP codes from the key the page shows, and signing in through the UI.
import type { Browser, Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import type { Config } from '../../server/src/config.js';
import { freePort } from '../../server/test/sso-helpers.js';
import { openTab, ready, type Tab } from './browser.js';
import { E2EServer, type Person } from './server.js';

export { freePort };

/** A server whose public URL is http://localhost:<port>; `origin` is what the browser should open. */
export async function startLocalhostServer(config: Partial<Config> = {}): Promise<{ server: E2EServer; origin: string }> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  return { server: await E2EServer.start({ port, publicUrl: origin, ...config }), origin };
}

/** A browser context signed in as `person` on `origin` (cookies as sign-in would set them). */
export async function signedInAt(browser: Browser, origin: string, person: Person, path = '/', colorScheme: 'light' | 'dark' = 'light'): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  await context.addCookies([
    { name: 'parley_session', value: person.token, url: origin, httpOnly: true, sameSite: 'Lax' },
    { name: 'parley_csrf', value: person.csrfToken, url: origin, sameSite: 'Lax' },
  ]);
  context.setDefaultTimeout(15_000);
  const tab = await openTab(context, origin + path);
  if (path === '/' || path.startsWith('/c/')) await ready(tab.page);
  return tab;
}

/** A fresh, signed-out page on `origin`, at the sign-in screen. */
export async function signedOutAt(browser: Browser, origin: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  context.setDefaultTimeout(15_000);
  const tab = await openTab(context, `${origin}/login`);
  await tab.page.getByRole('heading', { name: /^Sign in to/ }).waitFor();
  return tab;
}

/** A platform authenticator with user verification on this page (Chrome DevTools' WebAuthn domain). */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

/**
 * A code for the key, one 30-second step ahead: still accepted (the server allows ±1 step) and
 * never the step a previous code in the same half-minute used, which the server refuses to replay.
 */
export function totpCode(key: string, stepsAhead = 0): string {
  const secret = Secret.fromBase32(key.replace(/\s+/g, ''));
  return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** Types username and password on the sign-in screen and presses Sign in. */
export async function signInWithPassword(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The manual key the TOTP set-up shows (the data attribute holds it without the spaces). */
export async function shownTotpKey(page: Page): Promise<string> {
  const key = page.getByLabel('Setup key');
  await key.waitFor();
  return (await key.getAttribute('data-secret'))!;
}

/** Opens the workspace menu and picks an entry. */
export async function workspaceMenu(page: Page, entry: string | RegExp): Promise<void> {
  await page.locator('.sidebar__workspace').click();
  await page.getByRole('menuitem', { name: entry }).click();
}

/** Presses a ConfirmButton (named `ariaLabel`) and then its in-place confirmation. */
export async function confirmInPlace(page: Page, ariaLabel: string, confirmLabel: string): Promise<void> {
  await page.getByRole('button', { name: ariaLabel, exact: true }).click();
  await page.getByRole('group', { name: ariaLabel, exact: true }).getByRole('button', { name: confirmLabel, exact: true }).click();
}
