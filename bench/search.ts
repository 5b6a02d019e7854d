// `npm run bench -- search`: search latency over a large message history on PostgreSQL.
//
// Fills a fresh database (created here, dropped at the end) with --messages messages of
// Zipf-distributed chat text (bench/lib/corpus.ts) across users, public and private
// channels, DMs and group DMs, then runs a mix of searches through Parley's own search
// action (server/src/actions/search.ts: the same parsing, access rules, SQL, headlines and
// presenting as GET /api/v1/search, minus HTTP) as a user who belongs to some private
// channels and DMs. Prints p50/p95/p99 per kind of query and the database's size.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { searchMessages } from '../server/src/actions/search.ts';
import { loadConfig } from '../server/src/config.ts';
import { openDatabase } from '../server/src/store/db.ts';
import { migrateToLatest } from '../server/src/store/migrate.ts';
import { makeLogger, openDeps } from '../server/src/server.ts';
import { onCleanup } from './lib/children.ts';
import { Zipf, rng, vocabulary } from './lib/corpus.ts';
import { createBenchDatabase } from './lib/db.ts';
import { fill, type Workspace } from './lib/search-fill.ts';

const HELP = `Usage: npm run bench -- search [flags]

  --messages N     messages to generate (default 1000000, at most 10000000)
  --users N        users (default 2000)
  --channels N     public and private channels (default 400; plus about 0.75 × as many DMs and group DMs)
  --queries N      searches per kind of query (default 100)
  --limit N        results per page (default 20)
  --seed N         corpus seed (default 1)
  --connections N  loader connections (default 2)
  --rank-window N  relevance ranks the newest N matches (default: PARLEY_SEARCH_RANK_WINDOW's default)
  --keep           keep the database afterwards and print its URL

Environment: PARLEY_BENCH_DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres).`;

