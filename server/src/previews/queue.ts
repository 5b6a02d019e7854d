// Background work after a commit (link previews): an in-process queue with a concurrency
// limit. A job for a key that is already waiting is not queued twice, and past `maxWaiting`
// new jobs are dropped (a preview is a nicety; a flood of links must not grow memory without
// bound). Jobs must bound their own time (the fetcher has a deadline); close() stops taking
// jobs and waits for the running ones.
import type { Logger } from 'pino';

export class PreviewQueue {
  private running = 0;
  private readonly waiting: Array<{ key: string; job: () => Promise<void> }> = [];
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly concurrency: number, private readonly log: Logger, private readonly maxWaiting = 1000) {}

  run(key: string, job: () => Promise<void>): void {
    if (this.closed || this.waiting.some((w) => w.key === key)) return;
    if (this.waiting.length >= this.maxWaiting) {
      this.log.warn({ key }, 'background queue full; job dropped');
      return;
    }
    this.waiting.push({ key, job });
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const { key, job } = this.waiting.shift()!;
      this.running++;
      job().catch((err) => this.log.warn({ err, key }, 'background job failed')).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.waiting.length === 0) this.idleWaiters.splice(0).forEach((w) => w());
      });
    }
  }

  /** Resolves when no job is running or waiting (tests wait on this instead of sleeping). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await this.idle();
  }
}
