// Search in the browser: filters picked from the box's suggestions, results grouped by
// channel with their matches marked, private channels kept private, files by name, "load
// more", and a click that opens a result far back in history (or in its thread), highlighted.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, signedIn, type Tab } from './support/browser.js';
import { E2EServer, type Person } from './support/server.js';

const panel = (page: Page) => page.getByRole('complementary', { name: 'Search results' });
const box = (page: Page) => page.getByRole('combobox', { name: 'Search messages' });
const groupTitles = (page: Page) => panel(page).locator('.search-group:not(.search-files) .search-group__title > span:first-of-type').allTextContents();
const hits = (page: Page, channel?: string) =>
  panel(page).locator(channel ? `.search-group[data-channel="${channel}"] .search-hit__text` : '.search-hit__text').allTextContents();

/** Types a query (Ctrl+G focuses the box) and runs it with Enter, waiting for the answer. */
async function search(page: Page, q: string): Promise<void> {
  await page.keyboard.press('Control+g');
  await box(page).fill(q);
  await box(page).press('Enter');
  await page.waitForFunction((query) => {
    const p = document.querySelector('.search-panel');
    return p?.getAttribute('aria-busy') === 'false' && p.querySelector('.search-panel__query')?.textContent === query;
  }, q);
}

async function settledScreenshot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((x) => x.playState !== 'running' || x.effect?.getTiming().iterations === Infinity));
  await screenshot(page, name);
}

