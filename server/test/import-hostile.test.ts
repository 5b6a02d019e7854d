// Corrupt, truncated and hostile exports: a clear refusal before anything is written, or a
// report entry for the one bad part while the rest is imported.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSlack } from '../src/import/slack/run.js';
import { KINDS } from '../src/import/slack/report.js';
import { ZipError } from '../src/import/slack/zip.js';
import { startTestServer, type TestServer } from './harness.js';
import { exportZip, realisticSpec, T0, ts, user, writeZip, type ExportSpec } from './import-helpers.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(() => server.close());

const count = async (t: 'users' | 'messages' | 'channels') =>
  Number((await server.deps.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

function small(): ExportSpec {
  return {
    users: [user('U1', 'hana'), user('U2', 'ivan')],
    channels: [{ id: 'CX', name: 'hostile', created: T0, creator: 'U1', members: ['U1', 'U2'] }],
    days: { hostile: { '2020-09-13': [{ type: 'message', user: 'U1', text: 'ok', ts: ts(T0 + 1) }] } },
  };
}

describe('hostile exports', () => {
  it('refuses a truncated zip, bad users.json or a non-export before writing anything', async () => {
    const users = await count('users');
    const good = fs.readFileSync(exportZip(small()));
    const truncated = exportZip(small());
    fs.writeFileSync(truncated, good.subarray(0, good.length - 40));
    await expect(importSlack(server.deps, truncated)).rejects.toThrow(ZipError);
    const badUsers = writeZip([{ name: 'users.json', data: '[{"id": "U1",' }, { name: 'channels.json', data: '[]' }]);
    await expect(importSlack(server.deps, badUsers)).rejects.toThrow(/users.json is not valid JSON/);
    const notExport = writeZip([{ name: 'readme.txt', data: 'hi' }]);
    await expect(importSlack(server.deps, notExport)).rejects.toThrow(/not a Slack export/);
    const notZip = exportZip(small());
    fs.writeFileSync(notZip, 'this is not a zip at all');
    await expect(importSlack(server.deps, notZip)).rejects.toThrow(/Not a readable zip/);
    expect(await count('users')).toBe(users);
  });

  it('reports bad day files, traversal names, zip bombs and lying sizes, and imports the rest', async () => {
    const spec = small();
    spec.extra = [
      { name: 'hostile/2020-09-14.json', data: '[{"type": "message", "user": "U1", "text": "cut' },
      { name: '../../etc/passwd', data: 'root:x:0:0' },
      { name: 'hostile/../../escape/2020-09-15.json', data: '[]' },
      { name: '/abs/2020-09-15.json', data: '[]' },
      // 64 MiB of spaces inflate from ~64 KiB: a bomb by ratio.
      { name: 'hostile/2020-09-16.json', data: Buffer.concat([Buffer.from('['), Buffer.alloc(64 * 1024 * 1024, 0x20), Buffer.from(']')]) },
      // Declares fewer bytes than it inflates to.
      { name: 'hostile/2020-09-17.json', data: JSON.stringify([{ type: 'message', user: 'U2', text: 'liar', ts: ts(T0 + 4 * 86_400) }]), declaredSize: 10 },
      { name: '__uploads/F1/../../../x', data: 'evil' },
    ];
    const report = await importSlack(server.deps, exportZip(spec));
    for (const k of KINDS) expect(report.kinds[k].inExport, k).toBe(report.kinds[k].imported + report.kinds[k].alreadyPresent + report.kinds[k].skipped);
    expect(report.kinds.messages.imported).toBe(1);
    const reasons = report.kinds.messages.skippedItems.map((s) => `${s.id}: ${s.reason}`).join('\n');
    expect(reasons).toMatch(/2020-09-14.json: day file unreadable: .*not valid JSON/);
    expect(reasons).toMatch(/2020-09-16.json: day file refused: .*zip bomb/);
    expect(reasons).toMatch(/2020-09-17.json: day file unreadable: .*corrupt or truncated/);
    const notes = report.notes.join('\n');
    expect(notes).toMatch(/"\.\.\/\.\.\/etc\/passwd" not read: unsafe path/);
    expect(notes).toMatch(/escape\/2020-09-15.json" not read: unsafe path/);
    expect(notes).toMatch(/\/abs\/2020-09-15.json" not read: unsafe path/);
  });

  it('refuses a zip whose total inflated size is over the cap', async () => {
    const zip = exportZip(small());
    await expect(importSlack(server.deps, zip, { limits: { maxTotalBytes: 100 } })).rejects.toThrow(/zip bomb/);
  });

  it('imports a huge thread across batches with dense reply seqs', async () => {
    const spec = small();
    spec.channels![0].id = 'CHUGE';
    spec.channels![0].name = 'huge';
    const root = { type: 'message', user: 'U1', text: 'root', ts: ts(T0 + 10), thread_ts: ts(T0 + 10) };
    const replies = Array.from({ length: 2500 }, (_, i) => ({ type: 'message', user: i % 2 ? 'U1' : 'U2', text: `r${i}`, ts: ts(T0 + 11 + i), thread_ts: ts(T0 + 10) }));
    spec.days = { huge: { '2020-09-13': [root, ...replies.slice(0, 1000)], '2020-09-14': replies.slice(1000) } };
    const report = await importSlack(server.deps, exportZip(spec), { batchSize: 300 });
    expect(report.kinds.threadReplies).toMatchObject({ inExport: 2500, imported: 2500 });
    const rows = await server.deps.db.selectFrom('messages').select(['seq', 'text']).where('thread_root_id', 'is not', null)
      .where('text', 'like', 'r%').orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(rows.map((r) => r.text)).toEqual(replies.map((r) => r.text));
    const r = await server.deps.db.selectFrom('messages').select(['reply_count', 'reply_seq']).where('text', '=', 'root').executeTakeFirstOrThrow();
    expect(r).toMatchObject({ reply_count: 2500, reply_seq: 2500 });
    void zlib;
  });
});
