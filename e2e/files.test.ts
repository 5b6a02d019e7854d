// Files and link previews in the browser: attaching by the picker, by drag and drop and by
// paste, with progress and size errors; images inline at their size for the other person,
// live; the full-size viewer; file cards whose download returns the bytes; link previews
// arriving live and removed by their author; the channel's Files tab. Light and dark.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/src/config.js';
import { composer, launch, message, screenshot, send, signedIn, until, type Tab } from './support/browser.js';
import { png, recordedVideo, transfer, wav } from './support/media.js';
import { E2EServer, type Person } from './support/server.js';

const MAX_FILE_SIZE = 300_000;
const LABEL = 'Message #general';

const fileInput = (page: Page) => page.locator('.channel input[type="file"]');
const chip = (page: Page, name: string) => page.locator('.channel .upload-chip', { hasText: name });

describe('files and link previews', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let pages: http.Server;
  let pagesUrl: string;
  let coverRequests = 0;
  let ana: Person;
  let ben: Person;
  let general: string;
  let a: Tab;
  let b: Tab;

  beforeAll(async () => {
    // The linked site: a page with Open Graph tags and its image. Parley fetches and stores the
    // image; browsers load Parley's copy (the client's CSP allows images from its origin only).
    const cover = await png(320, 200, [240, 120, 40]);
    pages = http.createServer((req, res) => {
      if (req.url === '/cover.png') {
        coverRequests++;
        return void res.writeHead(200, { 'content-type': 'image/png' }).end(cover);
      }
      if (req.url !== '/article') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head>
        <meta property="og:title" content="Rockets, explained">
        <meta property="og:description" content="How a rocket engine turns fuel into thrust, with pictures.">
        <meta property="og:site_name" content="Space Weekly">
        <meta property="og:image" content="/cover.png">
        <title>ignored</title></head><body>hello</body></html>`);
    });
    await new Promise<void>((r) => pages.listen(0, '127.0.0.1', r));
    pagesUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    const defaults = loadConfig({});
    [server, browser] = await Promise.all([
      E2EServer.start({
        files: { ...defaults.files, maxFileSize: MAX_FILE_SIZE },
        // Test-only: the fetcher may reach the loopback page server above.
        linkPreviews: { ...defaults.linkPreviews, allowLoopback: true },
      }),
      launch(),
    ]);
    ana = await server.person('ana', 'Ana Admin');
    ben = await server.person('ben', 'Ben Member');
    general = await server.general(ana);
    [a, b] = await Promise.all([
      signedIn(browser, server, ana, `/c/${general}`, { colorScheme: 'light' }),
      signedIn(browser, server, ben, `/c/${general}`, { colorScheme: 'dark' }),
    ]);
  }, 180_000);
  afterAll(async () => {
    expect(a?.errors ?? []).toEqual([]);
    expect(b?.errors ?? []).toEqual([]);
    await browser?.close();
    await server?.close();
    pages?.close();
  }, 60_000);

  it('the picker uploads an image that the other person sees inline, at its size, placeholder first', async () => {
    // Ben's scaled copies wait until the placeholder has been seen in place.
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    await b.context.route(/\/api\/v1\/files\/[^/]+\/(thumbnail|preview)$/, async (route) => {
      await held;
      await route.continue();
    });

    await fileInput(a.page).setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await png(1200, 800, [240, 120, 60]) });
    await chip(a.page, 'logo.png').and(a.page.locator('[data-state="done"]')).waitFor();
    await composer(a.page, LABEL).fill('Our new logo');
    await screenshot(a.page, 'files-tray-light');
    await composer(a.page, LABEL).press('Enter');
    await a.page.locator('.channel .upload-chip').first().waitFor({ state: 'detached' });

    const tile = message(b.page, 'Our new logo').locator('.inline-image');
    await tile.locator('.inline-image__placeholder').waitFor();
    // 1200×800 fits the 360-pixel box as 360×240, before any image bytes arrive: nothing jumps later.
    expect(await tile.boundingBox()).toMatchObject({ width: 360, height: 240 });
    expect(await tile.locator('.inline-image__placeholder').getAttribute('src')).toMatch(/^data:image\/webp;base64,/);
    release();
    await b.page.locator('.channel .inline-image--loaded').first().waitFor();
    await tile.locator('.inline-image__placeholder').waitFor({ state: 'detached' });
    expect(await tile.locator('.inline-image__img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(360);
    expect(await tile.boundingBox()).toMatchObject({ width: 360, height: 240 });
    await b.context.unroute(/\/api\/v1\/files\/[^/]+\/(thumbnail|preview)$/);
  });

  it('the viewer shows the original, steps with the arrow keys and closes with Esc', async () => {
    await fileInput(a.page).setInputFiles([
      { name: 'first.png', mimeType: 'image/png', buffer: await png(640, 960, [30, 200, 120]) },
      { name: 'second.png', mimeType: 'image/png', buffer: await png(900, 500, [200, 40, 220]) },
    ]);
    await a.page.locator('.channel .upload-chip[data-state="done"]').nth(1).waitFor();
    await send(a.page, LABEL, 'Two mockups');
    const msg = message(b.page, 'Two mockups');
    await msg.locator('.inline-image--loaded').nth(1).waitFor();

    await msg.getByRole('button', { name: 'Open first.png' }).click();
    const viewer = b.page.getByRole('dialog', { name: 'first.png' });
    await viewer.waitFor();
    const full = viewer.locator('img.image-viewer__img');
    await b.page.waitForFunction(() => (document.querySelector('img.image-viewer__img') as HTMLImageElement | null)?.naturalWidth === 640);
    expect(await full.getAttribute('src')).toMatch(/\/content$/);
    expect(await viewer.getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(/\/content\?download=true$/);
    await viewer.getByText('1 of 2').waitFor(); // the order they were picked in
    await screenshot(b.page, 'files-viewer-dark');
    // New messages scroll the list underneath; the viewer stays.
    for (let i = 0; i < 8; i++) await server.say(ana, general, `meanwhile ${i}`);
    await message(b.page, 'meanwhile 7').waitFor();
    await viewer.getByText('1 of 2').waitFor();

    await b.page.keyboard.press('ArrowRight');
    await b.page.getByRole('dialog', { name: 'second.png' }).getByText('2 of 2').waitFor();
    await b.page.keyboard.press('ArrowRight'); // wraps around
    await b.page.getByRole('dialog', { name: 'first.png' }).waitFor();
    await b.page.keyboard.press('ArrowLeft');
    await b.page.getByRole('dialog', { name: 'second.png' }).waitFor();
    await b.page.keyboard.press('Escape');
    await b.page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('drag and drop shows the drop zone and attaches; paste attaches; files alone make a message', async () => {
    const dropped = await png(300, 200, [250, 200, 40]);
    const dt = await transfer(a.page, [{ name: 'dropped.png', type: 'image/png', bytes: dropped }]);
    await a.page.dispatchEvent('.channel', 'dragenter', { dataTransfer: dt });
    await a.page.locator('.drop-overlay', { hasText: 'Upload to #general' }).waitFor();
    await screenshot(a.page, 'files-dropzone-light');
    await a.page.dispatchEvent('.channel .message-list', 'drop', { dataTransfer: dt });
    await a.page.locator('.drop-overlay').waitFor({ state: 'detached' });
    await chip(a.page, 'dropped.png').and(a.page.locator('[data-state="done"]')).waitFor();

    const pasted = await png(200, 200, [40, 90, 250]);
    await a.page.evaluate((b64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'pasted.png', { type: 'image/png' }));
      const box = document.querySelector('.channel textarea')!;
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, pasted.toString('base64'));
    await chip(a.page, 'pasted.png').and(a.page.locator('[data-state="done"]')).waitFor();
    expect(await composer(a.page, LABEL).inputValue()).toBe('');

    // No text: the send button takes files alone.
    await a.page.locator('.channel').getByRole('button', { name: 'Send message' }).click();
    const onB = b.page.locator('.channel .msg').filter({ has: b.page.locator('img[alt="dropped.png"]') });
    await onB.locator('img[alt="pasted.png"]').waitFor();
    expect(await onB.locator('.msg__body').innerText()).toBe('');
  });

  it('files dropped on the thread panel go with the reply', async () => {
    const root = message(a.page, 'Our new logo');
    await root.hover();
    await root.getByRole('button', { name: 'Reply in thread' }).click();
    const panel = a.page.getByRole('complementary', { name: 'Thread' });
    await panel.locator('.msg', { hasText: 'Our new logo' }).waitFor();
    // The 420-pixel panel is narrower than the 360-pixel image box plus the avatar: it scales, keeping 3:2.
    const tile = (await panel.locator('.msg', { hasText: 'Our new logo' }).locator('.inline-image').boundingBox())!;
    const side = (await panel.boundingBox())!;
    expect(tile.width).toBeLessThan(360);
    expect(tile.x + tile.width).toBeLessThanOrEqual(side.x + side.width);
    expect(Math.abs(tile.height - (tile.width * 2) / 3)).toBeLessThan(1.5);
    const dt = await transfer(a.page, [{ name: 'reply.png', type: 'image/png', bytes: await png(240, 160, [120, 220, 90]) }]);
    await a.page.dispatchEvent('.thread-panel', 'dragenter', { dataTransfer: dt });
    await panel.locator('.drop-overlay', { hasText: 'Upload to the thread' }).waitFor();
    await a.page.dispatchEvent('.thread-panel__scroll', 'drop', { dataTransfer: dt });
    await panel.locator('.upload-chip[data-state="done"]', { hasText: 'reply.png' }).waitFor();
    // The channel's own composer is untouched.
    expect(await a.page.locator('.channel .upload-chip').count()).toBe(0);
    await send(a.page, 'Reply…', 'a variant');
    await panel.locator('.msg', { hasText: 'a variant' }).locator('img[alt="reply.png"]').waitFor();
    await panel.locator('.msg', { hasText: 'a variant' }).locator('.inline-image--loaded').waitFor();
    await screenshot(a.page, 'files-thread-light');
    await a.page.getByRole('button', { name: 'Close thread' }).click();
  });

  it('uploads show progress bars, in order, hold Send back, and ✕ cancels one in flight', async () => {
    // Hold the upload requests, so "in progress" lasts until the test has looked.
    const held: Array<() => Promise<void>> = [];
    await a.context.route('**/api/v1/files', (route) => void held.push(() => route.continue().catch(() => {})));
    await composer(a.page, LABEL).fill('with a slow file');
    await fileInput(a.page).setInputFiles([
      { name: 'cancelled.png', mimeType: 'image/png', buffer: await png(300, 300, [200, 90, 90]) },
      { name: 'slow.png', mimeType: 'image/png', buffer: await png(400, 300, [90, 90, 200]) },
    ]);
    await a.page.getByRole('progressbar', { name: 'Uploading cancelled.png' }).waitFor();
    await a.page.getByRole('progressbar', { name: 'Uploading slow.png' }).waitFor();
    await a.page.locator('.channel .composer__hint', { hasText: 'Uploading files…' }).waitFor();
    expect(await a.page.locator('.channel').getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await screenshot(a.page, 'files-uploading-light');
    await composer(a.page, LABEL).press('Enter'); // waits too: nothing is sent half-attached
    // One at a time, in the order given: the first is in flight, the second waits for it.
    await until(() => held.length === 1, 'the first upload reached the server');
    await chip(a.page, 'cancelled.png').getByRole('button', { name: 'Remove cancelled.png' }).click();
    await chip(a.page, 'cancelled.png').waitFor({ state: 'detached' });
    await until(() => held.length === 2, 'the second upload started once the first was cancelled');
    await a.context.unroute('**/api/v1/files');
    await Promise.all(held.map((go) => go()));
    await chip(a.page, 'slow.png').and(a.page.locator('[data-state="done"]')).waitFor();
    await composer(a.page, LABEL).press('Enter');
    const sent = message(b.page, 'with a slow file');
    await sent.locator('img[alt="slow.png"]').waitFor();
    expect(await sent.locator('img[alt="cancelled.png"]').count()).toBe(0);
  });

  it('a file over the limit is refused at once; a failure can be removed', async () => {
    await fileInput(b.page).setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_FILE_SIZE + 1, 7) });
    const failed = chip(b.page, 'huge.bin');
    await failed.getByRole('alert').filter({ hasText: 'Too large: files can be at most 293 KB.' }).waitFor();
    expect(await failed.getAttribute('data-state')).toBe('failed');
    expect(await b.page.locator('.channel').getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    await screenshot(b.page, 'files-too-large-dark');
    await failed.getByRole('button', { name: 'Remove huge.bin' }).click();
    await failed.waitFor({ state: 'detached' });
  });

  it('any other file is a card with name, size and type, and its download returns the bytes', async () => {
    const csv = Buffer.from(`${'id,name,amount\n'}${Array.from({ length: 120 }, (_, i) => `${i},item ${i},${i * 3}`).join('\n')}\n`);
    await fileInput(a.page).setInputFiles({ name: 'budget.csv', mimeType: 'text/csv', buffer: csv });
    await chip(a.page, 'budget.csv').and(a.page.locator('[data-state="done"]')).waitFor();
    await send(a.page, LABEL, 'The budget');

    const card = message(b.page, 'The budget').locator('.file-card');
    await card.waitFor();
    await card.getByRole('link', { name: 'budget.csv', exact: true }).waitFor();
    expect(await card.locator('.file-card__meta').innerText()).toBe(`${(csv.length / 1024).toFixed(1)} KB · CSV`);
    await screenshot(b.page, 'files-messages-dark');

    const [download] = await Promise.all([b.page.waitForEvent('download'), card.getByRole('link', { name: 'Download budget.csv' }).click()]);
    expect(download.suggestedFilename()).toBe('budget.csv');
    expect(fs.readFileSync((await download.path())!)).toEqual(csv);
  });

  it('audio gets a native player that loads from the server', async () => {
    await fileInput(a.page).setInputFiles({ name: 'tone.wav', mimeType: 'audio/wav', buffer: wav() });
    await chip(a.page, 'tone.wav').and(a.page.locator('[data-state="done"]')).waitFor();
    await send(a.page, LABEL, 'Listen to this');
    const player = message(b.page, 'Listen to this').locator('audio[controls]');
    await player.waitFor();
    // The browser read the file's header through the CSP: it knows the length.
    await player.evaluate((el: HTMLAudioElement) => el.readyState >= 1 || new Promise((r) => el.addEventListener('loadedmetadata', r, { once: true })));
    expect(await player.evaluate((el: HTMLAudioElement) => el.duration)).toBeCloseTo(0.5, 2);
    await message(b.page, 'Listen to this').getByText('tone.wav').waitFor();
  });

  it('video gets a native player that loads from the server', async () => {
    const dt = await recordedVideo(a.page, 'clip.webm', 320, 180);
    await a.page.dispatchEvent('.channel', 'dragenter', { dataTransfer: dt });
    await a.page.dispatchEvent('.channel .message-list', 'drop', { dataTransfer: dt });
    await chip(a.page, 'clip.webm').and(a.page.locator('[data-state="done"]')).waitFor();
    await send(a.page, LABEL, 'A short clip');
    const player = message(b.page, 'A short clip').locator('video[controls]');
    await player.waitFor();
    await player.evaluate((el: HTMLVideoElement) => el.readyState >= 1 || new Promise((r) => el.addEventListener('loadedmetadata', r, { once: true })));
    expect(await player.evaluate((el: HTMLVideoElement) => [el.videoWidth, el.videoHeight])).toEqual([320, 180]);
    await screenshot(b.page, 'files-media-dark');
  });

  it('a link preview arrives live; its author removes it and it vanishes for the other person', async () => {
    await send(a.page, LABEL, `Worth a read: ${pagesUrl}/article`);
    const preview = (t: Tab) => message(t.page, 'Worth a read').locator('.link-preview');
    await preview(b).getByRole('link', { name: 'Rockets, explained' }).waitFor();
    expect(await preview(b).locator('.link-preview__site').innerText()).toBe('Space Weekly');
    expect(await preview(b).locator('.link-preview__description').innerText()).toBe('How a rocket engine turns fuel into thrust, with pictures.');
    await b.page.waitForFunction(() => (document.querySelector('.link-preview__image img') as HTMLImageElement | null)?.naturalWidth! > 0);
    // The image comes from Parley, not from the linked site: only the server fetched it, once.
    expect(await preview(b).locator('.link-preview__image img').getAttribute('src')).toMatch(/^\/api\/v1\/messages\/[0-9a-f-]+\/previews\/[0-9a-f-]+\/image$/);
    expect(coverRequests).toBe(1);
    // Only the author has the ✕.
    expect(await preview(b).getByRole('button', { name: /Remove preview/ }).count()).toBe(0);
    await preview(a).waitFor();
    await message(a.page, 'Worth a read').hover();
    await screenshot(a.page, 'files-preview-light');
    await preview(a).getByRole('button', { name: 'Remove preview of Rockets, explained' }).click();
    await preview(b).waitFor({ state: 'detached' });
    await preview(a).waitFor({ state: 'detached' });
    await message(b.page, 'Worth a read').waitFor();
  });

  it("the channel details list the channel's files with size, uploader and link", async () => {
    await b.page.locator('.channel-header').getByRole('button', { name: /members/ }).click();
    const dialog = b.page.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Files' }).click();
    const list = dialog.getByRole('list', { name: 'Files' });
    const row = list.getByRole('listitem').filter({ hasText: 'budget.csv' });
    await row.waitFor();
    expect(await row.locator('.file-list__meta').innerText()).toMatch(/^\d+\.\d KB · CSV · Ana Admin · /);
    expect(await row.getByRole('link', { name: 'budget.csv', exact: true }).getAttribute('href')).toMatch(/^\/api\/v1\/files\/[^/]+\/content$/);
    for (const name of ['logo.png', 'first.png', 'second.png', 'dropped.png', 'pasted.png']) await list.getByRole('link', { name, exact: true }).waitFor();
    expect(await list.getByText('huge.bin').count()).toBe(0);
    await screenshot(b.page, 'files-details-dark');
    await b.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