describe('search', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let ana: Person;
  let ben: Person;
  let cat: Person;
  let general: string;
  let history: string;
  let needle: { id: string };
  let reply: { id: string };
  let b: Tab;

  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
    ana = await server.person('ana', 'Ana Admin');
    ben = await server.person('ben', 'Ben Builder');
    cat = await server.person('cat', 'Cat Newcomer');
    general = await server.general(ana);
    const design = (await server.api(ana, 'POST', '/api/v1/channels', { name: 'design', kind: 'public' })).id;
    await server.api(ben, 'POST', `/api/v1/channels/${design}/join`);
    const secret = (await server.api(ana, 'POST', '/api/v1/channels', { name: 'secret', kind: 'private' })).id;
    history = (await server.api(ana, 'POST', '/api/v1/channels', { name: 'history', kind: 'public' })).id;
    await server.api(ben, 'POST', `/api/v1/channels/${history}/join`);

    await server.say(ben, general, 'The rocket launch moves to Friday');
    await server.say(ana, general, 'Launch checklist is ready for review');
    await server.say(ben, design, 'Launch colours for the rocket are in');
    await server.say(ana, secret, 'Secret launch budget is 2 million');
    const root = await server.say(ben, design, 'Feedback on the new logo, please');
    reply = await server.say(ana, design, 'The launch logo needs more contrast', { threadRootId: root.id });

    // A file whose name matches, shared in #general.
    const form = new FormData();
    form.append('file', new Blob(['T-minus ten']), 'launch-plan.txt');
    const up = await fetch(`${server.url}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${ben.token}` }, body: form });
    const [file] = (await up.json()).files;
    await server.say(ben, general, 'Plan attached', { fileIds: [file.id] });

    // Far back: the needle, then 130 newer messages, all through the API.
    needle = await server.say(ana, history, 'A needle about kiwifruit hides here');
    for (let i = 1; i <= 130; i++) await server.say(ana, history, `Filler message number ${i}`);

    b = await signedIn(browser, server, ben, `/c/${general}`);
  }, 180_000);
  afterAll(async () => {
    expect(b?.errors ?? []).toEqual([]);
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('a filter picked from the suggestions finds only the right messages, grouped by channel', async () => {
    const page = b.page;
    await page.keyboard.press('Control+g');
    await box(page).pressSequentially('launch fr');
    const suggestions = page.getByRole('listbox', { name: 'Search suggestions' });
    await suggestions.getByRole('option', { name: /^from:/ }).waitFor();
    await box(page).press('Tab');
    expect(await box(page).inputValue()).toBe('launch from:');
    await box(page).pressSequentially('@b');
    await suggestions.getByRole('option', { name: /from:@ben/ }).click();
    expect(await box(page).inputValue()).toBe('launch from:@ben ');
    await settledScreenshot(page, 'search-suggestions-light');
    await box(page).press('Enter');
    await panel(page).locator('.search-group').first().waitFor();

    // Ben's two launch messages, one per channel; none of Ana's.
    expect((await groupTitles(page)).sort()).toEqual(['design', 'general']);
    expect(await hits(page, 'general')).toEqual(['The rocket launch moves to Friday']);
    expect(await hits(page, 'design')).toEqual(['Launch colours for the rocket are in']);
    // The matched word is marked (as an element, not as markup in the text).
    expect(await panel(page).locator('.search-group[data-channel="general"] mark').allTextContents()).toEqual(['launch']);
    await settledScreenshot(page, 'search-results-light');
  });

  it("a private channel's messages never show for a non-member, and the files are listed", async () => {
    await search(b.page, 'launch');
    const all = await hits(b.page);
    expect(all).toContain('Launch checklist is ready for review');
    expect(all.some((t) => /budget/i.test(t))).toBe(false);
    expect(await groupTitles(b.page)).not.toContain('secret');
    await panel(b.page).locator('.search-files .search-file__name', { hasText: 'launch-plan.txt' }).waitFor();

    await search(b.page, 'budget');
    await panel(b.page).getByRole('heading', { name: 'No results' }).waitFor();

    // Ana is in #secret: the same words find it for her, so the absence above is the rule at work.
    const a = await signedIn(browser, server, ana, `/c/${general}`);
    await search(a.page, 'budget');
    expect(await hits(a.page, 'secret')).toEqual(['Secret launch budget is 2 million']);
    await a.context.close();
  });

  it('clicking a result 130 messages back opens the channel there and highlights it', async () => {
    const page = b.page;
    await search(page, 'kiwifruit');
    await panel(page).locator('.search-hit', { hasText: 'needle' }).click();
    await page.waitForURL(`**/c/${history}?message=${needle.id}`);
    const target = page.locator(`.channel .msg--highlight[data-message-id="${needle.id}"]`);
    await target.waitFor();
    // On screen inside the list, not merely in the DOM.
    const [list, msg] = await Promise.all([page.locator('.channel .message-list__scroller').boundingBox(), target.boundingBox()]);
    expect(msg!.y).toBeGreaterThanOrEqual(list!.y);
    expect(msg!.y + msg!.height).toBeLessThanOrEqual(list!.y + list!.height);
    // The newest messages were not loaded to get there.
    expect(await page.locator('.channel .msg', { hasText: 'Filler message number 130' }).count()).toBe(0);
  });

  it('more results arrive with "load more", and a reply opens in its thread', async () => {
    const page = b.page;
    await search(page, 'filler');
    await page.waitForFunction(() => document.querySelectorAll('.search-hit').length === 20);
    await panel(page).getByRole('button', { name: 'Load more results' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.search-hit').length === 40);
    expect(new Set(await hits(page)).size).toBe(40);

    await search(page, 'contrast is:thread');
    await panel(page).locator('.search-hit', { hasText: 'in a thread' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.locator(`.msg--highlight[data-message-id="${reply.id}"]`).waitFor();
    await panel(page).waitFor({ state: 'detached' });
  });

  it('a public channel one has not joined opens at the result too; dark theme', async () => {
    const c = await signedIn(browser, server, cat, `/c/${general}`, { colorScheme: 'dark' });
    await search(c.page, 'colours');
    expect(await groupTitles(c.page)).toEqual(['design']);
    await settledScreenshot(c.page, 'search-results-dark');
    await panel(c.page).locator('.search-hit').first().click();
    await c.page.locator('.channel .msg--highlight', { hasText: 'Launch colours for the rocket' }).waitFor();
    await c.page.getByRole('button', { name: 'Join channel' }).waitFor();
    expect(c.errors).toEqual([]);
    await c.context.close();
  });

  it('on a phone the results take the screen, and the thread search reaches them too', async () => {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const p = await signedIn(browser, server, ben, '/threads', phone);
    await search(p.page, 'rocket');
    await settledScreenshot(p.page, 'search-results-phone');
    const rect = await panel(p.page).boundingBox();
    expect(rect).toMatchObject({ x: 0, width: 390 });
    expect((await hits(p.page)).length).toBe(2);
    // Esc closes the panel; focusing the box brings the same results back.
    await panel(p.page).locator('.search-hit').first().focus();
    await p.page.keyboard.press('Escape');
    await panel(p.page).waitFor({ state: 'detached' });
    await box(p.page).focus();
    await panel(p.page).locator('.search-hit').first().waitFor();
    // A result opens in its channel, and the panel steps aside so it can be seen.
    await panel(p.page).locator('.search-hit', { hasText: 'moves to Friday' }).click();
    await p.page.locator('.channel .msg--highlight', { hasText: 'The rocket launch moves to Friday' }).waitFor();
    await panel(p.page).waitFor({ state: 'detached' });
    expect(p.errors).toEqual([]);
    await p.context.close();
  });
});
