// The Slack import end to end: a realistic export in, then what people see through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSlack } from '../src/import/slack/run.js';
import { KINDS, summarize, type ImportReport } from '../src/import/slack/report.js';
import { startTestServer, type Client, type TestServer } from './harness.js';
import { exportZip, realisticSpec, T0, ts, user } from './import-helpers.js';

let server: TestServer;
let alice: Client;
let report: ImportReport;
let zip: string;

const byName = async (c: Client, name: string) => (await c.get('/api/v1/channels')).body.channels.find((x: any) => x.name === name);
const history = async (c: Client, id: string) => (await c.get(`/api/v1/channels/${id}/messages?limit=100`)).body.messages as any[];

beforeAll(async () => {
  server = await startTestServer();
  // An existing Parley account with Alice's Slack email: she is matched, not duplicated.
  alice = await server.user('alicep', { email: 'alice@slack.example' });
  zip = exportZip(realisticSpec());
  report = await importSlack(server.deps, zip);
});
afterAll(() => server.close());

describe('slack import', () => {
  it('reports every kind with counts that add up', () => {
    for (const k of KINDS) {
      const c = report.kinds[k];
      expect(c.inExport, k).toBe(c.imported + c.alreadyPresent + c.skipped);
    }
    expect(report.kinds.users).toMatchObject({ inExport: 8, imported: 7, alreadyPresent: 1, skipped: 0 });
    expect(report.kinds.channels).toMatchObject({ inExport: 6, imported: 5, alreadyPresent: 1 });
    expect(report.kinds.files).toMatchObject({ inExport: 3, imported: 1, skipped: 2 });
    expect(report.kinds.files.skippedItems.map((s) => s.reason).join('\n')).toMatch(/not in the export[\s\S]*deleted in Slack|deleted in Slack[\s\S]*not in the export/);
    expect(report.kinds.reactions).toMatchObject({ imported: 4 });
    expect(report.kinds.reactions.skippedItems.map((s) => s.reason)).toEqual(expect.arrayContaining(['the export lists 1 of 3 people', 'not a valid emoji shortcode']));
    expect(report.kinds.pins).toMatchObject({ inExport: 1, imported: 1 });
    expect(report.kinds.edits).toMatchObject({ inExport: 1, imported: 1 });
    expect(report.kinds.threadReplies).toMatchObject({ inExport: 4, imported: 4 });
    const msgReasons = report.kinds.messages.skippedItems.map((s) => s.reason).join('\n');
    expect(msgReasons).toMatch(/message_changed event record/);
    expect(msgReasons).toMatch(/empty message/);
    expect(msgReasons).toMatch(/strayfolder/);
    expect(report.renames).toEqual(expect.arrayContaining([expect.objectContaining({ slackId: 'U06ADMIN', from: 'admin', to: 'admin-2' })]));
    expect(report.matched).toEqual(expect.arrayContaining([expect.objectContaining({ slackId: 'U01ALICE', name: 'alicep' })]));
    expect(report.notes.join('\n')).toMatch(/U09GHOST/);
    expect(summarize(report)).toMatch(/Thread replies/);
  });

  it('carries users over: no passwords, deactivated, bots, guests, unicode names', async () => {
    const list = (await server.admin.get('/api/v1/users?query=')).body.users as any[];
    const users = list.length ? list : [];
    const find = (u: string) => users.find((x) => x.username === u);
    expect(find('bob')).toMatchObject({ displayName: 'bob Display', deactivated: false, avatarUrl: 'https://avatars.example/U02BOB.png' });
    const r = await server.request('POST', '/api/v1/auth/login', { login: 'bob', password: 'bob' });
    expect(r.status).toBe(401);
    const db = server.deps.db;
    const rows = await db.selectFrom('users').select(['username', 'deactivated', 'is_bot', 'role', 'password_hash', 'display_name']).execute();
    const row = (u: string) => rows.find((x) => x.username === u)!;
    expect(row('carol').deactivated).toBe(true);
    expect(row('deploybot').is_bot).toBe(true);
    expect(row('guesty').role).toBe('guest');
    expect(rows.find((x) => x.display_name === 'Zoë 🦄')!.username).toBe('zoe.unic_de');
    expect(row('admin-2')).toBeTruthy();
    expect(rows.filter((x) => x.username !== 'admin' && x.username !== 'alicep').every((x) => x.password_hash === null)).toBe(true);
    expect(row('slack-u09ghost')).toMatchObject({ deactivated: true });
  });

  it('maps #general, keeps topic, purpose, archived state, private channels, DMs and group DMs', async () => {
    const mine = (await alice.get('/api/v1/channels')).body.channels as any[];
    const general = mine.find((c) => c.isGeneral);
    expect(general.name).toBe('general');
    const old = mine.find((c) => c.name === 'old-project');
    expect(old).toMatchObject({ archived: true, topic: 'done' });
    expect(mine.find((c) => c.name === 'random')).toMatchObject({ purpose: 'Off topic', kind: 'public' });
    expect(mine.find((c) => c.name === 'secret')).toMatchObject({ kind: 'private' });
    expect(mine.filter((c) => c.kind === 'dm')).toHaveLength(1);
    expect(mine.filter((c) => c.kind === 'group')).toHaveLength(1);
    // Everything imported counts as read.
    for (const c of mine) expect([c.name, c.unreadCount, c.mentionCount]).toEqual([c.name, 0, 0]);
  });

  it('converts markup, keeps order and timestamps, threads, reactions, pins, edits, files, bots and system messages', async () => {
    const general = await byName(alice, 'general');
    const msgs = await history(alice, general.id);
    const hello = msgs.find((m) => m.text.startsWith('Hello'));
    expect(hello.text).toBe('Hello @here, welcome @bob! See #random and [the docs](https://example.com/a_b_c) & **bold** *italic* ~~gone~~ `*code*` 1 < 2');
    expect(hello.broadcastMention).toBe('here');
    expect(hello.createdAt).toBe(new Date((T0 + 60) * 1000).toISOString());
    expect(hello.editedAt).toBe(new Date((T0 + 90) * 1000).toISOString());
    expect(hello.pinned).toBe(true);
    expect(hello.replyCount).toBe(3);
    expect(hello.reactions.find((r: any) => r.emoji === 'tada').count).toBe(2);
    const seqs = msgs.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(msgs.map((m) => m.createdAt)).toEqual([...msgs.map((m) => m.createdAt)].sort());
    expect(msgs.find((m) => m.subtype === 'join')).toBeTruthy();
    expect(msgs.find((m) => m.subtype === 'topic').text).toMatch(/Company & news/);
    const hook = msgs.find((m) => m.subtype === 'bot' && m.text.includes('Build #42'));
    expect(hook.text).toContain('[Build #42](https://ci.example/42)');
    expect(hook.text).toContain('**Branch**: main');
    expect(msgs.find((m) => m.text === 'Deployed **v2**')).toBeTruthy();
    const withFile = msgs.find((m) => m.text === 'here is a file');
    expect(withFile.files).toHaveLength(1);
    const dl = await fetch(`${server.url}/api/v1/files/${withFile.files[0].id}/content`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(await dl.text()).toBe('hello notes');
    const zoe = msgs.find((m) => m.text.startsWith('ünïcødé'));
    expect(zoe.text).toBe('ünïcødé 日本語 🎉 @alicep');
    expect(zoe.mentions).toEqual([alice.id]);
    expect(msgs.find((m) => m.text === 'reply to a root that is not in the export')).toBeTruthy();

    const thread = (await alice.get(`/api/v1/messages/${hello.id}/thread`)).body;
    expect(thread.replies.map((r: any) => [r.text, r.seq, r.subtype ?? null])).toEqual([
      ['first reply', 1, null], ['broadcast reply for everyone', 2, 'broadcast'], ['late reply on day two', 3, null],
    ]);
    const threads = (await alice.get('/api/v1/threads')).body.threads as any[];
    expect(threads.find((t) => t.root.id === hello.id)).toMatchObject({ following: true, unreadReplies: 0 });
  });

  it('is idempotent: a second run changes nothing', async () => {
    const count = async () => Promise.all(['users', 'channels', 'messages', 'reactions', 'files', 'channel_members', 'thread_followers']
      .map(async (t) => Number((await server.deps.db.selectFrom(t as any).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await count();
    const again = await importSlack(server.deps, zip);
    expect(await count()).toEqual(before);
    for (const k of KINDS) expect(again.kinds[k].imported, k).toBe(0);
    expect(again.kinds.messages.alreadyPresent).toBe(report.kinds.messages.imported);
  });

  it('a newer export of the same workspace adds only what is new', async () => {
    const spec = realisticSpec();
    spec.users.push(user('U10NEW', 'newbie'));
    spec.channels![0].members.push('U10NEW');
    spec.days.general!['2020-09-15'] = [
      { type: 'message', user: 'U10NEW', text: 'new here', ts: ts(T0 + 2 * 86_400) },
      { type: 'message', user: 'U02BOB', text: 'new reply to an old thread', ts: ts(T0 + 2 * 86_400 + 1), thread_ts: ts(T0 + 60) },
    ];
    spec.days.general!['2020-09-13']![1]!.reactions.push({ name: 'eyes', users: ['U08DAVE'], count: 1 });
    const newer = await importSlack(server.deps, exportZip(spec));
    expect(newer.kinds.users.imported).toBe(1);
    expect(newer.kinds.messages.imported).toBe(1);
    expect(newer.kinds.threadReplies.imported).toBe(1);
    expect(newer.kinds.reactions.imported).toBe(1);
    const general = await byName(alice, 'general');
    const msgs = await history(alice, general.id);
    expect(msgs[msgs.length - 1].text).toBe('new here');
    expect(msgs.find((m) => m.text.startsWith('Hello')).replyCount).toBe(4);
    expect(general.unreadCount).toBe(0);
  });

  it('a dry run reports without writing', async () => {
    const spec = realisticSpec();
    spec.days.random!['2020-09-20'] = [{ type: 'message', user: 'U02BOB', text: 'only in the dry run', ts: ts(T0 + 7 * 86_400) }];
    const before = Number((await server.deps.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const dry = await importSlack(server.deps, exportZip(spec), { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.kinds.messages.imported).toBe(1);
    const after = Number((await server.deps.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
  });
});
