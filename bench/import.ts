// `npm run bench -- import`: generates a Slack export of --messages messages (default
// 1,000,000), streamed to a zip one day file at a time (never whole in memory), imports it
// into a fresh PostgreSQL database and prints messages/s and peak memory, sampled as the
// import goes so that growth with the export's size would show.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import pino from 'pino';
import yazl from 'yazl';
import { loadConfig } from '../server/src/config.ts';
import { InProcessBus } from '../server/src/events/bus.ts';
import { openFileStore } from '../server/src/files/open.ts';
import { openDatabase } from '../server/src/store/db.ts';
import { migrateToLatest } from '../server/src/store/migrate.ts';
import { importSlack } from '../server/src/import/slack/run.ts';
import { summarize } from '../server/src/import/slack/report.ts';
import type { Deps } from '../server/src/actions/context.ts';
import { createBenchDatabase } from './lib/db.ts';
import { onCleanup } from './lib/children.ts';
import { UsageError } from './lib/usage.ts';

const HELP = `npm run bench -- import [--messages N] [--channels N] [--users N] [--per-day N] [--batch-size N] [--concurrency N] [--keep]

Generates a Slack export zip of N messages (default 1,000,000) across channels and days, then
imports it into a throwaway PostgreSQL database (PARLEY_BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres) and prints messages/s and peak memory.
--concurrency is how many conversations are written at once (default 2).`;

const T0 = 1_600_000_000;

