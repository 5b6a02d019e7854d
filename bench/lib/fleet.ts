// Many WebSocket clients in one process, and the accounting of what they receive.
//
// A benchmark message's text starts with `bm<id>~`, where id indexes the send time recorded
// just before its HTTP request. Receiving a frame costs a byte search for that marker and
// a few digits parsed: no JSON.parse and no string conversion per frame, so the load
// generator spends as little as possible per delivery (it shares a 2-core box with the server).
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Samples } from './stats.ts';

const MARK = Buffer.from('"text":"bm');

/** The text of benchmark message `id`, padded with x to `bytes` characters. */
export function benchText(id: number, bytes: number): string {
  const head = `bm${id}~`;
  return head + 'x'.repeat(Math.max(0, bytes - head.length));
}

/** One measured interval: what arrived for the posts it sent. */
export class Phase {
  delivered = 0;
  lastAt = 0;
  readonly latency = new Samples();
  constructor(readonly name: string, readonly firstId: number, readonly startedAt: number) {}
}

/** Send times by message id, and the phase that deliveries count towards. */
export class Tracker {
  private sendTimes = new Float64Array(1 << 16);
  private nextId = 1;
  phase: Phase | null = null;
  /** Deliveries of messages from before the current phase (late or unexpected). */
  stale = 0;
  /** One received message frame, to compare the baseline's frame with (see bare-ws-server.ts). */
  sampleFrame: string | null = null;

  /** Allocates an id and stamps its send time: call just before the request goes out. */
  stamp(): number {
    const id = this.nextId++;
    if (id >= this.sendTimes.length) {
      const bigger = new Float64Array(this.sendTimes.length * 2);
      bigger.set(this.sendTimes);
      this.sendTimes = bigger;
    }
    this.sendTimes[id] = performance.now();
    return id;
  }

  sentAt(id: number): number {
    return this.sendTimes[id]!;
  }

  begin(name: string): Phase {
    this.phase = new Phase(name, this.nextId, performance.now());
    return this.phase;
  }

  end(): void {
    this.phase = null;
  }

  onFrame(data: Buffer): void {
    const at = data.indexOf(MARK);
    if (at < 0) return;
    const now = performance.now();
    let id = 0;
    for (let i = at + MARK.length; i < data.length; i++) {
      const c = data[i]!;
      if (c < 48 || c > 57) break;
      id = id * 10 + (c - 48);
    }
    const p = this.phase;
    if (!p || id < p.firstId || id >= this.nextId) {
      this.stale++;
      return;
    }
    p.delivered++;
    p.lastAt = now;
    p.latency.add(now - this.sendTimes[id]!);
    if (this.sampleFrame === null) this.sampleFrame = data.toString('utf8');
  }
}

export class Fleet {
  readonly sockets: WebSocket[] = [];
  /** Every frame received after `ready`, including ones that are not benchmark messages. */
  frames = 0;
  lastFrameAt = 0;
  unexpectedCloses = 0;
  private closing = false;

  constructor(private readonly url: string, private readonly tracker: Tracker) {}

  /** Opens one authenticated connection per token, `concurrency` handshakes at a time. */
  async connect(tokens: readonly string[], concurrency = 50): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) {
        const token = tokens[next++]!;
        this.sockets.push(await this.open(token));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, tokens.length) }, worker));
  }

  private open(token: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: false });
      let ready = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no "ready" from ${this.url} within 30 s`));
      }, 30_000);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
      ws.on('message', (data: Buffer) => {
        if (ready) {
          this.frames++;
          this.lastFrameAt = performance.now();
          this.tracker.onFrame(data);
          return;
        }
        const f = JSON.parse(data.toString('utf8'));
        if (f.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          resolve(ws);
        } else if (f.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`auth refused: ${JSON.stringify(f)}`));
        }
      });
      ws.on('error', (err) => {
        if (ready) return;
        clearTimeout(timer);
        reject(err);
      });
      ws.on('close', () => {
        if (ready && !this.closing) this.unexpectedCloses++;
      });
    });
  }

  /** Waits until no frame has arrived for `quietMs` (at most `maxMs`); returns how long it took. */
  async quiet(quietMs: number, maxMs: number): Promise<number> {
    const start = performance.now();
    this.lastFrameAt = Math.max(this.lastFrameAt, start);
    while (performance.now() - this.lastFrameAt < quietMs && performance.now() - start < maxMs) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - start;
  }

  close(): void {
    this.closing = true;
    for (const ws of this.sockets) ws.terminate();
    this.sockets.length = 0;
  }
}
