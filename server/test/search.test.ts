// Search through HTTP: words, stemming, phrases and exclusions, every filter, ranking and
// highlights, cursor paging under ties, and above all what a search must never show:
// channels the searcher cannot read, deleted messages, earlier versions of edited ones.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseSearch } from '../src/actions/search-query.js';
import { Client, PASSWORD, startTestServer, type Reply, type TestServer } from './harness.js';
import { uniq, watch } from './expect.js';

let server: TestServer;
const serverErrors: string[] = [];


function expectError(r: Reply, status: number, code: string): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  expect(r.body.error.message.length).toBeGreaterThan(0);
}

/** A made-up word no other test uses, so each test searches its own messages only. */
const word = () => `zq${randomBytes(4).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as in any HTTP client). */
const enc = (s: string) => [...new TextEncoder().encode(s)].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');

function search(c: Client, q: string, extra = ''): Promise<Reply> {
  return c.get(`/api/v1/search?q=${enc(q)}${extra}`);
}

async function found(c: Client, q: string, extra = ''): Promise<string[]> {
  const r = await search(c, q, extra);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.results.map((x: any) => x.message.text);
}

async function setCreatedAt(messageId: string, iso: string): Promise<void> {
  await server.deps.db.updateTable('messages').set({ created_at: new Date(iso) }).where('id', '=', messageId).execute();
}

beforeAll(async () => { server = watch(await startTestServer(), serverErrors); });
afterAll(async () => { await server?.close(); });
afterEach(() => {
  expect(serverErrors.splice(0)).toEqual([]);
});

describe('words', () => {
  it('finds stemmed forms, ranks more matches higher and returns plain-text highlights', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('words'));
    const w = word();
    await alice.say(ch.id, `we deployed ${w} to staging`);
    await alice.say(ch.id, `deploying ${w} again, ${w} is fun to deploy <b>${w}</b>`);
    await alice.say(ch.id, 'nothing to see here');
    const r = await search(alice, `deploy ${w}`);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => x.message.text)).toEqual([
      `deploying ${w} again, ${w} is fun to deploy <b>${w}</b>`, `we deployed ${w} to staging`,
    ]);
    const top = r.body.results[0];
    expect(top.channel).toMatchObject({ id: ch.id, name: ch.name, kind: 'public' });
    expect(top.message.channelId).toBe(ch.id);
    // The snippet is text: the <b> the author typed stays literal, and the ranges mark the matches.
    expect(top.snippet.text).toContain(`<b>${w}</b>`);
    const marked = top.snippet.highlights.map((h: any) => top.snippet.text.slice(h.start, h.end));
    expect(marked).toEqual(['deploying', w, w, 'deploy', w]);
    expect(r.body.nextCursor).toBeNull();
  });

  it('matches "exact phrases" and drops -excluded words', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('phrase'));
    const w = word();
    await alice.say(ch.id, `${w} red car parked`);
    await alice.say(ch.id, `${w} car that is red`);
    await alice.say(ch.id, `${w} blue car`);
    expect(await found(alice, `"${w} red car"`)).toEqual([`${w} red car parked`]);
    expect((await found(alice, `${w} red`)).sort()).toEqual([`${w} car that is red`, `${w} red car parked`]);
    expect(await found(alice, `${w} car -red`)).toEqual([`${w} blue car`]);
    expect((await found(alice, `${w} blue or parked`)).sort()).toEqual([`${w} blue car`, `${w} red car parked`]);
  });

  it('searches by filters alone, newest first', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('filters-only'));
    const texts = ['first', 'second', 'third'];
    for (const t of texts) await alice.say(ch.id, t);
    const r = await search(alice, `in:#${ch.name} from:@${alice.user.username}`);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: any) => x.message.text)).toEqual(['third', 'second', 'first']);
    expect(r.body.results[0].snippet).toEqual({ text: 'third', highlights: [] });
  });
});

