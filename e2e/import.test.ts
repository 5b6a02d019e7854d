// Importing a Slack export from the browser: an admin opens "Import from Slack" in the
// workspace menu, uploads the zip, watches it run, reads the report (the table's numbers,
// the skipped items with reasons, the JSON download), and the imported channels arrive in
// the sidebar live. Members do not get the entry.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportZip, realisticSpec } from '../server/test/import-helpers.js';
import { launch, message, screenshot, sidebarItem, signedIn, type Tab } from './support/browser.js';
import { E2EServer, type Person } from './support/server.js';

describe('Slack import in the browser', { timeout: 90_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let admin: Person;
  let member: Person;
  let a: Tab;
  let m: Tab;
  let zip: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
    // The admin has Alice's Slack email, so the import matches her and she joins Alice's conversations.
    admin = await server.person('ivy', 'Ivy Admin', { email: 'alice@slack.example' });
    member = await server.person('max', 'Max Member');
    const general = await server.general(admin);
    [a, m] = await Promise.all([signedIn(browser, server, admin, `/c/${general}`), signedIn(browser, server, member, `/c/${general}`)]);
    zip = exportZip(realisticSpec());
  }, 180_000);
  afterAll(async () => {
    expect(a?.errors ?? []).toEqual([]);
    expect(m?.errors ?? []).toEqual([]);
    fs.rmSync(zip, { force: true });
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('members have no import entry in the workspace menu', async () => {
    await m.page.locator('.sidebar__workspace').click();
    await m.page.getByRole('menuitem', { name: /Sign out/ }).waitFor();
    expect(await m.page.getByRole('menuitem', { name: 'Import from Slack' }).count()).toBe(0);
    await m.page.keyboard.press('Escape');
  });

  it('an admin uploads an export, reads the report and finds the channels in the sidebar', async () => {
    const page = a.page;
    expect(await sidebarItem(page, 'random').count()).toBe(0);
    await page.locator('.sidebar__workspace').click();
    await page.getByRole('menuitem', { name: 'Import from Slack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from Slack' });
    await dialog.getByLabel('Slack export zip').setInputFiles(zip);
    await dialog.getByRole('button', { name: 'Start import' }).click();
    await dialog.getByRole('status', { name: 'Import status' }).filter({ hasText: 'Import finished' }).waitFor({ timeout: 30_000 });

    // The table: in export, imported, already here, skipped, for each kind.
    const row = async (kind: string) => (await dialog.locator(`tr[data-kind="${kind}"] td`).allTextContents()).map(Number);
    expect(await row('users')).toEqual([8, 7, 1, 0]);
    expect(await row('channels')).toEqual([6, 5, 1, 0]);
    expect(await row('threadReplies')).toEqual([4, 4, 0, 0]);
    expect(await row('files')).toEqual([3, 1, 0, 2]);
    expect(await row('pins')).toEqual([1, 1, 0, 0]);
    const messages = await row('messages');
    expect(messages[0]).toBe(messages[1]! + messages[2]! + messages[3]!);
    expect(messages[3]).toBeGreaterThan(0);
    // The skipped items, with their reasons.
    await dialog.locator('summary', { hasText: /^Files: 2/ }).click();
    await dialog.getByText(/deleted in Slack/).waitFor();
    await dialog.getByText(/its body is not in the export/).waitFor();
    await screenshot(page, 'slack-import-report');

    // The report as JSON, the same numbers.
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: /Download the report/ }).click()]);
    const report = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(report.kinds.users).toMatchObject({ inExport: 8, imported: 7, alreadyPresent: 1, skipped: 0 });
    expect(report.kinds.messages.inExport).toBe(messages[0]);

    // The imported conversations arrived while the page was open, without a reload.
    await page.keyboard.press('Escape');
    await sidebarItem(page, 'random').click();
    await message(page, 'random talk').waitFor();
    await sidebarItem(page, 'secret').click();
    await message(page, 'psst').waitFor();
    // Everything imported counts as read: no unread channel in the sidebar.
    expect(await page.locator('.sidebar__item--unread').count()).toBe(0);
  });
});
