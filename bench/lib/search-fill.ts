// Fills a migrated Parley database with a workspace's worth of history for the search
// benchmark: users, public and private channels, DMs and group DMs, memberships, and
// messages with threads, links, mentions and a few deletions, spread over two years.
// Rows go in with multi-row INSERT ... SELECT FROM unnest(...) over several connections,
// with the secondary indexes dropped during the load and rebuilt after (as a restore does).
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { idAt } from '../../server/src/ids.ts';
import { Zipf, rng, textGenerator, vocabulary } from './corpus.ts';

export interface FillOptions {
  url: string;
  messages: number;
  users: number;
  channels: number;
  seed: number;
  connections: number;
  log: (line: string) => void;
}

export interface Workspace {
  usernames: string[];
  /** Public and private channel names by id. */
  channelNames: Map<string, string>;
  /** The user whose searches are measured: a member of many channels, private ones and DMs included. */
  searcher: { id: string; username: string };
  /** A few users who post a lot, and a few busy channels, for filters. */
  busyUsers: string[];
  busyChannels: string[];
  start: Date;
  end: Date;
}

const DAY = 86_400_000;
const BATCH = 5000;

type Row = [string, string, string, string, string | null, number, string, string | null];

export async function fill(o: FillOptions): Promise<Workspace> {
  const r = rng(o.seed);
  const pool = new pg.Pool({ connectionString: o.url, max: o.connections + 1 });
  try {
    const t0 = performance.now();
    const end = new Date(Date.UTC(2025, 5, 1));
    const start = new Date(end.getTime() - 730 * DAY);

    // ---- people and channels
    const users = Array.from({ length: o.users }, (_, i) => ({ id: idAt(start, `user${i}`), username: `user${String(i).padStart(5, '0')}` }));
    await insertUnnest(pool, 'users', ['id', 'username', 'email', 'display_name', 'role'], ['uuid', 'text', 'text', 'text', 'text'],
      users.map((u, i) => [u.id, u.username, `${u.username}@example.test`, `User ${i}`, i === 0 ? 'admin' : 'member']));

    type Ch = { id: string; kind: 'public' | 'private' | 'dm' | 'group'; name: string | null; members: string[]; dmKey: string | null };
    const chans: Ch[] = [];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const sample = (n: number) => {
      const s = new Set<string>();
      while (s.size < Math.min(n, users.length)) s.add(pick(users).id);
      return [...s];
    };
    const searcher = users[1]!;
    for (let i = 0; i < o.channels; i++) {
      const kind = i === 0 || r() < 0.8 ? 'public' : 'private';
      const size = i === 0 ? users.length : Math.max(3, Math.round(Math.exp(2 + r() * 4)));
      const members = i === 0 ? users.map((u) => u.id) : sample(size);
      if (i % 7 === 1 && !members.includes(searcher.id)) members.push(searcher.id);
      chans.push({ id: idAt(start, `ch${i}`), kind, name: i === 0 ? 'general' : `${kind === 'public' ? 'team' : 'priv'}-${i}`, members, dmKey: null });
    }
    const dmCount = Math.round(o.channels * 0.75);
    const keys = new Set<string>();
    for (let i = 0; i < dmCount; i++) {
      const size = r() < 0.75 ? 2 : 3 + Math.floor(r() * 4);
      const members = [...new Set([...(i % 5 === 0 ? [searcher.id] : []), ...sample(size)])].slice(0, size).sort();
      const key = members.join(',');
      if (members.length < 2 || keys.has(key)) continue;
      keys.add(key);
      chans.push({ id: idAt(start, `dm${i}`), kind: members.length === 2 ? 'dm' : 'group', name: null, members, dmKey: key });
    }
    await insertUnnest(pool, 'channels', ['id', 'kind', 'name', 'dm_key', 'is_general', 'member_count', 'created_at'],
      ['uuid', 'text', 'text', 'text', 'boolean', 'integer', 'timestamptz'],
      chans.map((c, i) => [c.id, c.kind, c.name, c.dmKey, i === 0, c.members.length, start.toISOString()]));
    const memberRows = chans.flatMap((c, i) => c.members.map((u, k) => [c.id, u, k === 0 && i > 0 ? 'owner' : 'member']));
    for (let i = 0; i < memberRows.length; i += 20_000) {
      await insertUnnest(pool, 'channel_members', ['channel_id', 'user_id', 'role'], ['uuid', 'uuid', 'text'], memberRows.slice(i, i + 20_000));
    }

    // ---- messages: drop the secondary indexes, load over several connections, rebuild
    const indexes = (await pool.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'messages' AND indexname <> 'messages_pkey'`)).rows;
    for (const ix of indexes) await pool.query(`DROP INDEX ${ix.indexname}`);

    const words = vocabulary(60_000, o.seed);
    const usernames = users.map((u) => u.username);
    const text = textGenerator(words, o.seed + 1);
    const chanZipf = new Zipf(chans.length, 0.9);
    const userZipf = new Zipf(64, 0.8);
    const seq = new Map<string, number>();
    const roots = new Map<string, Array<{ id: string; replies: number }>>();
    const span = end.getTime() - start.getTime();
    let made = 0;
    let lastLog = performance.now();

    const nextBatch = (): Row[] => {
      const rows: Row[] = [];
      const n = Math.min(BATCH, o.messages - made);
      for (let k = 0; k < n; k++, made++) {
        const c = chans[chanZipf.sample(r())]!;
        // Within a channel a few members do most of the talking.
        const author = c.members[userZipf.sample(r()) % c.members.length]!;
        const at = new Date(start.getTime() + Math.floor((made / o.messages) * span) + Math.floor(r() * 1000));
        const id = idAt(at, `m${made}`);
        const threads = roots.get(c.id) ?? [];
        let root: { id: string; replies: number } | null = null;
        if (threads.length > 0 && r() < 0.15) root = threads[Math.floor(r() * threads.length)]!;
        let s: number;
        if (root) s = ++root.replies;
        else {
          s = (seq.get(c.id) ?? 0) + 1;
          seq.set(c.id, s);
          threads.push({ id, replies: 0 });
          if (threads.length > 20) threads.shift();
          roots.set(c.id, threads);
        }
        const deleted = r() < 0.01;
        rows.push([id, c.id, author, deleted ? '' : text.message(usernames), root?.id ?? null, s,
          at.toISOString(), deleted ? at.toISOString() : null]);
      }
      return rows;
    };

    const sqlText = `INSERT INTO messages (id, channel_id, user_id, text, thread_root_id, seq, created_at, deleted_at)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::bigint[], $7::timestamptz[], $8::timestamptz[])`;
    const worker = async () => {
      const client = await pool.connect();
      try {
        // The generated rows are consistent; skip the per-row foreign-key triggers as pg_restore does.
        await client.query('SET session_replication_role = replica');
        await client.query('SET synchronous_commit = off');
        while (made < o.messages) {
          const rows = nextBatch();
          await client.query(sqlText, columns(rows, 8));
          if (performance.now() - lastLog > 10_000) {
            lastLog = performance.now();
            o.log(`  ${made.toLocaleString('en-US')} messages (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
          }
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: o.connections }, worker));
    const loaded = performance.now();
    o.log(`  ${o.messages.toLocaleString('en-US')} messages inserted in ${((loaded - t0) / 1000).toFixed(1)} s`);

    // Reply counts on roots, channel seq counters, then the indexes (two builds at a time).
    await pool.query(`UPDATE messages m SET reply_count = x.n, reply_seq = x.n, last_reply_at = x.last
      FROM (SELECT thread_root_id, count(*)::int AS n, max(created_at) AS last FROM messages WHERE thread_root_id IS NOT NULL GROUP BY 1) x
      WHERE m.id = x.thread_root_id`);
    await pool.query(`UPDATE channels c SET last_seq = x.s FROM (SELECT channel_id, max(seq) AS s FROM messages WHERE thread_root_id IS NULL GROUP BY 1) x
      WHERE c.id = x.channel_id`);
    const queue = [...indexes].sort((a, b) => Number(b.indexdef.includes('gin')) - Number(a.indexdef.includes('gin')));
    const builder = async () => {
      const client = await pool.connect();
      try {
        await client.query(`SET maintenance_work_mem = '1GB'`);
        for (let ix = queue.shift(); ix; ix = queue.shift()) await client.query(ix.indexdef);
      } finally {
        client.release();
      }
    };
    await Promise.all([builder(), builder()]);
    const indexed = performance.now();
    o.log(`  ${indexes.length} indexes rebuilt in ${((indexed - loaded) / 1000).toFixed(1)} s`);
    await pool.query('VACUUM (ANALYZE) messages');
    await pool.query('ANALYZE');
    o.log(`  vacuum and analyze in ${((performance.now() - indexed) / 1000).toFixed(1)} s`);

    const posts = (await pool.query<{ user_id: string; channel_id: string }>(
      `SELECT user_id, channel_id FROM messages TABLESAMPLE SYSTEM (1) REPEATABLE (${o.seed})`)).rows;
    const top = (key: 'user_id' | 'channel_id') => {
      const counts = new Map<string, number>();
      for (const p of posts) counts.set(p[key], (counts.get(p[key]) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    };
    const nameOf = new Map(users.map((u) => [u.id, u.username]));
    const channelNames = new Map(chans.filter((c) => c.name).map((c) => [c.id, c.name!]));
    const visible = new Set(chans.filter((c) => c.kind === 'public' || c.members.includes(searcher.id)).map((c) => c.id));
    return {
      usernames: users.map((u) => u.username),
      channelNames,
      searcher,
      busyUsers: top('user_id').slice(0, 10).map((u) => nameOf.get(u)!),
      busyChannels: top('channel_id').filter((c) => channelNames.has(c) && visible.has(c)).slice(0, 10).map((c) => channelNames.get(c)!),
      start,
      end,
    };
  } finally {
    await pool.end();
  }
}

/** Rows to one array per column, as unnest() takes them. */
function columns(rows: readonly unknown[][], n: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: n }, () => new Array(rows.length));
  rows.forEach((row, i) => row.forEach((v, k) => (cols[k]![i] = v)));
  return cols;
}

async function insertUnnest(pool: pg.Pool, table: string, cols: string[], types: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const args = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  await pool.query(`INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${args})`, columns(rows, cols.length));
}
