// Slack exports made on the spot for the import tests: a small zip writer that can also write
// what real tools refuse to (path traversal names, lying sizes), and a realistic workspace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';

export interface RawEntry {
  name: string;
  data: Buffer | string;
  /** Deflate (default) or store. */
  store?: boolean;
  /** Override the declared uncompressed size (a lying header). */
  declaredSize?: number;
}

/** Writes a zip with exactly these entries and names; returns its path. */
export function writeZip(entries: RawEntry[], file = tmpPath()): string {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
    const body = e.store ? data : zlib.deflateRawSync(data);
    const name = Buffer.from(e.name, 'utf8');
    const crc = zlib.crc32(data);
    const size = e.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(e.store ? 0 : 8, 8); local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(0x0314, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(e.store ? 0 : 8, 10); c.writeUInt32LE(crc, 16); c.writeUInt32LE(body.length, 20); c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28); c.writeUInt32LE((0o100644 << 16) >>> 0, 38); c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, cd, end]));
  return file;
}

export function tmpPath(ext = '.zip'): string {
  return path.join(os.tmpdir(), `parley-import-${randomBytes(6).toString('hex')}${ext}`);
}

export type Json = Record<string, any>;

/** An export as data: metadata lists and day files per folder, and file bodies. */
export interface ExportSpec {
  users: Json[];
  channels?: Json[];
  groups?: Json[];
  mpims?: Json[];
  dms?: Json[];
  /** folder → day → messages */
  days: Record<string, Record<string, Json[]>>;
  uploads?: Record<string, { name: string; data: Buffer | string }>;
  extra?: RawEntry[];
}

export function exportZip(spec: ExportSpec, file?: string): string {
  const entries: RawEntry[] = [{ name: 'users.json', data: JSON.stringify(spec.users) }];
  for (const k of ['channels', 'groups', 'mpims', 'dms'] as const) if (spec[k]) entries.push({ name: `${k}.json`, data: JSON.stringify(spec[k]) });
  for (const [folder, days] of Object.entries(spec.days)) {
    for (const [day, msgs] of Object.entries(days)) entries.push({ name: `${folder}/${day}.json`, data: JSON.stringify(msgs, null, 1) });
  }
  for (const [id, f] of Object.entries(spec.uploads ?? {})) entries.push({ name: `__uploads/${id}/${f.name}`, data: f.data });
  entries.push(...(spec.extra ?? []));
  return writeZip(entries, file);
}

/** Slack's ts for a time in seconds plus a micro part. */
export const ts = (sec: number, micro = 0) => `${sec}.${String(micro).padStart(6, '0')}`;

export const T0 = 1_600_000_000; // 2020-09-13

export function user(id: string, name: string, extra: Json = {}): Json {
  return {
    id, team_id: 'T01TEAM', name, deleted: false, real_name: `${name} Real`, is_bot: false,
    profile: { real_name: `${name} Real`, display_name: `${name} Display`, email: `${name}@slack.example`, image_192: `https://avatars.example/${id}.png`, ...(extra.profile ?? {}) },
    ...extra,
  };
}

