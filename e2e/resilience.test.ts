// Losing the connection: messages written offline are queued and sent exactly once when it
// is back; a server restarted mid-conversation is caught up with, nothing missing or doubled.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, message, ready, send, signedIn, until, type Tab } from './support/browser.js';
import { E2EServer, type Person } from './support/server.js';

describe('connection trouble', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let ana: Person;
  let ben: Person;
  let cleo: Person;
  let general: string;
  let a: Tab;
  let b: Tab;

  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
    ana = await server.person('ana', 'Ana Admin');
    ben = await server.person('ben', 'Ben Member');
    cleo = await server.person('cleo', 'Cleo Third');
    general = await server.general(ana);
    [a, b] = await Promise.all([signedIn(browser, server, ana, `/c/${general}`), signedIn(browser, server, ben, `/c/${general}`)]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  const countOf = async (text: string) => (await server.messages(ana, general)).filter((m) => m.text === text).length;
  const shownOnce = async (t: Tab, text: string) => {
    await message(t.page, text).waitFor();
    await t.page.locator('.channel .msg--pending').filter({ hasText: text }).waitFor({ state: 'detached' });
    expect(await message(t.page, text).count()).toBe(1);
  };

  it('queues a message written offline and sends it exactly once on reconnect', async () => {
    await send(a.page, 'Message #general', 'before the tunnel');
    await message(b.page, 'before the tunnel').waitFor();

    await a.context.setOffline(true);
    await a.page.locator('.app[data-connection="offline"]').waitFor();
    await a.page.getByRole('status').filter({ hasText: 'offline' }).waitFor();
    await send(a.page, 'Message #general', 'written in the tunnel');
    await send(a.page, 'Message #general', 'and a second one');
    const pending = a.page.locator('.channel .msg--pending');
    await pending.filter({ hasText: 'written in the tunnel' }).waitFor();
    expect(await pending.count()).toBe(2);
    expect(await pending.first().getAttribute('data-state')).toBe('queued');
    await a.page.getByText('2 messages will be sent when you’re back').waitFor();
    // Meanwhile Ben talks; Ana gets it when she is back.
    await send(b.page, 'Message #general', 'Ben while Ana is away');

    await a.context.setOffline(false);
    await shownOnce(a, 'written in the tunnel');
    await shownOnce(a, 'and a second one');
    await shownOnce(a, 'Ben while Ana is away');
    await shownOnce(b, 'written in the tunnel');
    await shownOnce(b, 'and a second one');
    expect(await countOf('written in the tunnel')).toBe(1);
    expect(await countOf('and a second one')).toBe(1);
    // In the order they were written.
    const texts = await b.page.locator('.channel .msg .md').allTextContents();
    expect(texts.indexOf('written in the tunnel')).toBeLessThan(texts.indexOf('and a second one'));
  });

  it('a send whose answer was lost is retried with the same clientId: still one message', async () => {
    // The server commits the message, but the browser never sees the 201.
    let dropped = 0;
    await a.page.route('**/api/v1/channels/*/messages', async (route) => {
      if (route.request().method() !== 'POST' || dropped > 0) return route.fallback();
      dropped++;
      await route.fetch(); // reaches the server, which stores it
      await route.abort('connectionreset');
    });
    await send(a.page, 'Message #general', 'answer lost in transit');
    await message(b.page, 'answer lost in transit').waitFor();
    // The lost answer counts as a network failure: it is sent again at the next reconnect.
    await a.page.unroute('**/api/v1/channels/*/messages');
    await a.context.setOffline(true);
    await a.page.locator('.app[data-connection="offline"]').waitFor();
    await a.context.setOffline(false);
    await shownOnce(a, 'answer lost in transit');
    await until(async () => (await countOf('answer lost in transit')) === 1, 'the message is stored once');
    expect(await countOf('answer lost in transit')).toBe(1);
    expect(await message(b.page, 'answer lost in transit').count()).toBe(1);
  });

  it('shows a refused send as failed, with Retry', async () => {
    await a.page.route('**/api/v1/channels/*/messages', (route) => (route.request().method() === 'POST'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal_error', message: 'The server tripped.' } }) })
      : route.fallback()));
    await send(a.page, 'Message #general', 'try, try again');
    const failed = a.page.locator('.channel .msg--failed').filter({ hasText: 'try, try again' });
    await failed.getByText('Not sent: The server tripped.').waitFor();
    await a.page.unroute('**/api/v1/channels/*/messages');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await shownOnce(a, 'try, try again');
    await shownOnce(b, 'try, try again');
    expect(await countOf('try, try again')).toBe(1);
  });

  it('catches up after the server restarts mid-conversation', async () => {
    await send(a.page, 'Message #general', 'right before the restart');
    await message(b.page, 'right before the restart').waitFor();

    await server.down();
    await Promise.all([a, b].map((t) => t.page.locator('.app[data-connection="offline"]').waitFor()));
    await send(a.page, 'Message #general', 'typed while the server was down');
    await a.page.locator('.channel .msg--pending').filter({ hasText: 'typed while the server was down' }).waitFor();

    await server.up();
    // Someone else posts before the browsers are back: a fresh process cannot replay it.
    await server.say(cleo, general, 'Cleo posted right after the restart');
    await Promise.all([a, b].map((t) => ready(t.page)));
    for (const t of [a, b]) {
      await shownOnce(t, 'typed while the server was down');
      await shownOnce(t, 'Cleo posted right after the restart');
      await shownOnce(t, 'right before the restart');
    }
    expect(await countOf('typed while the server was down')).toBe(1);

    // And the conversation goes on live.
    await send(b.page, 'Message #general', 'Ben after the restart');
    await shownOnce(a, 'Ben after the restart');
    void ben;
  });
});
