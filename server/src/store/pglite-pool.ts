// Embedded PostgreSQL (PGlite) behind the small pool interface Kysely's PostgresDialect
// expects, so the real server and the embedded default share one dialect and one set of
// migrations. PGlite is a single connection: the pool hands it to one borrower at a time,
// which serializes transactions exactly as a one-connection pg pool would.
import { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

const INT8 = 20;

export class PGlitePool implements PostgresPool {
  readonly options = {};
  private busy = false;
  private waiters: Array<() => void> = [];
  private constructor(readonly pg: PGlite) {}

  static async open(dataDir: string | undefined): Promise<PGlitePool> {
    const pg = new PGlite({ dataDir, parsers: { [INT8]: (v: string) => Number(v) } });
    await pg.waitReady;
    return new PGlitePool(pg);
  }

  async connect(): Promise<PostgresPoolClient> {
    while (this.busy) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.busy = true;
    const pg = this.pg;
    let released = false;
    return {
      query: (async (sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<unknown>> => {
        // A parameterless script (a migration) may hold several statements: only exec() runs those.
        const res = parameters.length === 0
          ? (await pg.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 }
          : await pg.query(sql, parameters as unknown[]);
        const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
        return {
          command: command as PostgresQueryResult<unknown>['command'],
          rowCount: res.affectedRows ?? res.rows.length,
          rows: res.rows,
        };
      }) as PostgresPoolClient['query'],
      release: () => {
        if (released) return;
        released = true;
        this.busy = false;
        this.waiters.shift()?.();
      },
    };
  }

  async end(): Promise<void> {
    await this.pg.close();
  }
}