describe('filters', () => {
  let alice: Client;
  let bob: Client;
  let ops: any;
  let dev: any;
  const w = word();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    alice = await server.user();
    bob = await server.user();
    ops = await alice.channel(uniq('ops'));
    dev = await alice.channel(uniq('dev'));
    await bob.post(`/api/v1/channels/${ops.id}/join`);
    await bob.post(`/api/v1/channels/${dev.id}/join`);
    ids.a1 = (await alice.say(ops.id, `${w} alice in ops see https://example.com/x`)).id;
    ids.b1 = (await bob.say(ops.id, `${w} bob in ops`)).id;
    ids.a2 = (await alice.say(dev.id, `${w} alice in dev`)).id;
    ids.b2 = (await bob.say(dev.id, `${w} bob in dev, no link: http:// and example.com`)).id;
    ids.reply = (await bob.say(ops.id, `${w} reply in a thread`, { threadRootId: ids.a1 })).id;
    await setCreatedAt(ids.a1, '2024-03-10T12:00:00Z');
    await setCreatedAt(ids.b1, '2024-03-11T00:00:00Z');
    await setCreatedAt(ids.a2, '2024-03-11T23:59:59.999Z');
    await setCreatedAt(ids.b2, '2024-03-12T00:00:00Z');
    await setCreatedAt(ids.reply, '2024-03-13T08:00:00Z');
  });

  const sorted = async (c: Client, q: string) => (await found(c, q)).map((t) => t.split(' ').slice(1, 4).join(' ')).sort();

  it('from:@user, from:me and several from: as "any of"', async () => {
    expect(await sorted(alice, `${w} from:@${bob.user.username}`)).toEqual(['bob in dev,', 'bob in ops', 'reply in a']);
    expect(await sorted(alice, `${w} from:${alice.user.username.toUpperCase()}`)).toEqual(['alice in dev', 'alice in ops']);
    expect(await sorted(bob, `${w} from:me in:#${dev.name}`)).toEqual(['bob in dev,']);
    expect(await sorted(alice, `${w} from:@${bob.user.username} from:me in:#${dev.name}`)).toEqual(['alice in dev', 'bob in dev,']);
  });

  it('in:#channel, and in:@user for a DM', async () => {
    expect(await sorted(alice, `${w} in:#${ops.name}`)).toEqual(['alice in ops', 'bob in ops', 'reply in a']);
    expect(await sorted(alice, `${w} in:${dev.name}`)).toEqual(['alice in dev', 'bob in dev,']);
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    const w2 = word();
    await bob.say(dm.id, `${w2} in our dm`);
    expect(await sorted(alice, `${w2} in:@${bob.user.username}`)).toEqual(['in our dm']);
    expect(await sorted(bob, `${w2} in:@${alice.user.username}`)).toEqual(['in our dm']);
    expect(await sorted(alice, `${w} in:@${bob.user.username}`)).toEqual([]);
  });

  it('before:, after: and on: are whole UTC days', async () => {
    expect(await sorted(alice, `${w} on:2024-03-11`)).toEqual(['alice in dev', 'bob in ops']);
    expect(await sorted(alice, `${w} before:2024-03-11`)).toEqual(['alice in ops']);
    expect(await sorted(alice, `${w} after:2024-03-11`)).toEqual(['bob in dev,', 'reply in a']);
    expect(await sorted(alice, `${w} after:2024-03-10 before:2024-03-12`)).toEqual(['alice in dev', 'bob in ops']);
    expect(await sorted(alice, `${w} after:2024-03-12 before:2024-03-12`)).toEqual([]);
  });

  it('has:link, is:thread, and has:file', async () => {
    expect(await sorted(alice, `${w} has:link`)).toEqual(['alice in ops']);
    expect(await sorted(alice, `${w} is:thread`)).toEqual(['alice in ops', 'reply in a']);
    // Files come from another part of Parley (table files, migration 002); without it nothing has a file.
    if (!(await tableExists('files'))) {
      expect(await sorted(alice, `${w} has:file`)).toEqual([]);
      return;
    }
    expect(await sorted(alice, `${w} has:file`)).toEqual([]);
    const { sql } = await import('kysely');
    await sql`INSERT INTO files (id, user_id, message_id, channel_id, name, mime_type, size, storage_key, encrypted)
      VALUES (gen_random_uuid(), ${bob.id}, ${ids.b2}, ${dev.id}, 'a.txt', 'text/plain', 1, 'k', false)`.execute(server.deps.db);
    expect(await sorted(alice, `${w} has:file`)).toEqual(['bob in dev,']);
  });

  it('ranks with relevance by default and by time with sort=recent', async () => {
    const recent = await found(alice, w, '&sort=recent');
    expect(recent.map((t) => t.split(' ').slice(1, 4).join(' '))).toEqual(
      ['reply in a', 'bob in dev,', 'alice in dev', 'bob in ops', 'alice in ops']);
  });
});