/** A workspace with every case the import handles; the tests assert on it. */
export function realisticSpec(): ExportSpec {
  const users = [
    user('U01ALICE', 'alice'),
    user('U02BOB', 'bob'),
    user('U03CAROL', 'carol', { deleted: true }),
    user('U04ZOE', 'zoë.ünïcødé', { profile: { display_name: 'Zoë 🦄', email: 'zoe@slack.example' } }),
    user('U05BOT', 'deploybot', { is_bot: true, profile: { email: undefined, display_name: '' } }),
    user('U06ADMIN', 'admin', { profile: { email: 'other-admin@slack.example' } }), // clashes with the Parley admin's username
    user('U07GUEST', 'guesty', { is_restricted: true }),
    user('U08DAVE', 'dave'),
  ];
  const all = users.filter((u) => u.id !== 'U05BOT').map((u) => u.id);
  const channels = [
    { id: 'C01GEN', name: 'general', created: T0, creator: 'U01ALICE', is_archived: false, is_general: true, members: all,
      topic: { value: 'Company &amp; news' }, purpose: { value: 'Everything' }, pins: [{ id: ts(T0 + 60), type: 'C', created: T0 + 3600, user: 'U02BOB' }] },
    { id: 'C02RAND', name: 'random', created: T0 + 10, creator: 'U02BOB', is_archived: false, is_general: false, members: ['U01ALICE', 'U02BOB', 'U04ZOE'],
      topic: { value: '' }, purpose: { value: 'Off topic' } },
    { id: 'C03OLD', name: 'old-project', created: T0 + 20, creator: 'U01ALICE', is_archived: true, members: ['U01ALICE', 'U02BOB'], topic: { value: 'done' }, purpose: { value: '' } },
  ];
  const groups = [{ id: 'G01SECRET', name: 'secret', created: T0 + 30, creator: 'U01ALICE', is_archived: false, members: ['U01ALICE', 'U08DAVE'], topic: { value: '' }, purpose: { value: '' } }];
  const mpims = [{ id: 'G02MPIM', name: 'mpdm-alice--bob--dave-1', created: T0 + 40, creator: 'U01ALICE', is_archived: false, members: ['U01ALICE', 'U02BOB', 'U08DAVE'] }];
  const dms = [{ id: 'D01AB', created: T0 + 50, members: ['U01ALICE', 'U02BOB'] }];
  const d1 = '2020-09-13';
  const d2 = '2020-09-14';
  const general: Json[] = [
    { type: 'message', subtype: 'channel_join', user: 'U02BOB', text: '<@U02BOB> has joined the channel', ts: ts(T0 + 30) },
    { type: 'message', user: 'U01ALICE', text: 'Hello <!here>, welcome <@U02BOB>! See <#C02RAND|random> and <https://example.com/a_b_c|the docs> &amp; *bold* _italic_ ~gone~ `*code*` 1 &lt; 2',
      ts: ts(T0 + 60), pinned_to: ['C01GEN'], reactions: [{ name: 'tada', users: ['U02BOB', 'U04ZOE'], count: 2 }, { name: 'thumbsup::skin-tone-2', users: ['U02BOB'], count: 3 }],
      edited: { user: 'U01ALICE', ts: ts(T0 + 90) }, thread_ts: ts(T0 + 60), reply_count: 3 },
    { type: 'message', user: 'U02BOB', text: 'first reply', ts: ts(T0 + 61), thread_ts: ts(T0 + 60), parent_user_id: 'U01ALICE' },
    { type: 'message', subtype: 'thread_broadcast', user: 'U04ZOE', text: 'broadcast reply for everyone', ts: ts(T0 + 62), thread_ts: ts(T0 + 60) },
    { type: 'message', subtype: 'bot_message', bot_id: 'B01HOOK', username: 'CI Hook', text: '',
      attachments: [{ fallback: 'Build passed', title: 'Build #42', title_link: 'https://ci.example/42', text: 'All green', fields: [{ title: 'Branch', value: 'main' }] }], ts: ts(T0 + 70) },
    { type: 'message', user: 'U05BOT', bot_id: 'B02DEPLOY', text: '', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Deployed *v2*' } }], ts: ts(T0 + 80) },
    { type: 'message', user: 'U03CAROL', text: 'I was here before I left', ts: ts(T0 + 85) },
    { type: 'message', subtype: 'channel_topic', user: 'U01ALICE', text: 'set the channel topic: Company &amp; news', topic: 'Company &amp; news', ts: ts(T0 + 86) },
    { type: 'message', user: 'U01ALICE', text: 'here is a file', ts: ts(T0 + 87),
      files: [{ id: 'F01PRESENT', name: 'notes.txt', title: 'Notes', mimetype: 'text/plain', size: 11 }, { id: 'F02MISSING', name: 'lost.pdf', mimetype: 'application/pdf', size: 100 }] },
    { type: 'message', user: 'U01ALICE', text: '', files: [{ id: 'F03GONE', mode: 'tombstone' }], ts: ts(T0 + 88) },
    { type: 'message', subtype: 'message_changed', hidden: true, ts: ts(T0 + 89), message: { text: 'x' } },
    { type: 'message', user: 'U09GHOST', text: 'from a user missing in users.json', ts: ts(T0 + 95) },
  ];
  const general2: Json[] = [
    { type: 'message', user: 'U08DAVE', text: 'late reply on day two', ts: ts(T0 + 86_400), thread_ts: ts(T0 + 60) },
    { type: 'message', user: 'U04ZOE', text: 'ünïcødé 日本語 🎉 <@U01ALICE>', ts: ts(T0 + 86_401), reactions: [{ name: 'heart', users: ['U01ALICE'], count: 1 }, { name: 'bad emoji!', users: ['U02BOB'], count: 1 }] },
    { type: 'message', user: 'U02BOB', text: 'reply to a root that is not in the export', ts: ts(T0 + 86_402), thread_ts: ts(T0 - 1000) },
    { type: 'message', user: 'U02BOB', text: '   ', ts: ts(T0 + 86_403) },
  ];
  return {
    users, channels, groups, mpims, dms,
    days: {
      general: { [d1]: general, [d2]: general2 },
      random: { [d1]: [
        { type: 'message', user: 'U02BOB', text: 'random talk', ts: ts(T0 + 100) },
        { type: 'message', subtype: 'channel_purpose', user: 'U02BOB', text: 'set the channel purpose: Off topic', ts: ts(T0 + 101) },
        { type: 'message', subtype: 'channel_leave', user: 'U04ZOE', text: '<@U04ZOE> has left the channel', ts: ts(T0 + 102) },
      ] },
      'old-project': { [d1]: [{ type: 'message', user: 'U01ALICE', text: 'archived talk', ts: ts(T0 + 200) }] },
      secret: { [d1]: [{ type: 'message', user: 'U08DAVE', text: 'psst', ts: ts(T0 + 300) }] },
      'mpdm-alice--bob--dave-1': { [d1]: [{ type: 'message', user: 'U02BOB', text: 'group chat', ts: ts(T0 + 400) }] },
      D01AB: { [d1]: [{ type: 'message', user: 'U01ALICE', text: 'hi bob', ts: ts(T0 + 500) }, { type: 'message', user: 'U02BOB', text: 'hi alice', ts: ts(T0 + 501) }] },
      strayfolder: { [d1]: [{ type: 'message', user: 'U01ALICE', text: 'no channel for me', ts: ts(T0 + 600) }] },
    },
    uploads: { F01PRESENT: { name: 'notes.txt', data: 'hello notes' } },
    extra: [{ name: 'integration_logs.json', data: '[]' }],
  };
}
