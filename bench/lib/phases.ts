// The measured phases of the fan-out benchmark: a closed-loop saturation run, an open-loop
// steady run at a fixed rate, memory readings, and how each result is printed.
import { performance } from 'node:perf_hooks';
import { type Child, sleep } from './children.ts';
import type { PgObserver } from './db.ts';
import { type Fleet, type Tracker, benchText } from './fleet.ts';
import type { JsonClient } from './http.ts';
import { type CpuUse, cpuLine, cpuMeter } from './cpu.ts';
import { type LatencySummary, Samples, fmtInt, fmtMb, fmtRate, latencyLine } from './stats.ts';

export interface PhaseOptions {
  concurrency: number;
  textBytes: number;
}

/** What the posts of one phase came back with. */
class PostOutcomes {
  posts = 0;
  failed = 0;
  firstError: string | null = null;
  lastReply: any = null;

  reply(r: { status: number; body: any }): void {
    if (r.status === 201) {
      this.posts++;
      this.lastReply = r.body;
    } else {
      this.failed++;
      this.firstError ??= `${r.status} ${JSON.stringify(r.body).slice(0, 200)}`;
    }
  }

  error(err: unknown): void {
    this.failed++;
    this.firstError ??= err instanceof Error ? err.message : String(err);
  }
}

export interface Target {
  name: string;
  http: JsonClient;
  child: Child;
  channelId: string;
  posterTokens: string[];
  members: number;
  tracker: Tracker;
  fleet: Fleet;
  pg: PgObserver | null;
}

export interface RunResult {
  posts: number;
  failed: number;
  firstError: string | null;
  postSeconds: number;
  postsPerSec: number;
  delivered: number;
  expected: number;
  deliveriesPerSec: number;
  latency: LatencySummary;
  http: LatencySummary;
  cpu: CpuUse;
  lastReply: any;
}

/** Waits until `expected` deliveries arrived, or none arrived for 3 s (at most 30 s). */
export async function drain(target: Target, expected: number, since: number): Promise<void> {
  const phase = target.tracker.phase!;
  const start = performance.now();
  while (phase.delivered < expected) {
    const now = performance.now();
    if (now - Math.max(phase.lastAt, since) > 3000 || now - start > 30_000) break;
    await sleep(10);
  }
}

/** Closed loop: `concurrency` workers post back to back until `seconds` have passed. */
export async function saturate(target: Target, phaseName: string, seconds: number, o: PhaseOptions): Promise<RunResult> {
  const route = `/api/v1/channels/${target.channelId}/messages`;
  const meter = await cpuMeter(target.child, target.pg);
  const phase = target.tracker.begin(phaseName);
  const httpLat = new Samples();
  const out = new PostOutcomes();
  const deadline = phase.startedAt + seconds * 1000;
  const worker = async (k: number) => {
    const token = target.posterTokens[k % target.posterTokens.length]!;
    while (performance.now() < deadline) {
      const id = target.tracker.stamp();
      try {
        const r = await target.http.request('POST', route, { text: benchText(id, o.textBytes) }, token);
        httpLat.add(performance.now() - target.tracker.sentAt(id));
        out.reply(r);
      } catch (err) {
        out.error(err);
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, k) => worker(k)));
  const postsEnd = performance.now();
  const { posts, failed, firstError, lastReply } = out;
  const expected = posts * target.members;
  await drain(target, expected, postsEnd);
  target.tracker.end();
  const postSeconds = (postsEnd - phase.startedAt) / 1000;
  const deliverySeconds = (Math.max(phase.lastAt, postsEnd) - phase.startedAt) / 1000;
  return {
    posts, failed, firstError, postSeconds, postsPerSec: posts / postSeconds,
    delivered: phase.delivered, expected, deliveriesPerSec: phase.delivered / deliverySeconds,
    latency: phase.latency.summary(), http: httpLat.summary(), cpu: await meter(), lastReply,
  };
}