async function tableExists(name: string): Promise<boolean> {
  const { sql } = await import('kysely');
  const r = await sql<{ ok: boolean }>`SELECT to_regclass(${name}) IS NOT NULL AS ok`.execute(server.deps.db);
  return r.rows[0]!.ok;
}

describe('what a search never shows', () => {
  it('channels the searcher cannot read: private, DMs and group DMs of others; public channels are searched even unjoined', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const eve = await server.user();
    const w = word();
    const priv = await alice.channel(uniq('secret'), 'private');
    await alice.post(`/api/v1/channels/${priv.id}/members`, { userIds: [bob.id] });
    await alice.say(priv.id, `${w} private`);
    const dm = (await alice.post('/api/v1/dms', { userIds: [bob.id] })).body;
    await alice.say(dm.id, `${w} dm`);
    const group = (await alice.post('/api/v1/dms', { userIds: [bob.id, carol.id] })).body;
    await carol.say(group.id, `${w} group`);
    const pub = await alice.channel(uniq('open'));
    await alice.say(pub.id, `${w} public`);

    expect((await found(alice, w)).sort()).toEqual([`${w} dm`, `${w} group`, `${w} private`, `${w} public`]);
    expect((await found(bob, w)).sort()).toEqual([`${w} dm`, `${w} group`, `${w} private`, `${w} public`]);
    expect((await found(carol, w)).sort()).toEqual([`${w} group`, `${w} public`]);
    // Eve is in none of them: only the public channel she has not joined (as Slack does).
    expect(await found(eve, w)).toEqual([`${w} public`]);
    // Filters cannot reach into them either, and say so as they would of a missing channel.
    expectError(await search(eve, `${w} in:#${priv.name}`), 400, 'search_query_invalid');
    expect((await search(eve, `${w} in:#${priv.name}`)).body.error.message)
      .toBe((await search(eve, `${w} in:#no-such-${priv.name}`)).body.error.message.replaceAll(`no-such-${priv.name}`, priv.name));
    expectError(await search(eve, `${w} in:@${alice.user.username}`), 400, 'search_query_invalid');
    expect(await found(eve, `from:@${alice.user.username} ${w}`)).toEqual([`${w} public`]);
    expect(await found(eve, `from:@${carol.user.username}`)).toEqual([]);

    // Leaving a private channel ends finding it.
    expect((await bob.post(`/api/v1/channels/${priv.id}/leave`)).status).toBe(204);
    expect((await found(bob, w)).sort()).toEqual([`${w} dm`, `${w} group`, `${w} public`]);
  });

  it('guests search only the channels they were added to, not unjoined public ones', async () => {
    const alice = await server.user();
    const w = word();
    const pub = await alice.channel(uniq('open'));
    await alice.say(pub.id, `${w} public`);
    const priv = await alice.channel(uniq('with-guest'), 'private');
    await alice.say(priv.id, `${w} private`);
    const inv = await server.admin.post('/api/v1/invites', { role: 'guest' });
    if (inv.status !== 201) return; // guests arrive with the identity work; nothing to check without them
    const username = uniq('guest').replace('-', '');
    const signup = await server.request<any>('POST', '/api/v1/auth/signup', {
      username, email: `${username}@example.test`, password: PASSWORD, inviteToken: inv.body.token,
    });
    expect(signup.status).toBe(201);
    const guest = new Client(server, signup.body.token, signup.body.user);
    expect(await found(guest, w)).toEqual([]);
    await alice.post(`/api/v1/channels/${priv.id}/members`, { userIds: [guest.id] });
    expect(await found(guest, w)).toEqual([`${w} private`]);
    expectError(await search(guest, `${w} in:#${pub.name}`), 400, 'search_query_invalid');
  });

  it('deleted messages, and the earlier versions of edited ones', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('history'));
    const [gone, before, after] = [word(), word(), word()];
    const m1 = await alice.say(ch.id, `${gone} will be deleted`);
    const m2 = await alice.say(ch.id, `${before} first version`);
    expect(await found(alice, gone)).toHaveLength(1);
    expect((await alice.del(`/api/v1/messages/${m1.id}`)).status).toBe(204);
    expect(await found(alice, gone)).toEqual([]);
    expect(await found(alice, `in:#${ch.name}`)).toEqual([`${before} first version`]);

    expect((await alice.patch(`/api/v1/messages/${m2.id}`, { text: `${after} second version` })).status).toBe(200);
    expect(await found(alice, before)).toEqual([]);
    expect(await found(alice, after)).toEqual([`${after} second version`]);
    expect((await alice.get(`/api/v1/messages/${m2.id}/versions`)).body.versions[0].text).toBe(`${before} first version`);
  });
});

