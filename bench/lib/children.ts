// Child processes of a benchmark (the server under test, baseline servers) and the cleanup
// that always runs: on normal exit, on an error, and on Ctrl-C. Children are also told to
// exit when their IPC channel to us closes (see child-preload.mjs), so even a kill -9 of
// the benchmark does not leave a server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const live = new Set<ChildProcess>();
const MAX_LOG_LINES = 10;
const cleanups: Array<() => Promise<void>> = [];
let exiting = false;

export const PRELOAD = fileURLToPath(new URL('./child-preload.mjs', import.meta.url));

/** Registers async cleanup (dropping a database, ...); runs in reverse order of registration. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export function installCleanup(): void {
  process.on('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`\n${sig}: stopping children and cleaning up`);
      void cleanupAndExit(130);
    });
  }
}

export async function cleanupAndExit(code: number): Promise<never> {
  if (!exiting) {
    exiting = true;
    await Promise.all([...live].map((c) => stopChild(c, 3000)));
    for (const fn of cleanups.reverse()) {
      try {
        await withTimeout(fn(), 10_000, 'cleanup');
      } catch (err) {
        console.error('cleanup failed:', err instanceof Error ? err.message : err);
      }
    }
  }
  process.exit(code);
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  name: string;
  /** Resident set size from /proc/<pid>/status, in bytes. */
  rss(): number;
  /** CPU time (user + system) used so far, in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** Asks the child (through child-preload.mjs) to run a full GC and report process.memoryUsage(). */
  memory(gc: boolean): Promise<NodeJS.MemoryUsage>;
  /** Writes a heap snapshot (after a GC) to `file`, through child-preload.mjs. */
  heapSnapshot(file: string): Promise<void>;
  /** Starts a CPU profile inside the child (through child-preload.mjs). */
  profileStart(): Promise<void>;
  /** Stops it and writes it to `file` (.cpuprofile, loadable in Chrome DevTools). */
  profileStop(file: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] script [args]` with the benchmark preload and an IPC channel.
 * Its output is passed through, each line prefixed with the child's name.
 */
export function startNodeChild(name: string, nodeArgs: string[], script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const proc = spawn(process.execPath, ['--expose-gc', '--import', PRELOAD, ...nodeArgs, script, ...args], {
    cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  live.add(proc);
  proc.on('exit', (code, signal) => {
    live.delete(proc);
    if (!exiting && !(proc as ChildProcess & { stopping?: boolean }).stopping) {
      console.error(`[${name}] exited unexpectedly (code ${code}, signal ${signal})`);
    }
  });
  // Pass the child's output through, but not a flood of it: a server logging an error per
  // request would bury the figures.
  let lines = 0;
  for (const stream of [proc.stdout!, proc.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      if (++lines <= MAX_LOG_LINES) console.error(`[${name}] ${line.length > 600 ? `${line.slice(0, 600)}…` : line}`);
      else if (lines === MAX_LOG_LINES + 1) console.error(`[${name}] (further output suppressed; the count follows when it stops)`);
    });
  }
  proc.on('exit', () => {
    if (lines > MAX_LOG_LINES) console.error(`[${name}] ${lines - MAX_LOG_LINES} more lines of output were suppressed`);
  });
  let nextReq = 0;
  const ask = <T>(type: string, extra: Record<string, unknown>, timeoutMs: number): Promise<T> => {
    const id = ++nextReq;
    return withTimeout(new Promise<T>((resolve) => {
      const onMsg = (m: any) => {
        if (m && m.type === type && m.id === id) {
          proc.off('message', onMsg);
          resolve(m as T);
        }
      };
      proc.on('message', onMsg);
      proc.send({ type, id, ...extra });
    }), timeoutMs, `${name} ${type}`);
  };
  const child: Child = {
    proc,
    pid: proc.pid!,
    name,
    rss: () => readRss(proc.pid!),
    cpuMs: () => readCpuMs(proc.pid!),
    memory: async (gc) => (await ask<{ usage: NodeJS.MemoryUsage }>('bench:memory', { gc }, 10_000)).usage,
    heapSnapshot: async (file) => {
      await ask('bench:heap-snapshot', { file }, 120_000);
    },
    profileStart: async () => {
      await ask('bench:profile-start', {}, 10_000);
    },
    profileStop: async (file) => {
      await ask('bench:profile-stop', { file }, 30_000);
    },
    stop: () => stopChild(proc, 10_000),
  };
  return child;
}

async function stopChild(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  (proc as ChildProcess & { stopping?: boolean }).stopping = true;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

export function readRss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ; 100 on every Linux this runs on

export function readCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that ends the command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Whole-machine CPU counters from /proc/stat, for "how busy was the box" during a phase. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Polls `url` until it answers at all (listening is what matters here), or fails after `ms`. */
export async function waitForHttp(url: string, ms: number, child?: Child): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child && (child.proc.exitCode !== null || child.proc.signalCode !== null)) {
      throw new Error(`${child.name} exited before it answered on ${url}`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms} ms`);
    await sleep(100);
  }
}