export interface SteadyResult extends RunResult {
  target: number;
  /** How late this process sent each post relative to its schedule (load generator health). */
  sendLag: LatencySummary;
}

/**
 * Open loop at a fixed rate: post i is due at t0 + i/rate. A timer wakes for the next due
 * time and sends everything due by then, so a late wake-up never lowers the rate.
 */
export async function steady(target: Target, seconds: number, rate: number, o: PhaseOptions): Promise<SteadyResult> {
  const route = `/api/v1/channels/${target.channelId}/messages`;
  const total = Math.max(1, Math.round(rate * seconds));
  const meter = await cpuMeter(target.child, target.pg);
  const phase = target.tracker.begin('steady');
  const httpLat = new Samples();
  const sendLag = new Samples();
  const inflight = new Set<Promise<void>>();
  const out = new PostOutcomes();
  let lastDone = 0;
  const t0 = performance.now() + 20;
  const fire = (i: number) => {
    const token = target.posterTokens[i % target.posterTokens.length]!;
    const id = target.tracker.stamp();
    const sentAt = target.tracker.sentAt(id);
    sendLag.add(sentAt - (t0 + (i * 1000) / rate));
    const p = target.http.request('POST', route, { text: benchText(id, o.textBytes) }, token).then(
      (r) => {
        lastDone = performance.now();
        httpLat.add(lastDone - sentAt);
        out.reply(r);
      },
      (err) => out.error(err),
    ).finally(() => inflight.delete(p));
    inflight.add(p);
  };
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (issued < due) fire(issued++);
      if (issued >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + (issued * 1000) / rate - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  while (inflight.size > 0) await Promise.all([...inflight]);
  const postsEnd = performance.now();
  const { posts, failed, firstError, lastReply } = out;
  const expected = posts * target.members;
  await drain(target, expected, postsEnd);
  target.tracker.end();
  const postSeconds = Math.max(seconds, (lastDone - t0) / 1000);
  const deliverySeconds = Math.max(seconds, (phase.lastAt - t0) / 1000);
  return {
    posts, failed, firstError, postSeconds, postsPerSec: posts / postSeconds, target: rate,
    delivered: phase.delivered, expected, deliveriesPerSec: phase.delivered / deliverySeconds,
    latency: phase.latency.summary(), http: httpLat.summary(), sendLag: sendLag.summary(), cpu: await meter(), lastReply,
  };
}

export interface MemoryReading {
  rss: number;
  rssAfterGc: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** RSS as it is, then after a forced full GC (through the child preload), with heap figures. */
export async function readMemory(child: Child): Promise<MemoryReading> {
  const rss = child.rss();
  const usage = await child.memory(true);
  return { rss, rssAfterGc: child.rss(), heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external };
}

export const memLine = (m: MemoryReading) =>
  `RSS ${fmtMb(m.rss)} (after GC ${fmtMb(m.rssAfterGc)}; heap ${fmtMb(m.heapUsed)} used of ${fmtMb(m.heapTotal)}, external ${fmtMb(m.external)})`;

export function printRun(label: string, r: RunResult, members: number): void {
  const missing = r.expected - r.delivered;
  console.log(`  ${label}: ${fmtInt(r.posts)} posts in ${r.postSeconds.toFixed(1)} s = ${fmtRate(r.postsPerSec)} posts/s` +
    (r.failed ? ` (${r.failed} failed, first: ${r.firstError})` : ''));
  console.log(`    deliveries: ${fmtInt(r.delivered)} of ${fmtInt(r.expected)} (${members} per post)` +
    `${missing > 0 ? `, ${fmtInt(missing)} MISSING` : ''} = ${fmtInt(r.deliveriesPerSec)}/s`);
  console.log(`    post-to-delivery: ${latencyLine(r.latency)}`);
  console.log(`    HTTP post reply:  ${latencyLine(r.http)}`);
  console.log(`    ${cpuLine(r.cpu)}`);
}
