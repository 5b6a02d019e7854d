// A throwaway PostgreSQL database per benchmark run: created on the admin connection,
// dropped WITH (FORCE) at the end even if the server still holds connections.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  adminUrl: string;
  serverVersion: string;
  drop(): Promise<void>;
}

async function onAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(adminUrl = process.env.PARLEY_BENCH_DATABASE_URL || DEFAULT_ADMIN_URL): Promise<BenchDatabase> {
  const name = `parley_bench_${randomBytes(6).toString('hex')}`;
  let serverVersion = '';
  try {
    serverVersion = await onAdmin(adminUrl, async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      return (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    });
  } catch (err) {
    throw new Error(`Could not create a database on ${adminUrl} (set PARLEY_BENCH_DATABASE_URL to an admin URL): ${err instanceof Error ? err.message : err}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    adminUrl,
    serverVersion,
    drop: () => onAdmin(adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  };
}

/**
 * Watches the benchmark database's backends from an admin connection: their process ids
 * (for CPU accounting) and, while sampling, what they are doing (running, waiting on a
 * lock, on WAL flush, idle inside a transaction) — a cheap wait-event profile.
 */
export class PgObserver {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private samples = 0;
  private counts = new Map<string, number>();
  private busy = false;

  constructor(private readonly adminUrl: string, private readonly dbName: string) {}

  private async conn(): Promise<pg.Client> {
    if (!this.client) {
      this.client = new pg.Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 5000 });
      this.client.on('error', () => {});
      await this.client.connect();
    }
    return this.client;
  }

  async pids(): Promise<number[]> {
    const c = await this.conn();
    const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.dbName]);
    return r.rows.map((x) => x.pid);
  }

  startSampling(intervalMs = 20): void {
    this.samples = 0;
    this.counts.clear();
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.sample().catch(() => {}).finally(() => (this.busy = false));
    }, intervalMs);
  }

  private async sample(): Promise<void> {
    const c = await this.conn();
    const r = await c.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null; q: string }>(
      `SELECT state, wait_event_type, wait_event, regexp_replace(left(query, 70), '\\s+', ' ', 'g') AS q
       FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [this.dbName]);
    this.samples++;
    for (const row of r.rows) {
      let key: string;
      if (row.state === 'idle') continue;
      if (row.state === 'idle in transaction') key = 'idle in transaction (waiting for Parley)';
      else if (row.state === 'active' && !row.wait_event) key = `running: ${row.q}`;
      else if (row.state === 'active' && row.wait_event_type === 'Client') key = `${row.wait_event_type}:${row.wait_event}`;
      else key = `${row.wait_event_type}:${row.wait_event}: ${row.q}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Stops sampling; returns the average number of backends in each state, largest first. */
  stopSampling(top = 12): string {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const rows = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, top);
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    return [
      `  PostgreSQL backends of the benchmark database, ${this.samples} samples: on average ${(total / Math.max(1, this.samples)).toFixed(2)} not idle`,
      ...rows.map(([k, n]) => `    ${(n / Math.max(1, this.samples)).toFixed(2).padStart(6)}  ${k}`),
    ].join('\n');
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
