// TEMP profiling helper (not committed).
import fs from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from './src/config.ts';
import { InProcessBus } from './src/events/bus.ts';
import { openFileStore } from './src/files/open.ts';
import { migrateToLatest } from './src/store/migrate.ts';
import { importSlack } from './src/import/slack/run.ts';
import type { Deps } from './src/actions/context.ts';
import { createBenchDatabase } from '../bench/lib/db.ts';
import { generate } from '../bench/import.ts';

const n = Number(process.argv[2] ?? 200000);
const file = `/tmp/prof/export-${n}.zip`;
if (!fs.existsSync(file)) await generate(file, { messages: n, channels: 50, users: 200, perDay: 250 });
const bdb = await createBenchDatabase();
pg.types.setTypeParser(20, (v) => Number(v));
const pool = new pg.Pool({ connectionString: bdb.url, max: 4 });
const times = new Map<string, { n: number; ms: number }>();
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => {
  const k = e.query.sql.replace(/\s+/g, ' ').trim().slice(0, 70);
  const t = times.get(k) ?? { n: 0, ms: 0 };
  t.n++; t.ms += e.queryDurationMillis; times.set(k, t);
} });
await migrateToLatest(db);
times.clear();
const config = loadConfig({}, { databaseUrl: bdb.url, dataDir: ':memory:', logLevel: 'silent' });
const deps = { db, bus: new InProcessBus(), config, log: pino({ level: 'silent' }), files: await openFileStore(config),
  presence: { statusOf: () => 'offline' as const, snapshot: () => ({}) } } as Deps;
const t0 = performance.now();
const r = await importSlack(deps, file, { batchSize: Number(process.argv[3] ?? 5000) });
const secs = (performance.now() - t0) / 1000;
console.log(`${n} in ${secs.toFixed(1)}s = ${Math.round((r.kinds.messages.imported + r.kinds.threadReplies.imported) / secs)} msg/s`);
let total = 0;
for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) { total += v.ms; console.log(`${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(6)}x  ${k}`); }
console.log('sql total', total.toFixed(0));
await db.destroy();
await bdb.drop();
