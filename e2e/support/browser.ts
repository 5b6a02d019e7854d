// Debian's Chromium through playwright-core, and helpers to act as a person in it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { E2EServer, Person } from './server.js';

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../screenshots');

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set PARLEY_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Errors the page threw or logged; tests assert there are none. */
  errors: string[];
}

export async function openTab(context: BrowserContext, url: string): Promise<Tab> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Expected while offline or while the server restarts: failed requests and sockets.
    if (m.type() === 'error' && !/Failed to load resource|WebSocket|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(m.text())) errors.push(m.text());
  });
  await page.goto(url);
  return { context, page, errors };
}

/** A browser context signed in as `person` (session and CSRF cookies set, as sign-in would). */
export async function signedIn(browser: Browser, server: E2EServer, person: Person, path = '/', options: BrowserContextOptions = {}): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  await context.addCookies([
    { name: 'parley_session', value: person.token, url: server.url, httpOnly: true, sameSite: 'Lax' },
    { name: 'parley_csrf', value: person.csrfToken, url: server.url, sameSite: 'Lax' },
  ]);
  context.setDefaultTimeout(15_000);
  const tab = await openTab(context, server.url + path);
  await ready(tab.page);
  return tab;
}

/** Signed in, connected and synced: the sidebar lists channels and the socket is up. */
export async function ready(page: Page): Promise<void> {
  await page.locator('.app[data-connection="online"][data-synced="true"]').waitFor();
  await page.locator('.sidebar__item[data-channel-id]').first().waitFor({ state: 'attached' });
}

export function composer(page: Page, label: string) {
  return page.getByRole('textbox', { name: label, exact: true });
}

/** Types into a composer and sends with Enter. */
export async function send(page: Page, label: string, text: string): Promise<void> {
  const box = composer(page, label);
  await box.fill(text);
  await box.press('Enter');
}

export function message(page: Page, text: string, scope = '.channel') {
  return page.locator(`${scope} .msg`).filter({ hasText: text });
}

export function sidebarItem(page: Page, name: string) {
  return page.locator(`.sidebar__item[data-channel="${name}"]`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Waits until `check` holds (for state outside the DOM, e.g. what the API says). */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
