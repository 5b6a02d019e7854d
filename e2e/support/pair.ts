// The two-person set-up most flows need: a fresh server, Ana (admin) and Ben (member), each
// signed in in their own browser context on #general; closing checks neither page logged an error.
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { launch, signedIn, type Tab } from './browser.js';
import { E2EServer, type Person } from './server.js';

export interface Pair {
  server: E2EServer;
  browser: Browser;
  ana: Person;
  ben: Person;
  general: string;
  a: Tab;
  b: Tab;
}

export async function openPair(): Promise<Pair> {
  const [server, browser] = await Promise.all([E2EServer.start(), launch()]);
  const ana = await server.person('ana', 'Ana Admin');
  const ben = await server.person('ben', 'Ben Member');
  const general = await server.general(ana);
  const [a, b] = await Promise.all([signedIn(browser, server, ana, `/c/${general}`), signedIn(browser, server, ben, `/c/${general}`)]);
  return { server, browser, ana, ben, general, a, b };
}

export async function closePair(p: Partial<Pair> | undefined): Promise<void> {
  expect(p?.a?.errors ?? []).toEqual([]);
  expect(p?.b?.errors ?? []).toEqual([]);
  await p?.browser?.close();
  await p?.server?.close();
}