export async function generate(file: string, o: { messages: number; channels: number; users: number; perDay: number }): Promise<void> {
  const zip = new yazl.ZipFile();
  const done = new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.pipe(out);
  });
  const users = Array.from({ length: o.users }, (_, i) => ({
    id: `U${i}`, team_id: 'TBENCH', name: `user${i}`, real_name: `User ${i}`, deleted: false, is_bot: false,
    profile: { display_name: `User ${i}`, real_name: `User ${i}`, email: `user${i}@bench.example` },
  }));
  const memberIds = users.map((u) => u.id);
  zip.addBuffer(Buffer.from(JSON.stringify(users)), 'users.json');
  const channels = Array.from({ length: o.channels }, (_, c) => ({
    id: `C${c}`, name: `channel-${c}`, created: T0, creator: 'U0', is_archived: false, is_general: c === 0, members: memberIds,
    topic: { value: '' }, purpose: { value: '' },
  }));
  zip.addBuffer(Buffer.from(JSON.stringify(channels)), 'channels.json');
  const perChannel = Math.ceil(o.messages / o.channels);
  const days = Math.ceil(perChannel / o.perDay);
  const words = 'the deploy is green review the pull request lunch at noon meeting moved to thursday ship it please check the logs'.split(' ');
  let left = o.messages;
  for (let c = 0; c < o.channels; c++) {
    let inChannel = Math.min(perChannel, left);
    left -= inChannel;
    for (let d = 0; d < days && inChannel > 0; d++) {
      const n = Math.min(o.perDay, inChannel);
      inChannel -= n;
      const day = new Date((T0 + d * 86_400) * 1000).toISOString().slice(0, 10);
      const dayStart = T0 + d * 86_400;
      zip.addReadStreamLazy(`channel-${c}/${day}.json`, (cb) => {
        const msgs = [];
        for (let i = 0; i < n; i++) {
          const u = (c * 7 + d * 13 + i) % o.users;
          const text = Array.from({ length: 6 + (i % 10) }, (_, k) => words[(i + k * 3 + d) % words.length]).join(' ')
            + (i % 25 === 0 ? ` <@U${(u + 1) % o.users}>` : '') + (i % 40 === 0 ? ' <https://example.com/x|a link>' : '');
          msgs.push({
            type: 'message', user: `U${u}`, text, ts: `${dayStart + i}.000100`,
            ...(i % 10 === 5 ? { thread_ts: `${dayStart}.000100` } : {}),
            ...(i % 20 === 3 ? { reactions: [{ name: 'thumbsup', users: [`U${(u + 2) % o.users}`], count: 1 }] } : {}),
          });
        }
        cb(null, Readable.from([Buffer.from(JSON.stringify(msgs))]));
      });
    }
  }
  zip.end();
  await done;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string', default: '1000000' }, channels: { type: 'string', default: '50' }, users: { type: 'string', default: '200' },
      'per-day': { type: 'string', default: '250' }, 'batch-size': { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '2' }, keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const o = { messages: Number(values.messages), channels: Number(values.channels), users: Number(values.users), perDay: Number(values['per-day']) };
  if (![o.messages, o.channels, o.users, o.perDay].every((x) => Number.isInteger(x) && x > 0)) throw new UsageError('--messages, --channels, --users and --per-day take positive integers.');
  const file = path.join(os.tmpdir(), `parley-bench-slack-${process.pid}.zip`);
  onCleanup(async () => fs.rmSync(file, { force: true }));
  let t = performance.now();
  await generate(file, o);
  console.log(`Generated ${o.messages.toLocaleString('en-US')} messages in ${o.channels} channels: ${(fs.statSync(file).size / 1e6).toFixed(1)} MB zip in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const db = await createBenchDatabase();
  if (!values.keep) onCleanup(() => db.drop());
  const handle = await openDatabase({ databaseUrl: db.url, dataDir: ':memory:', poolSize: 4 });
  onCleanup(() => handle.close());
  await migrateToLatest(handle.db);
  const config = loadConfig({}, { databaseUrl: db.url, dataDir: ':memory:', logLevel: 'silent' });
  const deps = {
    db: handle.db, bus: new InProcessBus(), config, log: pino({ level: 'silent' }), files: await openFileStore(config),
    presence: { statusOf: () => 'offline' as const, snapshot: () => ({}) },
  } as Deps;
  console.log(`Importing into PostgreSQL ${db.serverVersion} (database ${db.name})`);

  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  let peakHeap = 0;
  const marks: string[] = [];
  let nextMark = 0.1;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  t = performance.now();
  let lastLine = 0;
  const report = await importSlack(deps, file, {
    batchSize: Number(values['batch-size']),
    concurrency: Number(values.concurrency),
    onProgress: (p) => {
      const frac = p.bytesTotal ? p.bytesDone / p.bytesTotal : 0;
      if (frac >= nextMark) {
        const m = process.memoryUsage();
        marks.push(`${Math.round(frac * 100)}%: rss ${(m.rss / 1e6).toFixed(0)} MB, heap ${(m.heapUsed / 1e6).toFixed(0)} MB`);
        nextMark += 0.1;
      }
      if (performance.now() - lastLine > 5000) {
        lastLine = performance.now();
        console.log(`  ${p.messages.toLocaleString('en-US')} messages, ${Math.round(p.messages / ((performance.now() - t) / 1000)).toLocaleString('en-US')} msg/s`);
      }
    },
  });
  const secs = (performance.now() - t) / 1000;
  clearInterval(sample);
  const imported = report.kinds.messages.imported + report.kinds.threadReplies.imported;
  console.log(summarize(report));
  console.log('\nMemory as the import went (it should stay flat):');
  for (const m of marks) console.log(`  ${m}`);
  console.log('\n=== import ===');
  console.log(`messages imported     ${imported.toLocaleString('en-US')} (+ ${report.kinds.reactions.imported.toLocaleString('en-US')} reactions)`);
  console.log(`time                  ${secs.toFixed(1)} s`);
  console.log(`messages/s            ${Math.round(imported / secs).toLocaleString('en-US')}`);
  console.log(`peak RSS              ${(peakRss / 1e6).toFixed(0)} MB (start ${(baseRss / 1e6).toFixed(0)} MB)`);
  console.log(`peak heap used        ${(peakHeap / 1e6).toFixed(0)} MB`);
}
