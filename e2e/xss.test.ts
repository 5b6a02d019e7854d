// Everything people write is rendered inert. A corpus of XSS payloads goes into messages,
// names, a status and a topic; in Chromium (with the page's CSP switched off, so the renderer
// alone is on trial) nothing runs, no active markup reaches the DOM, and the text is visible.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, message, signedIn } from './support/browser.js';
import { E2EServer } from './support/server.js';

const P = 'window.__pwned=1';
/** [payload, text that must be visible] */
const CORPUS: Array<[string, string]> = [
  [`<script>${P}</script>`, `<script>${P}</script>`],
  [`<img src=x onerror="${P}">`, `<img src=x onerror="${P}">`],
  [`<svg onload=${P}>`, `<svg onload=${P}>`],
  [`<iframe src="javascript:${P}"></iframe>`, `<iframe src="javascript:${P}"></iframe>`],
  [`"><img src=x onerror=${P}>`, `"><img src=x onerror=${P}>`],
  [`<a href="javascript:${P}">html link</a>`, 'html link'],
  [`[md link](javascript:${P})`, 'md link'],
  [`[data link](data:text/html,<script>${P}</script>)`, 'data link'],
  [`![img alt](javascript:${P})`, 'img alt'],
  [`![remote](https://example.invalid/x.png" onerror="${P})`, 'remote'],
  [`<javascript:${P}>`, `javascript:${P}`],
  [`<details open ontoggle=${P}>details</details>`, 'details'],
  [`<math><mtext><table><mglyph><style><img src=x onerror=${P}>`, '<math>'],
  [`<b onmouseover=${P}>hover me</b>`, 'hover me'],
  [`<style>body{display:none}</style>style tag`, 'style tag'],
  ['`<img src=x onerror=' + P + '>` in code', `<img src=x onerror=${P}>`],
  ['```html\n<script>' + P + '</script>\n```', `<script>${P}</script>`],
  [`:smile:<img src=x onerror=${P}>`, `<img src=x onerror=${P}>`],
  [`@<img src=x onerror=${P}> and #<svg/onload=${P}>`, `@<img src=x onerror=${P}>`],
  [`&lt;img src=x onerror=${P}&gt; entities`, 'entities'],
  [`[vb](vbscript:msgbox(1))`, 'vb'],
  [`<form action="javascript:${P}"><button>form button</button></form>`, 'form button'],
  [`<object data="javascript:${P}">object</object>`, 'object'],
  [`<meta http-equiv="refresh" content="0;url=javascript:${P}">`, '<meta'],
  [`<base href="javascript:${P}//">base`, 'base'],
  [`[x](  javascript:${P}  "title")`, 'x'],
  [`<a href="jav&#x09;ascript:${P}">tab link</a>`, 'tab link'],
];

describe('XSS corpus', { timeout: 60_000 }, () => {
  let server: E2EServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([E2EServer.start(), launch()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 60_000);

  it('renders every payload as inert text', async () => {
    const ana = await server.person('ana', 'Ana Admin');
    const evil = await server.person('mallory', `<img src=x onerror="${P}">Mallory`);
    await server.api(evil, 'PATCH', '/api/v1/users/me', { statusText: `<script>${P}</script>`, statusEmoji: 'smile' });
    const general = await server.general(ana);
    await server.api(ana, 'PATCH', `/api/v1/channels/${general}`, { topic: `<img src=x onerror="${P}">topic` });
    for (const [payload] of CORPUS) await server.say(evil, general, payload);
    await server.api(evil, 'POST', '/api/v1/dms', { userIds: [ana.user.id] }).then((dm) => server.say(evil, dm.id, 'dm'));

    // A tall window renders every message at once (the list is virtualised).
    const tab = await signedIn(browser, server, ana, `/c/${general}`, { viewport: { width: 1280, height: 6000 }, bypassCSP: true });
    const { page } = tab;
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await message(page, 'entities').waitFor();
    await message(page, 'tab link').waitFor();

    // Hover and click everything that could carry a handler, then look for trouble.
    for (const el of await page.locator('.message-list .md *').all()) await el.hover({ force: true, timeout: 1000 }).catch(() => {});
    for (const a of await page.locator('.message-list .md a').all()) {
      expect(await a.getAttribute('href')).toMatch(/^(https?:|mailto:|\/)/);
    }
    const found = await page.evaluate(() => {
      const bad: string[] = [];
      for (const el of document.querySelectorAll('#root *')) {
        for (const attr of el.getAttributeNames()) if (/^on/i.test(attr)) bad.push(`${el.tagName}[${attr}]`);
        if (/^(SCRIPT|IFRAME|OBJECT|EMBED|STYLE|META|BASE|FORM|IMG|MATH|DETAILS)$/.test(el.tagName) && !el.matches('.composer, .composer *')) bad.push(el.tagName);
        const href = el.getAttribute('href') ?? el.getAttribute('src') ?? '';
        if (/^\s*(javascript|data|vbscript):/i.test(href)) bad.push(`${el.tagName} ${href}`);
      }
      return bad;
    });
    expect(found).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);

    // The text people wrote is all there to read.
    const text = await page.locator('.message-list').innerText();
    for (const [, visible] of CORPUS) expect(text).toContain(visible);
    expect(await page.locator('.sidebar').innerText()).toContain(`<img src=x onerror="${P}">Mallory`);
    expect(await page.locator('.channel-header').innerText()).toContain(`<img src=x onerror="${P}">topic`);
    expect(text).toContain(`<img src=x onerror="${P}">Mallory`);
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('serves the page with a CSP that allows no inline script', async () => {
    const res = await fetch(server.url + '/');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style="/);
  });
});
