// Latency samples and their percentiles, plus number formatting for the report.

export class Samples {
  private data = new Float64Array(1 << 16);
  count = 0;

  add(v: number): void {
    if (this.count === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.count++] = v;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
    const s = this.data.slice(0, this.count).sort();
    const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
    let sum = 0;
    for (const v of s) sum += v;
    return { count: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]!, mean: sum / s.length };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export const fmtMs = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '–');
export const fmtInt = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
export const fmtRate = (v: number) => (Number.isFinite(v) ? (v < 100 ? v.toFixed(1) : fmtInt(v)) : '–');
export const mb = (bytes: number) => bytes / (1024 * 1024);
export const fmtMb = (bytes: number) => `${mb(bytes).toFixed(1)} MB`;

export function latencyLine(l: LatencySummary): string {
  return `p50 ${fmtMs(l.p50)} ms, p90 ${fmtMs(l.p90)} ms, p99 ${fmtMs(l.p99)} ms, max ${fmtMs(l.max)} ms`;
}
