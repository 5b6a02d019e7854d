// Relevance ranks only the newest PARLEY_SEARCH_RANK_WINDOW matches (store/search.ts); what
// a user notices: a strong match among the recent ones still beats newer weak ones, a match
// older than the window comes after the ranked ones (newest first), and paging still shows
// every match exactly once even when messages arrive between pages.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type Reply, type TestServer } from './harness.js';
import { uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];
const WINDOW = 5;

beforeAll(async () => { server = watch(await startTestServer({ config: { searchRankWindow: WINDOW } }), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

const word = () => `zq${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

async function page(c: Client, q: string, cursor: string | null, extra = ''): Promise<{ texts: string[]; next: string | null }> {
  const r: Reply = await c.get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=3${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { texts: r.body.results.map((x: any) => x.message.text), next: r.body.nextCursor };
}

describe('the ranked window of newest matches', () => {
  it('ranks a strong match above newer weak ones, then lists older matches newest first, each exactly once', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('window'));
    const w = word();
    // Oldest first; the newest five (the window) are `best` and the four weak ones.
    const oldStrong = `${w} ${w} ${w} ${w} long ago`;
    const oldWeak = `${w} once, a while ago`;
    const best = `${w} ${w} ${w} exactly what you want`;
    const weak = [1, 2, 3, 4].map((i) => `${w} mentioned in passing ${i}`);
    for (const t of [oldStrong, oldWeak, best, ...weak]) await alice.say(ch.id, t);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page(alice, w, cursor);
      seen.push(...p.texts);
      cursor = p.next;
      // A new match moves "the newest five" on; the walk keeps the window its first page saw.
      if (++pages === 1) await alice.say(ch.id, `${w} ${w} posted while paging`);
    } while (cursor);
    expect(seen).toEqual([best, ...[...weak].reverse(), oldWeak, oldStrong]);
    expect(pages).toBe(3);

    // A fresh search's window is the newest five again: the new message and the weak ones.
    // `best` dropped out of it, so it now comes after them: the cost of ranking a window.
    const fresh = await page(alice, w, null);
    expect(fresh.texts).toEqual([`${w} ${w} posted while paging`, weak[3], weak[2]]);
  });

  it('sorting by time is not windowed: every match, newest first', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('window-recent'));
    const w = word();
    const texts = Array.from({ length: 7 }, (_, i) => `${w} ${i % 2 ? w : ''} number ${i}`);
    for (const t of texts) await alice.say(ch.id, t);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(alice, w, cursor, '&sort=recent');
      seen.push(...p.texts);
      cursor = p.next;
    } while (cursor);
    expect(seen).toEqual([...texts].reverse());
  });

  it('refuses a cursor past the window that lost its floor', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('window-cursor'));
    const w = word();
    for (let i = 0; i < WINDOW + 3; i++) await alice.say(ch.id, `${w} ${i}`);
    let p = await page(alice, w, null);
    p = await page(alice, w, p.next);
    expect(p.texts).toHaveLength(3);
    // The second page ended past the window: its cursor carries the floor.
    const decoded = JSON.parse(Buffer.from(p.next!, 'base64url').toString('utf8'));
    expect(decoded).toMatchObject({ older: true, floor: expect.any(String) });
    const forged = Buffer.from(JSON.stringify({ ...decoded, floor: null })).toString('base64url');
    const r = await alice.get(`/api/v1/search?q=${encodeURIComponent(w)}&limit=3&cursor=${forged}`);
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 400, code: 'invalid_cursor' });
  });
});
