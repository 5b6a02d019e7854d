// Long history: a channel with 100,000 messages opens at the newest page quickly, keeps only
// what is on screen in the DOM, and scrolling back prepends pages without moving what you
// are reading; a shorter channel scrolls all the way back to its very first message.
import type { Browser, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, signedIn } from './support/browser.js';
import { E2EServer, type Person } from './support/server.js';

/** Inserts n top-level messages straight into the database (as an import would), one a minute. */
async function bulkMessages(server: E2EServer, channelId: string, userId: string, n: number): Promise<void> {
  const start = Date.now() - n * 60_000;
  for (let from = 1; from <= n; from += 2000) {
    const rows = [];
    for (let seq = from; seq < Math.min(from + 2000, n + 1); seq++) {
      rows.push({ id: uuidv7(), channel_id: channelId, user_id: userId, text: `History message ${seq}`, seq, created_at: new Date(start + seq * 60_000) });
    }
    await server.db.insertInto('messages').values(rows).execute();
  }
  await server.db.updateTable('channels').set({ last_seq: n }).where('id', '=', channelId).execute();
  await server.db.updateTable('channel_members').set({ last_read_seq: n }).where('channel_id', '=', channelId).execute();
}

const scroller = (page: Page) => page.locator('.channel .message-list__scroller');

/** The first message fully inside the list's viewport, and its distance from the top. */
async function topVisible(page: Page): Promise<{ text: string; offset: number }> {
  return page.evaluate(() => {
    const box = document.querySelector('.channel .message-list__scroller')!.getBoundingClientRect();
    for (const m of document.querySelectorAll<HTMLElement>('.channel .msg')) {
      const r = m.getBoundingClientRect();
      if (r.top >= box.top) return { text: m.querySelector('.md')?.textContent ?? '', offset: r.top - box.top };
    }
    throw new Error('no message on screen');
  });
}

describe('long history', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let ana: Person;

  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
    ana = await server.person('ana', 'Ana Admin');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('opens a 100,000-message channel at the newest page and scrolls back without jumps', async () => {
    const big = await server.api(ana, 'POST', '/api/v1/channels', { name: 'big', kind: 'public' });
    await bulkMessages(server, big.id, ana.user.id, 100_000);

    const started = Date.now();
    const { page, context, errors } = await signedIn(browser, server, ana, `/c/${big.id}`);
    await page.locator('.channel .msg', { hasText: 'History message 100000' }).waitFor();
    const openMs = Date.now() - started;
    console.log(`100,000-message channel: newest message on screen ${openMs} ms after navigation`);
    expect(openMs).toBeLessThan(5000);
    expect(await page.locator('.channel .msg').count()).toBeLessThan(120);

    // Scroll up as a person would, a few hundred pixels at a time. Each older page is held at
    // the network until the message at the top of the screen is noted; once the page is
    // prepended, that message must not have moved.
    for (let i = 0; i < 4; i++) {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let requested = false;
      await page.route('**/api/v1/channels/*/messages?before=*', async (route) => {
        requested = true;
        await held;
        await route.continue();
      });
      for (let step = 0; !requested; step++) {
        if (step > 200) throw new Error('scrolling up never asked for older messages');
        await scroller(page).evaluate((el) => el.scrollBy(0, -400));
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      }
      const anchor = await topVisible(page);
      release();
      await page.locator('.channel .message-list[data-loading=""]').waitFor({ state: 'attached' });
      await page.unroute('**/api/v1/channels/*/messages?before=*');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const after = await page.evaluate((text) => {
        const box = document.querySelector('.channel .message-list__scroller')!.getBoundingClientRect();
        const m = [...document.querySelectorAll<HTMLElement>('.channel .msg')].find((x) => x.querySelector('.md')?.textContent === text);
        return m ? m.getBoundingClientRect().top - box.top : null;
      }, anchor.text);
      expect(after, `${anchor.text} stays where it was`).not.toBeNull();
      expect(Math.abs(after! - anchor.offset), `${anchor.text} moved`).toBeLessThan(4);
    }
    expect(await page.locator('.channel .msg').count()).toBeLessThan(150);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('scrolls a shorter channel back to its very first message', async () => {
    const mid = await server.api(ana, 'POST', '/api/v1/channels', { name: 'mid', kind: 'public' });
    await bulkMessages(server, mid.id, ana.user.id, 400);
    const { page, context } = await signedIn(browser, server, ana, `/c/${mid.id}`);
    await page.locator('.channel .msg', { hasText: 'History message 400' }).waitFor();
    const intro = page.getByText('This is the very beginning of #mid');
    for (let i = 0; i < 20 && !(await intro.isVisible()); i++) {
      await scroller(page).evaluate((el) => el.scrollTo(0, 0));
      await page.locator('.channel .message-list[data-loading=""]').waitFor({ state: 'attached' });
      await page.waitForFunction(() => document.querySelector('.channel .message-list__scroller')!.scrollTop > 0 || !!document.querySelector('.channel-intro'));
    }
    await intro.waitFor();
    await page.locator('.channel .msg .md', { hasText: /^History message 1$/ }).waitFor();
    expect(await page.locator('.channel .msg .md', { hasText: /^History message 1$/ }).count()).toBe(1);
    await context.close();
  }, 60_000);
});
