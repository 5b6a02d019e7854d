// Custom emoji in the browser: an admin adds one from the picker's "Add emoji" dialog (and
// sees the server's refusals), a second person's open picker shows it live, they use it
// through `:` autocomplete and as a reaction, and everyone sees the image; removing it
// turns it back into text everywhere.
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composer, message, screenshot, signedIn, type Tab } from './support/browser.js';
import type { E2EServer, Person } from './support/server.js';
import { closePair, openPair, type Pair } from './support/pair.js';

/** A small square PNG of one colour, made here so the test needs no fixture files. */
const png = (rgb: { r: number; g: number; b: number }, size = 64) =>
  sharp({ create: { width: size, height: size, channels: 4, background: { ...rgb, alpha: 1 } } }).png().toBuffer();

/** Random pixels do not compress: a PNG well over the 256 KiB emoji limit. */
const bigPng = () => {
  const side = 400;
  const raw = Buffer.alloc(side * side * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
};

async function openEmojiDialogFromPicker(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Insert emoji' }).click();
  await page.getByRole('dialog', { name: 'Emoji picker' }).getByRole('button', { name: 'Add emoji' }).click();
  await page.getByRole('dialog', { name: 'Custom emoji' }).waitFor();
}

async function addEmoji(page: Page, name: string, file: { name: string; buffer: Buffer }): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Custom emoji' });
  await dialog.getByLabel('Image').setInputFiles({ name: file.name, mimeType: 'image/png', buffer: file.buffer });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Add emoji' }).click();
}

/** Screenshots after the dialogs' fade-in has finished. */
async function settledScreenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((x) => x.playState !== 'running' || x.effect?.getTiming().iterations === Infinity));
  await screenshot(page, name);
}

