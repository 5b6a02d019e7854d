// kill -9 in the middle of `parley import slack`, then the same command again: it resumes from
// its last committed batch, with nothing written or counted twice. Also the admin API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.js';
import { KINDS } from '../src/import/slack/report.js';
import { baseEnv, runCli } from './process.js';
import { createTestDatabase } from './db.js';
import { startTestServer } from './harness.js';
import { exportZip, T0, ts, user, type Json } from './import-helpers.js';
import { form, postForm } from './files-helpers.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function bigSpec(channels: number, days: number, perDay: number) {
  const users = Array.from({ length: 10 }, (_, i) => user(`U${i}`, `person${i}`));
  const chans: Json[] = [];
  const folders: Record<string, Record<string, Json[]>> = {};
  for (let c = 0; c < channels; c++) {
    chans.push({ id: `C${c}`, name: `chan-${c}`, created: T0, creator: 'U0', members: users.map((u) => u.id) });
    folders[`chan-${c}`] = {};
    for (let d = 0; d < days; d++) {
      const day = new Date((T0 + d * 86_400) * 1000).toISOString().slice(0, 10);
      folders[`chan-${c}`]![day] = Array.from({ length: perDay }, (_, i) => {
        const t = T0 + d * 86_400 + i * 10;
        return { type: 'message', user: `U${i % 10}`, text: `m ${c} ${d} ${i} <@U${(i + 1) % 10}>`, ts: ts(t),
          ...(i % 7 === 1 ? { thread_ts: ts(T0 + d * 86_400) } : {}), ...(i % 5 === 0 ? { reactions: [{ name: 'eyes', users: ['U1', 'U2'], count: 2 }] } : {}) };
      });
    }
  }
  return { spec: { users, channels: chans, days: folders }, messages: channels * days * perDay };
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => { for (const c of cleanups) await c(); });

describe('resumable import', () => {
  it('resumes after kill -9 without duplicates or double counts', async () => {
    const { spec, messages } = bigSpec(6, 10, 120);
    const zip = exportZip(spec);
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-resume-'));
    const env = db.url ? { PARLEY_DATABASE_URL: db.url } : { PARLEY_DATA_DIR: dataDir };
    const reportPath = path.join(dataDir, 'report.json');

    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'import', 'slack', zip, '--batch-size', '100', '--progress-every-ms', '0'],
      { cwd: ROOT, env: baseEnv(env) });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        err += d;
        const m = /import: \d+% ([\d,]+) messages/g;
        let last = 0;
        for (const x of err.matchAll(m)) last = Number(x[1]!.replace(/,/g, ''));
        if (last >= 1500) resolve();
      });
      exited.then(() => reject(new Error(`finished before it could be killed:\n${err}`)));
    });
    child.kill('SIGKILL');
    await exited;

    const second = await runCli(['import', 'slack', zip, '--report', reportPath], env);
    expect(second.code, second.stderr + second.stdout).toBe(0);
    const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
    for (const k of KINDS) expect(report.kinds[k].inExport, k).toBe(report.kinds[k].imported + report.kinds[k].alreadyPresent + report.kinds[k].skipped);
    expect(report.kinds.messages.imported + report.kinds.threadReplies.imported).toBe(messages);
    expect(report.kinds.messages.alreadyPresent + report.kinds.threadReplies.alreadyPresent).toBe(0);
    expect(second.stdout).toMatch(/Thread replies/);

    const h = await openDatabase({ databaseUrl: db.url, dataDir });
    try {
      const total = await h.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(messages);
      const perChannel = await h.db.selectFrom('messages').select(['channel_id'])
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('seq').as('max'), eb.fn.count('seq').distinct().as('d')])
        .where('thread_root_id', 'is', null).groupBy('channel_id').execute();
      for (const r of perChannel) expect([Number(r.n), Number(r.d)]).toEqual([Number(r.max), Number(r.max)]);
      const unread = await h.db.selectFrom('channel_members as m').innerJoin('channels as c', 'c.id', 'm.channel_id')
        .select('m.user_id').whereRef('m.last_read_seq', '<', 'c.last_seq').execute();
      expect(unread).toHaveLength(0);
    } finally {
      await h.close();
    }
  }, 180_000);

  it('admins start an import over the API and read its progress and report', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const member = await server.user();
    const { spec } = bigSpec(2, 2, 20);
    const data = fs.readFileSync(exportZip(spec));
    const denied = await postForm(server, member, '/api/v1/admin/imports', form([{ name: 'export.zip', data }]));
    expect(denied.status).toBe(403);
    const bad = await postForm(server, server.admin, '/api/v1/admin/imports', form([{ name: 'export.zip', data: 'not a zip' }]));
    expect([bad.status, bad.body.error.code]).toEqual([400, 'import_invalid']);
    const r = await postForm(server, server.admin, '/api/v1/admin/imports', form([{ name: 'export.zip', data }]));
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    let job = r.body;
    for (let i = 0; i < 200 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((res) => setTimeout(res, 50));
      job = (await server.admin.get(`/api/v1/admin/imports/${r.body.id}`)).body;
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.report.kinds.messages.imported + job.report.kinds.threadReplies.imported).toBe(80);
    expect(job.progress.phase).toBeDefined();
    expect((await member.get(`/api/v1/admin/imports/${r.body.id}`)).status).toBe(403);
    expect((await server.admin.get('/api/v1/admin/imports/0190b7a4-0000-7000-8000-000000000000')).status).toBe(404);
  });
});
