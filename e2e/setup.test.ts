// First run: the first visitor creates the workspace and the admin account, lands in
// #general with a welcome; a later visitor signs up through an invite link.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab, ready, screenshot, send, message } from './support/browser.js';
import { E2EServer, PASSWORD } from './support/server.js';

describe('first run', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('creates the workspace and the admin, lands in #general with a welcome, and invites someone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await openTab(context, server.url);
    await page.getByRole('heading', { name: 'Set up Parley' }).waitFor();
    await page.getByLabel('Workspace name').fill('Acme Rockets');
    await page.getByLabel('Your full name').fill('Ada Lovelace');
    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Email').fill('ada@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await screenshot(page, 'setup');
    await page.getByRole('button', { name: 'Create workspace' }).click();

    await ready(page);
    await page.getByRole('region', { name: 'Welcome' }).getByText('Welcome to Acme Rockets').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/c\//);
    expect(await page.locator('.sidebar__item--active').getAttribute('data-channel')).toBe('general');
    expect(await page.locator('.sidebar__workspace-name').textContent()).toBe('Acme Rockets');
    await send(page, 'Message #general', 'Hello, **world**');
    await message(page, 'Hello, world').locator('strong', { hasText: 'world' }).waitFor();
    await screenshot(page, 'first-run');

    // The welcome leads to an invite link; a newcomer signs up with it and lands in #general too.
    await page.getByRole('button', { name: 'Invite your team' }).click();
    const link = page.getByLabel('Invite link');
    await page.waitForFunction(() => (document.querySelector('input[aria-label="Invite link"]') as HTMLInputElement)?.value.includes('invite='));
    const invite = new URL(await link.inputValue()).searchParams.get('invite')!;
    await page.getByRole('button', { name: 'Close' }).click();

    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const newcomer = await openTab(other, `${server.url}/signup?invite=${invite}`);
    await newcomer.page.getByText('Create your account.').waitFor();
    await newcomer.page.getByLabel('Full name').fill('Bob Builder');
    await newcomer.page.getByLabel('Username').fill('bob');
    await newcomer.page.getByLabel('Email').fill('bob@example.test');
    await newcomer.page.getByLabel('Password').fill(PASSWORD);
    await newcomer.page.getByRole('button', { name: 'Create account' }).click();
    await ready(newcomer.page);
    await message(newcomer.page, 'Hello, world').waitFor();

    // Signing out and back in.
    await newcomer.page.getByRole('button', { name: /Acme Rockets/ }).click();
    await newcomer.page.getByRole('menuitem', { name: /Sign out/ }).click();
    await newcomer.page.getByRole('heading', { name: 'Sign in to Acme Rockets' }).waitFor();
    await newcomer.page.getByLabel('Username or email').fill('bob');
    await newcomer.page.getByLabel('Password').fill(PASSWORD);
    await newcomer.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await ready(newcomer.page);
    await message(newcomer.page, 'Hello, world').waitFor();

    expect(errors).toEqual([]);
    expect(newcomer.errors).toEqual([]);
    await context.close();
    await other.close();
  });
});