describe('custom emoji', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let ana: Person;
  let ben: Person;
  let general: string;
  let a: Tab;
  let b: Tab;

  let pair: Pair | undefined;

  beforeAll(async () => {
    pair = await openPair();
    ({ server, browser, ana, ben, general, a, b } = pair);
  }, 180_000);
  afterAll(() => closePair(pair), 60_000);

  it('an admin adds an emoji; a member whose picker is open sees it arrive; refusals are shown', async () => {
    // Ben's picker is open before the emoji exists: no Custom section yet.
    await b.page.getByRole('button', { name: 'Insert emoji' }).click();
    const bPicker = b.page.getByRole('dialog', { name: 'Emoji picker' });
    await bPicker.getByRole('heading', { name: 'Frequently used' }).waitFor();
    expect(await bPicker.getByRole('region', { name: 'Custom emoji' }).count()).toBe(0);
    // Members may not add emoji here (the workspace default), so the picker offers no button.
    expect(await bPicker.getByRole('button', { name: 'Add emoji' }).count()).toBe(0);

    await openEmojiDialogFromPicker(a.page);
    const dialog = a.page.getByRole('dialog', { name: 'Custom emoji' });
    await dialog.getByText('No custom emoji yet.').waitFor();
    await addEmoji(a.page, 'partyparrot', { name: 'parrot.png', buffer: await png({ r: 230, g: 60, b: 140 }) });
    await dialog.locator('.emoji-admin__item[data-emoji="partyparrot"] img[alt=":partyparrot:"]').waitFor();

    // Live in Ben's open picker, as an image, in the Custom section that comes first.
    const custom = bPicker.getByRole('region', { name: 'Custom emoji' });
    await custom.getByRole('button', { name: 'partyparrot' }).locator('img[alt=":partyparrot:"]').waitFor();
    expect(await bPicker.locator('section').first().getAttribute('aria-label')).toBe('Custom emoji');
    // It is searchable there too.
    await bPicker.getByRole('searchbox', { name: 'Search emoji' }).fill('partyp');
    await bPicker.getByRole('button', { name: 'partyparrot' }).waitFor();
    await settledScreenshot(b.page, 'emoji-picker-custom-light');
    await b.page.keyboard.press('Escape');

    // The server's refusals, in its words: the name is taken, the name is malformed, the image is too big.
    await addEmoji(a.page, 'partyparrot', { name: 'again.png', buffer: await png({ r: 10, g: 10, b: 10 }) });
    await dialog.getByRole('alert').filter({ hasText: 'There is already an emoji called :partyparrot:.' }).waitFor();
    await addEmoji(a.page, 'party parrot!', { name: 'again.png', buffer: await png({ r: 10, g: 10, b: 10 }) });
    await dialog.getByRole('alert').filter({ hasText: 'Emoji names are 1–64 lowercase letters' }).waitFor();
    await addEmoji(a.page, 'huge', { name: 'huge.png', buffer: await bigPng() });
    await dialog.getByRole('alert').filter({ hasText: 'at most 262144 bytes' }).waitFor();
    await settledScreenshot(a.page, 'emoji-dialog-error-light');
    await a.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const list = await server.api(ana, 'GET', '/api/v1/emoji');
    expect(list.emoji.map((e: { name: string }) => e.name)).toEqual(['partyparrot']);
  });

  it('the member uses it with :autocomplete and as a reaction; both see the image', async () => {
    const box = composer(b.page, 'Message #general');
    await box.fill('Ship it ');
    await box.pressSequentially(':partyp');
    const option = b.page.getByRole('option', { name: ':partyparrot:' });
    await option.locator('img[alt=":partyparrot:"]').waitFor();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Ship it :partyparrot: ');
    await box.press('Enter');

    for (const t of [a, b]) await message(t.page, 'Ship it').locator('.md img[alt=":partyparrot:"]').waitFor();
    const src = await message(a.page, 'Ship it').locator('.md img').getAttribute('src');
    expect(src).toMatch(/^\/api\/v1\/emoji\/partyparrot\/image\?v=/);
    // The image really loads (same origin, the session's cookie), it is not a broken icon.
    expect(await message(a.page, 'Ship it').locator('.md img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    // A reaction with it, through the message's "Add reaction" picker.
    const mine = message(b.page, 'Ship it');
    await mine.hover();
    await mine.getByRole('button', { name: 'Add reaction' }).click();
    const picker = b.page.getByRole('dialog', { name: 'Emoji picker' });
    await picker.getByRole('region', { name: 'Custom emoji' }).getByRole('button', { name: 'partyparrot' }).click();
    const pill = (t: Tab) => message(t.page, 'Ship it').locator('.reaction[data-emoji="partyparrot"]');
    await pill(a).locator('img[alt=":partyparrot:"]').waitFor();
    expect(await pill(a).locator('.reaction__count').textContent()).toBe('1');
    await pill(b).locator('img[alt=":partyparrot:"]').waitFor();
    // Ana adds hers by clicking the pill.
    await pill(a).click();
    await pill(b).locator('.reaction__count', { hasText: '2' }).waitFor();
    await settledScreenshot(a.page, 'emoji-in-message-light');
  });

  it('dark theme: the picker and the dialog read well', async () => {
    const dark = await signedIn(browser, server, ana, `/c/${general}`, { colorScheme: 'dark' });
    expect(await dark.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await message(dark.page, 'Ship it').locator('.md img[alt=":partyparrot:"]').waitFor();
    await dark.page.getByRole('button', { name: 'Insert emoji' }).click();
    await dark.page.getByRole('region', { name: 'Custom emoji' }).locator('img').first().waitFor();
    await settledScreenshot(dark.page, 'emoji-picker-custom-dark');
    await dark.page.keyboard.press('Escape');
    // The workspace menu leads to the same dialog.
    await dark.page.locator('.sidebar__workspace').click();
    await dark.page.getByRole('menuitem', { name: 'Custom emoji' }).click();
    await dark.page.getByRole('dialog', { name: 'Custom emoji' }).locator('.emoji-admin__item[data-emoji="partyparrot"]').waitFor();
    await settledScreenshot(dark.page, 'emoji-dialog-dark');
    expect(dark.errors).toEqual([]);
    await dark.context.close();
  });

  it('removing it turns it back into text everywhere, live', async () => {
    await a.page.locator('.sidebar__workspace').click();
    await a.page.getByRole('menuitem', { name: 'Custom emoji' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Custom emoji' });
    await dialog.getByRole('button', { name: 'Remove :partyparrot:' }).click();
    await dialog.getByText('No custom emoji yet.').waitFor();
    await a.page.keyboard.press('Escape');
    for (const t of [a, b]) {
      await message(t.page, 'Ship it').locator('.md img').waitFor({ state: 'detached' });
      expect(await message(t.page, 'Ship it').locator('.md').textContent()).toContain('Ship it :partyparrot:');
    }
    // The member cannot add one: the dialog says so instead of offering the form.
    await b.page.locator('.sidebar__workspace').click();
    await b.page.getByRole('menuitem', { name: 'Custom emoji' }).click();
    await b.page.getByRole('dialog', { name: 'Custom emoji' }).getByText('Only admins can add custom emoji in this workspace.').waitFor();
    expect(await b.page.getByRole('dialog', { name: 'Custom emoji' }).getByLabel('Image').count()).toBe(0);
    await b.page.keyboard.press('Escape');
  });
});
