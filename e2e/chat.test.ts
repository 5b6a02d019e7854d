// Two people in two browsers: messages, unread counts, threads, reactions, edits, deletes
// and mentions all arrive live, without a reload.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composer, message, send, sidebarItem, signedIn, type Tab } from './support/browser.js';
import type { E2EServer, Person } from './support/server.js';
import { closePair, openPair, type Pair } from './support/pair.js';

describe('chatting live', { timeout: 60_000 }, () => {
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

  it('A posts and B sees it live, once, without a reload', async () => {
    await send(a.page, 'Message #general', 'Hi Ben, the *launch* is on');
    await message(b.page, 'Hi Ben, the launch is on').locator('em', { hasText: 'launch' }).waitFor();
    await message(a.page, 'Hi Ben, the launch is on').waitFor();
    expect(await message(b.page, 'Hi Ben, the launch is on').count()).toBe(1);
    expect(await message(a.page, 'Hi Ben, the launch is on').count()).toBe(1);
    // Consecutive messages from one author share a header.
    await send(a.page, 'Message #general', 'second line from Ana');
    await message(b.page, 'second line from Ana').waitFor();
    expect(await message(b.page, 'second line from Ana').getAttribute('class')).toContain('msg--grouped');
  });

  it("B's unread badge counts and clears, on every tab of B's", async () => {
    const dm = await server.api(ana, 'POST', '/api/v1/dms', { userIds: [ben.user.id] });
    const benAgain = await signedIn(browser, server, ben, `/c/${general}`);
    const dmItem = (t: Tab) => t.page.locator(`.sidebar__item[data-channel-id="${dm.id}"]`);
    await dmItem(b).waitFor();
    await server.say(ana, dm.id, 'ping one');
    await dmItem(b).locator('.badge', { hasText: '1' }).waitFor();
    await server.say(ana, dm.id, 'ping two');
    await dmItem(b).locator('.badge', { hasText: '2' }).waitFor();
    await dmItem(benAgain).locator('.badge', { hasText: '2' }).waitFor();
    expect(await dmItem(b).getAttribute('class')).toContain('sidebar__item--unread');

    // A channel: bold while unread, no number without a mention.
    const plans = await server.api(ana, 'POST', '/api/v1/channels', { name: 'plans', kind: 'public' });
    await server.api(ana, 'POST', `/api/v1/channels/${plans.id}/members`, { userIds: [ben.user.id] });
    await sidebarItem(b.page, 'plans').waitFor();
    await server.say(ana, plans.id, 'plans are ready');
    await b.page.locator('.sidebar__item--unread[data-channel="plans"]').waitFor();
    expect(await sidebarItem(b.page, 'plans').locator('.badge').count()).toBe(0);

    // Reading the DM in one tab clears it in the other.
    await dmItem(b).click();
    await message(b.page, 'ping two').waitFor();
    await dmItem(benAgain).locator('.badge').waitFor({ state: 'detached' });
    await b.page.waitForFunction((id) => !document.querySelector(`.sidebar__item[data-channel-id="${id}"] .badge`), dm.id);
    await sidebarItem(b.page, 'plans').click();
    await message(b.page, 'plans are ready').waitFor();
    await benAgain.page.locator('.sidebar__item[data-channel="plans"]:not(.sidebar__item--unread)').waitFor();
    await benAgain.context.close();
    await sidebarItem(b.page, 'general').click();
  });

  it('a thread reply shows in the thread and as unread in the Threads view', async () => {
    await send(a.page, 'Message #general', 'Name for the mascot?');
    const root = message(b.page, 'Name for the mascot?');
    await root.hover();
    await root.getByRole('button', { name: 'Reply in thread' }).click();
    const panel = b.page.getByRole('complementary', { name: 'Thread' });
    await panel.locator('.msg', { hasText: 'Name for the mascot?' }).waitFor();
    await send(b.page, 'Reply…', 'A parrot, obviously');
    await panel.locator('.msg', { hasText: 'A parrot, obviously' }).waitFor();

    // Ana (the root's author) now follows the thread: it is unread for her.
    await message(a.page, 'Name for the mascot?').locator('.thread-link', { hasText: '1 reply' }).waitFor();
    await a.page.locator('.sidebar__item', { hasText: 'Threads' }).locator('.badge', { hasText: '1' }).waitFor();
    await a.page.locator('.sidebar__item', { hasText: 'Threads' }).click();
    const card = a.page.getByRole('listitem', { name: /Thread in #general, 1 new reply/ });
    await card.waitFor();
    await card.getByRole('button', { name: /View thread/ }).click();
    await a.page.getByRole('complementary', { name: 'Thread' }).locator('.msg', { hasText: 'A parrot, obviously' }).waitFor();
    // Reading it clears the unread.
    await a.page.getByRole('listitem', { name: 'Thread in #general' }).waitFor();
    await a.page.locator('.sidebar__item', { hasText: 'Threads' }).locator('.badge').waitFor({ state: 'detached' });
    // Ana replies from the Threads view; Ben's open panel gets it.
    await send(a.page, 'Reply…', 'Polly it is');
    await panel.locator('.msg', { hasText: 'Polly it is' }).waitFor();
    await a.page.getByRole('button', { name: 'Close thread' }).click();
    await sidebarItem(a.page, 'general').click();
    await b.page.getByRole('button', { name: 'Close thread' }).click();
  });

  it('a reaction appears for both, and a second one counts', async () => {
    await send(b.page, 'Message #general', 'Shipping today');
    const onA = message(a.page, 'Shipping today');
    await onA.hover();
    await onA.getByRole('button', { name: 'React with white check mark' }).click();
    const pill = (t: Tab) => message(t.page, 'Shipping today').locator('.reaction[data-emoji="white_check_mark"]');
    await pill(a).locator('.reaction__count', { hasText: '1' }).waitFor();
    await pill(b).locator('.reaction__count', { hasText: '1' }).waitFor();
    expect(await pill(a).getAttribute('aria-pressed')).toBe('true');
    expect(await pill(b).getAttribute('aria-pressed')).toBe('false');
    await pill(b).click();
    await pill(a).locator('.reaction__count', { hasText: '2' }).waitFor();
    await pill(b).locator('.reaction__count', { hasText: '2' }).waitFor();

    // The picker, by search.
    const msg = message(b.page, 'Shipping today');
    await msg.hover();
    await msg.getByRole('toolbar').getByRole('button', { name: 'Add reaction' }).click();
    await b.page.getByRole('searchbox', { name: 'Search emoji' }).fill('rocket');
    await b.page.getByRole('dialog', { name: 'Emoji picker' }).getByRole('button', { name: 'rocket', exact: true }).click();
    await message(a.page, 'Shipping today').locator('.reaction[data-emoji="rocket"]').waitFor();
  });

  it('edits and deletes propagate', async () => {
    await send(a.page, 'Message #general', 'Meeting at 3');
    await message(b.page, 'Meeting at 3').waitFor();
    const mine = message(a.page, 'Meeting at 3');
    await mine.hover();
    await mine.getByRole('button', { name: 'More actions' }).click();
    await a.page.getByRole('menuitem', { name: 'Edit message' }).click();
    const edit = a.page.getByRole('textbox', { name: 'Edit message' });
    await edit.fill('Meeting at 4');
    await edit.press('Enter');
    await message(b.page, 'Meeting at 4').locator('.msg__edited').waitFor();
    expect(await message(b.page, 'Meeting at 3').count()).toBe(0);

    // Up-arrow in an empty composer edits my last message.
    await composer(a.page, 'Message #general').press('ArrowUp');
    await a.page.getByRole('textbox', { name: 'Edit message' }).fill('Meeting at 5');
    await a.page.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await message(b.page, 'Meeting at 5').waitFor();

    const again = message(a.page, 'Meeting at 5');
    await again.hover();
    await again.getByRole('button', { name: 'More actions' }).click();
    await a.page.getByRole('menuitem', { name: 'Delete message' }).click();
    await a.page.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete' }).click();
    await b.page.locator('.channel .msg__deleted').last().waitFor();
    await b.page.waitForFunction(() => ![...document.querySelectorAll('.channel .msg')].some((m) => m.textContent?.includes('Meeting at 5')));
    await a.page.waitForFunction(() => ![...document.querySelectorAll('.channel .msg')].some((m) => m.textContent?.includes('Meeting at 5')));
  });

  it('a mention highlights the message and badges the channel', async () => {
    const plans = (await server.api(ben, 'GET', '/api/v1/channels')).channels.find((c: { name: string }) => c.name === 'plans');
    await sidebarItem(b.page, 'plans').click();
    await composer(b.page, 'Message #plans').waitFor();
    // Autocomplete: "@be" offers Ben; Enter picks it.
    await composer(a.page, 'Message #general').fill('@be');
    await a.page.getByRole('option', { name: /Ben Member/ }).waitFor();
    await composer(a.page, 'Message #general').press('Enter');
    expect(await composer(a.page, 'Message #general').inputValue()).toBe('@ben ');
    await composer(a.page, 'Message #general').pressSequentially('can you review?');
    await composer(a.page, 'Message #general').press('Enter');

    await sidebarItem(b.page, 'general').locator('.badge', { hasText: '1' }).waitFor();
    expect(await sidebarItem(b.page, 'general').getAttribute('aria-label')).toMatch(/1 mention/);
    await b.page.waitForFunction(() => document.title.startsWith('(1)'));
    await sidebarItem(b.page, 'general').click();
    const m = message(b.page, 'can you review?');
    await m.waitFor();
    expect(await m.getAttribute('class')).toContain('msg--mention');
    expect(await m.locator('.mention--me').textContent()).toBe('@Ben Member');
    // Ana's copy names Ben but is not highlighted for her.
    expect(await message(a.page, 'can you review?').getAttribute('class')).not.toContain('msg--mention');
    await sidebarItem(b.page, 'general').locator('.badge').waitFor({ state: 'detached' });
    void plans;
  });

  it('shows who is typing, and presence on DMs', async () => {
    await composer(b.page, 'Message #general').pressSequentially('thinking about it');
    await a.page.getByText('Ben Member is typing…').waitFor();
    await composer(b.page, 'Message #general').fill('');
    // Ana sees Ben online next to their DM; when Ben leaves, he goes offline.
    const dm = await server.api(ana, 'POST', '/api/v1/dms', { userIds: [ben.user.id] });
    const dot = a.page.locator(`.sidebar__item[data-channel-id="${dm.id}"] .presence`);
    await a.page.locator(`.sidebar__item[data-channel-id="${dm.id}"] .presence--online`).waitFor();
    expect(await dot.getAttribute('title')).toBe('online');
  });

  it('follows and unfollows a thread', async () => {
    const root = await server.say(ana, general, 'Unfollow me if you like');
    await server.say(ben, general, 'I replied, so I follow', { threadRootId: root.id });
    await b.page.locator('.sidebar__item', { hasText: 'Threads' }).click();
    const card = b.page.locator(`.thread-card[data-thread-id="${root.id}"]`);
    await card.waitFor();
    await card.getByRole('button', { name: /View thread/ }).click();
    const follow = b.page.getByRole('complementary', { name: 'Thread' }).getByRole('button', { name: 'Following' });
    await follow.click();
    await b.page.getByRole('complementary', { name: 'Thread' }).getByRole('button', { name: 'Follow', exact: true }).waitFor();
    await card.waitFor({ state: 'detached' });
    await b.page.getByRole('button', { name: 'Close thread' }).click();
    await sidebarItem(b.page, 'general').click();
  });

  it('a permalink opens the channel at that message, highlighted', async () => {
    const { id } = await server.say(ana, general, 'This is the permalinked one');
    for (let i = 0; i < 60; i++) await server.say(ana, general, `filler ${i}`);
    await b.page.goto(`${server.url}/c/${general}?message=${id}`);
    const target = b.page.locator(`.msg[data-message-id="${id}"]`);
    await target.waitFor();
    expect(await target.getAttribute('class')).toContain('msg--highlight');
    expect(await target.isVisible()).toBe(true);
  });
});
