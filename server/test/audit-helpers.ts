// Helpers shared by the audit-log and anomaly tests (audit.test.ts, anomalies.test.ts).
import http from 'node:http';
import { expect } from 'vitest';
import type { AnomalyDetector } from '../src/security/anomalies.js';
import type { Client, TestServer } from './harness.js';

/** Requests "from" an address: the test servers trust X-Forwarded-For (trustProxy). */
export const from = (ip: string, userAgent = 'audit-test/1.0'): Record<string, string> => ({ 'x-forwarded-for': ip, 'user-agent': userAgent });

export async function auditPage(admin: Client, query: Record<string, string | number> = {}): Promise<{ entries: any[]; nextCursor: string | null }> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const r = await admin.get(`/api/v1/admin/audit${qs ? `?${qs}` : ''}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** The entries about one target (or by one actor), newest first. */
export async function entriesFor(admin: Client, query: Record<string, string>): Promise<any[]> {
  return (await auditPage(admin, { ...query, limit: 200 })).entries;
}

/** Resolves once the detector has examined everything recorded so far and its webhooks settled. */
export function detectorSettled(server: TestServer): Promise<void> {
  return (server.deps.security as AnomalyDetector).settled();
}

/** A real HTTP server on loopback that records the alert webhooks it receives. */
export class WebhookReceiver {
  readonly bodies: any[] = [];
  /** Answers for the next requests, in order (default 204). 'hold' keeps the request open until release(). */
  readonly script: Array<number | 'hold'> = [];
  private held: http.ServerResponse[] = [];
  private waiters: Array<{ match: (b: any) => boolean; resolve: (b: any) => void }> = [];
  private server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = { ...JSON.parse(raw), contentType: req.headers['content-type'], method: req.method };
      this.bodies.push(body);
      for (const w of [...this.waiters]) if (w.match(body)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(body); }
      const answer = this.script.shift() ?? 204;
      if (answer === 'hold') this.held.push(res);
      else res.writeHead(answer).end();
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${addr.port}/hooks/parley`;
    return this;
  }

  /** The first body (received or future) that matches. */
  next(match: (b: any) => boolean): Promise<any> {
    const seen = this.bodies.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  release(status: number): void {
    for (const res of this.held.splice(0)) res.writeHead(status).end();
  }

  alerts(kind: string): any[] {
    return this.bodies.filter((b) => b.alert?.kind === kind).map((b) => b.alert);
  }

  close(): Promise<void> {
    this.release(503);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