describe('paging', () => {
  it('walks every match exactly once, with ties in rank ordered by id', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('paging'));
    for (const sort of ['relevance', 'recent']) {
      const w = word();
      const posted: string[] = [];
      for (let i = 0; i < 23; i++) posted.push((await alice.say(ch.id, `${w} same words every time`)).id);
      const best = (await alice.say(ch.id, `${w} ${w} ${w} repeated`)).id;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: Reply = await search(alice, w, `&limit=10&sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(r.status).toBe(200);
        expect(r.body.results.length).toBeLessThanOrEqual(10);
        seen.push(...r.body.results.map((x: any) => x.message.id));
        cursor = r.body.nextCursor;
        pages++;
        // A message posted between pages does not disturb the walk.
        if (pages === 1) await alice.say(ch.id, `${w} posted while paging`);
      } while (cursor);
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(seen.length);
      if (sort === 'relevance') {
        expect(seen[0]).toBe(best);
        // Equal ranks: newest id first.
        expect(seen.slice(1).filter((id) => posted.includes(id))).toEqual([...posted].reverse());
      } else {
        expect(seen.slice(0, 24)).toEqual([best, ...[...posted].reverse()]);
      }
    }
  });

  it('refuses a cursor it did not hand out, or one from another query', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('cursor'));
    const w = word();
    for (let i = 0; i < 3; i++) await alice.say(ch.id, `${w} ${i}`);
    const first = await search(alice, w, '&limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const c = encodeURIComponent(first.body.nextCursor);
    expect((await search(alice, w, `&limit=1&cursor=${c}`)).status).toBe(200);
    expectError(await search(alice, `${w} x`, `&limit=1&cursor=${c}`), 400, 'invalid_cursor');
    expectError(await search(alice, w, `&limit=1&sort=recent&cursor=${c}`), 400, 'invalid_cursor');
    for (const bad of ['x', 'e30', Buffer.from('{"k":1}').toString('base64url'), '%00', 'a'.repeat(512)]) {
      expectError(await search(alice, w, `&cursor=${bad}`), 400, 'invalid_cursor');
    }
  });
});

describe('bad input', () => {
  it('answers 400 with a stable code for queries it cannot run', async () => {
    const alice = await server.user();
    const cases: Array<[string, string]> = [
      ['', 'search_query_empty'], ['   ', 'search_query_empty'], ['the and of', 'search_query_empty'],
      ['-alone', 'search_query_empty'], ['"" !!! ::', 'search_query_empty'],
      ['x before:2024-02-30', 'search_query_invalid'], ['x after:yesterday', 'search_query_invalid'],
      ['x on:2024-1-1', 'search_query_invalid'], ['x has:picture', 'search_query_invalid'], ['x is:pinned', 'search_query_invalid'],
      ['x from:@nobody-here-at-all', 'search_query_invalid'], ['x in:#no-such-channel-zz', 'search_query_invalid'],
      ['x -from:@admin', 'search_query_invalid'], ['x from:', 'search_query_invalid'], ['x in:#', 'search_query_invalid'],
      ['x from:@a!b', 'search_query_invalid'], ['x ' + 'from:me '.repeat(21), 'search_query_invalid'],
    ];
    for (const [q, code] of cases) {
      const r = await search(alice, q);
      expect({ q, status: r.status, code: r.body?.error?.code }).toEqual({ q, status: 400, code });
    }
    expectError(await alice.get('/api/v1/search'), 400, 'invalid_request');
    expectError(await search(alice, 'x'.repeat(1001)), 400, 'invalid_request');
    expectError(await search(alice, 'x', '&limit=0'), 400, 'invalid_request');
    expectError(await search(alice, 'x', '&limit=101'), 400, 'invalid_request');
    expectError(await search(alice, 'x', '&sort=best'), 400, 'invalid_request');
    const anon = await server.request('GET', '/api/v1/search?q=x');
    expectError(anon, 401, 'unauthorized');
  });

  it('never fails on nasty strings', async () => {
    const alice = await server.user();
    const ch = await alice.channel(uniq('fuzz'));
    await alice.say(ch.id, "it's a (test) & more | stuff: \"quoted\" <tag> \\ back");
    const nasty = [
      "'", '"', '\\', '&', '|', '!', '(', ')', ':*', '<->', '<2>', "'; DROP TABLE messages; --", 'a & | b', '!!(a', 'a:*b',
      '""""', '"unclosed phrase', '-', '--', 'or', 'or or or', 'a -', '- -x', '*', '%', '_', '\u0000', 'a\u0000b', 'nul\u0000 from:me',
      '🙂 emoji 🚀', '\u202e rtl', 'é café naïve', '中文 搜索', 'x'.repeat(1000), `${'w'.repeat(3000)}`.slice(0, 1000),
      'https://example.com/a?b=c&d=e', 'from:me "x', 'in:#"x"', 'before:"2024-01-01"', ':', '::::', 'a:b:c', '\ud800', '\udfff x',
      '\t\n\r', `${'(a '.repeat(200)}`, `${'"a" '.repeat(200)}`, `${'-a '.repeat(300)}`,
    ];
    for (const q of nasty) {
      const r = await search(alice, q);
      expect({ q, ok: r.status === 200 || (r.status === 400 && typeof r.body.error.code === 'string') }).toEqual({ q, ok: true });
    }
    // Percent-encodings that are not UTF-8 at all.
    for (const raw of ['%FF', '%ED%A0%80', '%C0%AF', '%', '%zz']) {
      const r = await alice.get(`/api/v1/search?q=${raw}`);
      expect({ raw, ok: r.status === 200 || r.status === 400 }).toEqual({ raw, ok: true });
    }
    expect(await found(alice, '(test)')).toHaveLength(1);
    expect(await found(alice, '"quoted" stuff')).toHaveLength(1);
  });
});

describe('parseSearch', () => {
  it('splits filters from words and keeps quotes, URLs and times as words', () => {
    const p = parseSearch('deploy "red car" -flaky from:@Ana in:#ops in:@bob on:2024-03-10 has:link is:thread https://x.io/a 10:30');
    expect(p.text).toBe('deploy "red car" -flaky https://x.io/a 10:30');
    expect(p.from).toEqual(['ana']);
    expect(p.in).toEqual([{ channel: 'ops' }, { dm: 'bob' }]);
    expect(p.after?.toISOString()).toBe('2024-03-10T00:00:00.000Z');
    expect(p.before?.toISOString()).toBe('2024-03-11T00:00:00.000Z');
    expect([p.hasLink, p.hasFile, p.isThread]).toEqual([true, false, true]);
    expect(parseSearch('"from:@ana is here"').from).toEqual([]);
    expect(parseSearch('after:2024-02-28').after?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});