interface Options {
  messages: number; users: number; channels: number; queries: number; limit: number;
  seed: number; connections: number; keep: boolean; rankWindow: number | undefined;
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string' }, users: { type: 'string' }, channels: { type: 'string' }, queries: { type: 'string' },
      limit: { type: 'string' }, seed: { type: 'string' }, connections: { type: 'string' }, 'rank-window': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const num = (key: keyof typeof values, def: number, min: number, max: number) => {
    const raw = values[key];
    if (raw === undefined) return def;
    const n = Number(String(raw).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${key} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  return {
    messages: num('messages', 1_000_000, 1000, 10_000_000),
    users: num('users', 2000, 10, 1_000_000),
    channels: num('channels', 400, 2, 100_000),
    queries: num('queries', 100, 1, 100_000),
    limit: num('limit', 20, 1, 100),
    seed: num('seed', 1, 0, 2 ** 31),
    connections: num('connections', 2, 1, 16),
    keep: values.keep!,
    rankWindow: values['rank-window'] === undefined ? undefined : num('rank-window', 0, 1, 100_000),
  };
}

// ---------------------------------------------------------------------------------------
// The queries

type Kind = 'common word' | 'two common words' | 'rare word' | 'phrase' | 'filtered' | 'next page';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Query texts per kind, drawn from what the corpus actually contains. */
async function makeQueries(url: string, w: Workspace, o: Options): Promise<Record<Exclude<Kind, 'next page'>, string[]>> {
  const r = rng(o.seed + 99);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const words = vocabulary(60_000, o.seed);
  const zipf = new Zipf(words.length, 1.0);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Words the 'english' configuration keeps (stop words are not searchable).
    const head = words.slice(0, 400);
    const kept = (await client.query<{ w: string }>(
      `SELECT w FROM unnest($1::text[]) AS w WHERE length(to_tsvector('english', w)::text) > 0`, [head])).rows.map((x) => x.w);
    // Common: among the 20th-120th most frequent words: each in roughly 1–5 % of all messages.
    const common = kept.filter((x) => words.indexOf(x) >= 20 && words.indexOf(x) < 120);
    // Rare: expected in about 20–200 messages at this corpus size.
    const tokens = o.messages * 11;
    const rare: string[] = [];
    for (let k = 400; k < words.length && rare.length < 200; k += 37) {
      const expected = tokens * zipf.p(k);
      if (expected >= 20 && expected <= 200) rare.push(words[k]!);
    }
    if (rare.length === 0) rare.push(...words.slice(-50));
    // Phrases: three consecutive words from real messages.
    const texts = (await client.query<{ text: string }>(
      `SELECT text FROM messages TABLESAMPLE SYSTEM (1) REPEATABLE (${o.seed})
       WHERE deleted_at IS NULL AND length(text) > 40 AND channel_id IN (SELECT id FROM channels WHERE kind = 'public') LIMIT 2000`)).rows;
    const candidates = texts.map((t) => t.text.toLowerCase().split(/\s+/).filter((x) => /^[a-z']+$/.test(x)))
      .filter((ws) => ws.length >= 4).map((ws) => {
        const i = Math.floor(r() * (ws.length - 3));
        return ws.slice(i, i + 3).join(' ');
      });
    // At least two words that are not stop words, or it is not much of a phrase.
    const phrases = (await client.query<{ p: string }>(
      `SELECT p FROM unnest($1::text[]) AS p WHERE numnode(phraseto_tsquery('english', p)) >= 3`, [candidates])).rows.map((x) => `"${x.p}"`);
    const mid = new Date((w.start.getTime() + w.end.getTime()) / 2);
    const monthLater = new Date(mid.getTime() + 30 * 86_400_000);
    const filtered = (i: number) => {
      const c = pick(common);
      switch (i % 8) {
        case 0: return `${c} from:@${pick(w.busyUsers)}`;
        case 1: return `${c} in:#${pick(w.busyChannels)}`;
        case 2: return `${pick(rare)} after:${day(mid)}`;
        case 3: return `${c} has:link`;
        case 4: return `${c} is:thread`;
        case 5: return `${c} after:${day(mid)} before:${day(monthLater)}`;
        case 6: return `from:@${pick(w.busyUsers)} in:#${pick(w.busyChannels)}`;
        default: return `${c} ${pick(common)} -${pick(common)}`;
      }
    };
    const n = o.queries;
    return {
      'common word': Array.from({ length: n }, () => pick(common)),
      'two common words': Array.from({ length: n }, () => `${pick(common)} ${pick(common)}`),
      'rare word': Array.from({ length: n }, () => pick(rare)),
      phrase: Array.from({ length: n }, () => pick(phrases)),
      filtered: Array.from({ length: n }, (_, i) => filtered(i)),
    };
  } finally {
    await client.end();
  }
}

function percentiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const ms = (v: number) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));

// ---------------------------------------------------------------------------------------

export async function main(argv: string[]): Promise<void> {
  const o = parseOptions(argv);
  if (!o) {
    console.log(HELP);
    return;
  }
  const db = await createBenchDatabase();
  if (!o.keep) onCleanup(() => db.drop());
  const log = (line: string) => console.log(line);
  log(`Search benchmark on PostgreSQL ${db.serverVersion}, database ${db.name}`);
  log(`Filling: ${o.messages.toLocaleString('en-US')} messages, ${o.users.toLocaleString('en-US')} users, ${o.channels} channels (+ DMs), seed ${o.seed}`);
  const t0 = performance.now();
  const schema = await openDatabase({ databaseUrl: db.url, dataDir: ':memory:', poolSize: 1 });
  try {
    await migrateToLatest(schema.db);
  } finally {
    await schema.close();
  }
  const w = await fill({ url: db.url, messages: o.messages, users: o.users, channels: o.channels, seed: o.seed, connections: o.connections, log });
  log(`Filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The server's own start-up path (without HTTP): the same Deps every action gets.
  const config = loadConfig({}, {
    databaseUrl: db.url, dataDir: ':memory:', logLevel: 'silent', ...(o.rankWindow ? { searchRankWindow: o.rankWindow } : {}),
  });
  const { deps, database: handle } = await openDeps(config, makeLogger(config));
  onCleanup(async () => {
    await handle.close();
    await deps.files?.close?.();
  });
  const actor = { id: w.searcher.id, role: 'member' as const };
  const queries = await makeQueries(db.url, w, o);

  const run = async (q: string, cursor?: string) => {
    const start = performance.now();
    const page = await searchMessages(deps, actor, { q, limit: o.limit, cursor });
    return { ms: performance.now() - start, page };
  };
  const loadAtStart = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  // Warm-up: the first searches load the index and the planner's caches.
  for (const list of Object.values(queries)) for (const q of list.slice(0, 5)) await run(q);

  const results: Array<{ kind: Kind; times: number[]; hits: number; full: number }> = [];
  const cursors: Array<{ q: string; cursor: string }> = [];
  for (const [kind, list] of Object.entries(queries) as Array<[Kind, string[]]>) {
    const times: number[] = [];
    let hits = 0;
    let full = 0;
    for (const q of list) {
      const r = await run(q);
      times.push(r.ms);
      hits += r.page.results.length;
      if (r.page.results.length === o.limit) full++;
      if (r.page.nextCursor && (kind === 'common word' || kind === 'two common words')) cursors.push({ q, cursor: r.page.nextCursor });
    }
    results.push({ kind, times, hits, full });
  }
  {
    const times: number[] = [];
    let hits = 0;
    let full = 0;
    for (const c of cursors.slice(0, o.queries)) {
      const r = await run(c.q, c.cursor);
      times.push(r.ms);
      hits += r.page.results.length;
      if (r.page.results.length === o.limit) full++;
    }
    if (times.length) results.push({ kind: 'next page', times, hits, full });
  }

  const size = (await handle.db.selectNoFrom((eb) => [
    eb.fn<number>('pg_database_size', [eb.val(db.name)]).as('database'),
    eb.fn<number>('pg_total_relation_size', [eb.val('messages')]).as('messages'),
    eb.fn<number>('pg_relation_size', [eb.val('messages_search_idx')]).as('gin'),
  ]).executeTakeFirstOrThrow());
  const mbs = (b: number) => `${(Number(b) / 1024 / 1024).toFixed(0)} MB`;

  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  log('');
  log(`Machine: ${os.cpus().length} cores; load average ${loadAtStart} before the searches, ${load} after `
    + '(other work on the machine inflates these figures)');
  log(`Search latency (${o.messages.toLocaleString('en-US')} messages; one search at a time through the search action; limit ${o.limit}; `
    + `relevance ranks the newest ${config.searchRankWindow} matches):`);
  log(`  ${'kind'.padEnd(18)} ${'queries'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  results per page (mean)`);
  const all: number[] = [];
  for (const r of results) {
    all.push(...r.times);
    const p = percentiles(r.times);
    log(`  ${r.kind.padEnd(18)} ${String(r.times.length).padStart(7)} ${ms(p.p50).padStart(8)} ${ms(p.p95).padStart(8)} ${ms(p.p99).padStart(8)} ${ms(p.max).padStart(8)}  ${(r.hits / r.times.length).toFixed(1)}`);
  }
  const p = percentiles(all);
  log(`  ${'all'.padEnd(18)} ${String(all.length).padStart(7)} ${ms(p.p50).padStart(8)} ${ms(p.p95).padStart(8)} ${ms(p.p99).padStart(8)} ${ms(p.max).padStart(8)}`);
  log('');
  log(`Database size: ${mbs(size.database)} (messages with indexes ${mbs(size.messages)}, of which the search index ${mbs(size.gin)})`);
  log(`Total time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (o.keep) log(`Kept: ${db.url}`);
}
