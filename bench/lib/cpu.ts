// CPU use of the server, its PostgreSQL backends, this load generator and the whole machine
// over one benchmark phase, so each printed figure says how busy the machine really was.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Child, machineCpu, readCpuMs } from './children.ts';
import type { PgObserver } from './db.ts';

export interface CpuUse {
  /** Fraction of one core used by the server process. */
  server: number;
  /** Fraction of one core used by the PostgreSQL backends serving the benchmark database (null: none). */
  postgres: number | null;
  /** Fraction of one core used by this load generator. */
  loadgen: number;
  /** Cores busy on the whole machine (the above, other PostgreSQL processes, anything else running). */
  machine: number;
}

/** Starts measuring CPU use; the returned function ends the measurement. */
export async function cpuMeter(child: Child, pg: PgObserver | null): Promise<() => Promise<CpuUse>> {
  const pgStart = new Map<number, number>();
  if (pg) for (const pid of await pg.pids()) pgStart.set(pid, readCpuMs(pid));
  const t0 = performance.now();
  const s0 = child.cpuMs();
  const me0 = process.cpuUsage();
  const m0 = machineCpu();
  return async () => {
    const wall = performance.now() - t0;
    const me = process.cpuUsage(me0);
    const m1 = machineCpu();
    const server = (child.cpuMs() - s0) / wall;
    let pgMs = 0;
    if (pg) {
      // Backends that exist at the end; one started during the run counts from zero.
      for (const pid of await pg.pids()) pgMs += readCpuMs(pid) - (pgStart.get(pid) ?? 0);
    }
    return {
      server,
      postgres: pg ? pgMs / wall : null,
      loadgen: (me.user + me.system) / 1000 / wall,
      machine: ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * os.cpus().length,
    };
  };
}

const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
export const cpuLine = (c: CpuUse) => {
  const other = Math.max(0, c.machine - c.server - (c.postgres ?? 0) - c.loadgen);
  return `cpu: server ${pct(c.server)}, ${c.postgres === null ? '' : `its postgres backends ${pct(c.postgres)}, `}load generator ${pct(c.loadgen)}, ` +
    `everything else ${pct(other)}; machine ${c.machine.toFixed(2)}/${os.cpus().length} cores busy`;
};
