// Helpers for the hardening tests: requests from a chosen source address (Linux routes all of
// 127.0.0.0/8 to loopback, so 127.0.0.2 is a second client machine), over HTTP or HTTPS.
import http from 'node:http';
import https from 'node:https';
import type { Reply, TestServer } from './harness.js';
import { PASSWORD } from './harness.js';

export interface From {
  /** The client's source address (127.0.0.x, or ::1 for a server on ::1). */
  address?: string;
  /** For HTTPS: the certificate to trust. */
  ca?: string | Buffer;
}

export function requestAt<T = any>(url: string, method: string, body?: unknown, headers: Record<string, string> = {}, from: From = {}): Promise<Reply<T>> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const h: Record<string, string> = { ...headers };
  if (payload !== undefined) h['content-type'] ??= 'application/json';
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(target, { method, headers: h, localAddress: from.address, ca: from.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any = text;
        try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : String(v));
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: out });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** POST /auth/login as someone at `address`. */
export function loginFrom(server: TestServer, address: string, login: string, password = PASSWORD): Promise<Reply> {
  return requestAt(server.url + '/api/v1/auth/login', 'POST', { login, password }, {}, { address });
}

/** Moves the server's sign-in clock forward by `ms` (lockouts read deps.clock). */
export function advanceClock(server: TestServer, ms: number): void {
  const current = server.deps.clock ?? (() => new Date());
  server.deps.clock = () => new Date(current().getTime() + ms);
}
