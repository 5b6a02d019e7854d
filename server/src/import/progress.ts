// Import progress on the terminal: a redrawn bar with counts and rate on a TTY, a plain line
// every few seconds otherwise (logs, CI, pipes).
import type { Progress } from './slack/run.js';

export function progressPrinter(out: NodeJS.WriteStream, plainEveryMs = 2000): { update(p: Progress): void; end(): void } {
  const started = Date.now();
  let lastPlain = 0;
  let drawn = false;
  const fmt = (n: number) => n.toLocaleString('en-US');
  return {
    update(p) {
      const secs = Math.max(0.001, (Date.now() - started) / 1000);
      const rate = Math.round(p.messages / secs);
      const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.phase === 'done' ? 1 : 0;
      const text = p.phase === 'messages' || p.phase === 'done'
        ? `${fmt(p.messages)} messages, ${p.channelsDone}/${p.channelsTotal} conversations, ${fmt(rate)} msg/s`
        : `${p.phase}…`;
      if (out.isTTY) {
        const width = 30;
        const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
        out.write(`\r[${bar}] ${String(Math.floor(frac * 100)).padStart(3)}% ${text}\u001b[K`);
        drawn = true;
      } else if (Date.now() - lastPlain >= plainEveryMs || p.phase === 'done') {
        lastPlain = Date.now();
        out.write(`import: ${Math.floor(frac * 100)}% ${text}\n`);
      }
    },
    end() {
      if (drawn) out.write('\n');
    },
  };
}
