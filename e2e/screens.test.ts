// The main screens, light and dark, desktop and phone: screenshots for people to look at,
// the phone layout (a drawer sidebar, a full-screen thread), themes and keyboard use.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composer, launch, message, screenshot, send, sidebarItem, signedIn } from './support/browser.js';
import { seedWorkspace, type Seeded } from './support/seed.js';
import { E2EServer } from './support/server.js';

describe('screens', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let w: Seeded;

  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
    w = await seedWorkspace(server);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('desktop, light and dark, with a thread open; the theme toggles', async () => {
    const light = await signedIn(browser, server, w.ada, `/c/${w.general}`, { colorScheme: 'light' });
    const { page } = light;
    await message(page, 'Checklist for Monday').waitFor();
    await page.locator('.hljs-keyword').first().waitFor(); // the highlighter chunk loaded
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await screenshot(page, 'desktop-light');

    await message(page, 'name the mascot').getByRole('button', { name: /2 replies/ }).click();
    await page.getByRole('complementary', { name: 'Thread' }).locator('.msg', { hasText: 'Love it' }).waitFor();
    await screenshot(page, 'desktop-light-thread');

    // The toggle in the sidebar switches to dark and is remembered.
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await page.locator('.app[data-synced="true"]').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(light.errors).toEqual([]);
    await light.context.close();

    // Dark by the system's preference.
    const dark = await signedIn(browser, server, w.ada, `/c/${w.general}`, { colorScheme: 'dark' });
    await message(dark.page, 'Checklist for Monday').waitFor();
    expect(await dark.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await message(dark.page, 'Quick question').hover();
    await screenshot(dark.page, 'desktop-dark');
    await dark.page.locator('.sidebar__item', { hasText: 'Threads' }).click();
    await dark.page.getByRole('list', { name: 'Followed threads' }).getByRole('listitem').first().waitFor();
    await screenshot(dark.page, 'desktop-dark-threads');
    await dark.context.close();
  });

  it('keyboard: quick switcher, Alt+arrows between channels, emoji autocomplete', async () => {
    const { page, context, errors } = await signedIn(browser, server, w.ada, `/c/${w.general}`);
    await composer(page, 'Message #general').waitFor();
    await page.keyboard.press('Control+k');
    const switcher = page.getByRole('dialog', { name: 'Jump to…' });
    await switcher.waitFor();
    await page.keyboard.type('des');
    await screenshot(page, 'desktop-switcher');
    await page.keyboard.press('Enter');
    await composer(page, 'Message #design').waitFor();
    expect(await switcher.count()).toBe(0);

    // Alt+Down / Alt+Up follow the sidebar order (design, general, leadership, random).
    await page.keyboard.press('Alt+ArrowDown');
    await composer(page, 'Message #general').waitFor();
    await page.keyboard.press('Alt+ArrowUp');
    await composer(page, 'Message #design').waitFor();

    // People by name in the switcher open the DM.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('cath');
    await page.keyboard.press('Enter');
    await composer(page, 'Message Catherine Zhou').waitFor();
    await page.getByText('This is the very beginning of your direct message history with Catherine Zhou').waitFor();

    // ":" autocompletes emoji; the message shows the character.
    const box = composer(page, 'Message Catherine Zhou');
    await box.pressSequentially('Ship it :rocke');
    await page.getByRole('option', { name: /:rocket:/ }).waitFor();
    await screenshot(page, 'desktop-autocomplete');
    await box.press('Tab');
    expect(await box.inputValue()).toBe('Ship it :rocket: ');
    await box.press('Enter');
    await message(page, 'Ship it').locator('.emoji', { hasText: '🚀' }).waitFor();

    // A draft survives a reload.
    await box.fill('half a thought');
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('parley:draft:') && localStorage.getItem(k)?.includes('half a thought')));
    await page.reload();
    expect(await composer(page, 'Message Catherine Zhou').inputValue()).toBe('half a thought');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('phone at 390 px: a drawer sidebar, and everything still works', async () => {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const { page, context, errors } = await signedIn(browser, server, w.bob, `/c/${w.general}`, phone);
    await message(page, 'Checklist for Monday').waitFor();
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-channel');

    await page.getByRole('button', { name: 'Open sidebar' }).tap();
    await page.locator('.sidebar').waitFor({ state: 'visible' });
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.sidebar')!).transform === 'none'); // slid in
    await screenshot(page, 'phone-drawer');
    await sidebarItem(page, 'design').tap();
    await composer(page, 'Message #design').waitFor();
    await page.locator('.sidebar').waitFor({ state: 'hidden' });
    await send(page, 'Message #design', 'Posting from my phone');
    await message(page, 'Posting from my phone').waitFor();

    // Tapping a message shows its actions; the thread takes the whole screen.
    await sidebarItem(page, 'general').dispatchEvent('click');
    const root = message(page, 'name the mascot');
    await root.locator('.msg__author').tap();
    await root.getByRole('button', { name: 'Reply in thread' }).tap();
    const panel = page.getByRole('complementary', { name: 'Thread' });
    await panel.locator('.msg', { hasText: 'Love it' }).waitFor();
    expect((await panel.boundingBox())?.width).toBe(390);
    await send(page, 'Reply…', 'Parrot gets my vote');
    await panel.locator('.msg', { hasText: 'Parrot gets my vote' }).waitFor();
    await screenshot(page, 'phone-thread');
    await page.getByRole('button', { name: 'Close thread' }).tap();
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await context.close();
  });
});
