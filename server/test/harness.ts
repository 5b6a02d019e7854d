// Test servers and clients that talk to Parley the way real clients do: HTTP on a real
// port and real WebSockets. Waiting is always for an event, never for a fixed time.
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { ServerFrame, User } from '@parley/protocol';
import { loadConfig, type Config } from '../src/config.js';
import { makeLogger, startServer, type RunningServer } from '../src/server.js';
import { createTestDatabase } from './db.js';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export const PASSWORD = 'correct horse battery staple';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({}, {
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1',
    dataDir: ':memory:',
    logLevel: 'silent',
    argon2: { memoryCost: 1024, timeCost: 1 },
    rateLimit: { enabled: false, perMinute: 100_000, authPerMinute: 100_000 },
    ...overrides,
  });
}

export class Client {
  constructor(readonly server: TestServer, public token: string | null, public user: User) {}

  get id(): string {
    return this.user.id;
  }

  async req<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    return this.server.request<T>(method, path, body, { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers });
  }

  get<T = any>(path: string) { return this.req<T>('GET', path); }
  post<T = any>(path: string, body?: unknown) { return this.req<T>('POST', path, body); }
  patch<T = any>(path: string, body?: unknown) { return this.req<T>('PATCH', path, body); }
  put<T = any>(path: string, body?: unknown) { return this.req<T>('PUT', path, body); }
  del<T = any>(path: string) { return this.req<T>('DELETE', path); }

  /** Posts a message and returns it, failing the test on anything but 201. */
  async say(channelId: string, text: string, extra: Record<string, unknown> = {}) {
    const r = await this.post(`/api/v1/channels/${channelId}/messages`, { text, ...extra });
    if (r.status !== 201) throw new Error(`post failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async channel(name: string, kind: 'public' | 'private' = 'public') {
    const r = await this.post('/api/v1/channels', { name, kind });
    if (r.status !== 201) throw new Error(`create channel failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  connect(opts: { resume?: { connectionId: string; lastSeq: number } } = {}): Promise<Socket> {
    return Socket.open(this.server.wsUrl, { type: 'auth', token: this.token, ...(opts.resume && { resume: opts.resume }) });
  }
}

export class TestServer {
  admin!: Client;
  private counter = 0;
  constructor(readonly running: RunningServer, private readonly dropDb: () => Promise<void>) {}

  get url() { return this.running.url; }
  get wsUrl() { return this.running.url.replace(/^http/, 'ws') + '/api/v1/ws'; }
  get deps() { return this.running.deps; }
  get queries() { return this.running.database.stats.queries; }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url + path, init);
    const text = await res.text();
    let parsed: any = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** Signs up a fresh user (the first becomes admin); the harness opens sign-up for the rest. */
  async user(name?: string, extra: Record<string, unknown> = {}): Promise<Client> {
    const username = name ?? `user${++this.counter}_${randomBytes(3).toString('hex')}`;
    const r = await this.request<any>('POST', '/api/v1/auth/signup', {
      username, email: `${username}@example.test`, password: PASSWORD, ...extra,
    });
    if (r.status !== 201) throw new Error(`signup failed: ${r.status} ${JSON.stringify(r.body)}`);
    return new Client(this, r.body.token, r.body.user);
  }

  async general(): Promise<string> {
    const r = await this.admin.get('/api/v1/channels');
    return r.body.channels.find((c: any) => c.isGeneral).id;
  }

  async close(): Promise<void> {
    await this.running.close();
    await this.dropDb();
  }
}

/**
 * Starts Parley on its own empty database. Unless `noAdmin`, an admin account is created
 * and sign-up is opened so tests can make users freely.
 */
export async function startTestServer(opts: { config?: Partial<Config>; noAdmin?: boolean } = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  const config = testConfig({ databaseUrl: db.url, ...opts.config });
  const running = await startServer(config, makeLogger(config));
  const server = new TestServer(running, db.drop);
  if (!opts.noAdmin) {
    server.admin = await server.user('admin');
    const r = await server.admin.patch('/api/v1/workspace', { openSignup: true });
    if (r.status !== 200) throw new Error('could not open sign-up');
  }
  return server;
}

type Frame = ServerFrame & Record<string, any>;

/** A WebSocket client that records every frame and lets tests wait for the one they expect. */
export class Socket {
  readonly frames: Frame[] = [];
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void; from: number }> = [];
  connectionId = '';
  lastSeq = 0;
  closed: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      this.frames.push(f);
      if (typeof f.seq === 'number') this.lastSeq = f.seq;
      if (f.type === 'ready') this.connectionId = f.connectionId;
      for (const w of [...this.waiters]) {
        if (w.match(f)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  static async open(url: string, auth: unknown, headers: Record<string, string> = {}): Promise<Socket> {
    const ws = new WebSocket(url, { headers });
    const s = new Socket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const ready = s.next((f) => f.type === 'ready' || f.type === 'error');
    ws.send(JSON.stringify(auth));
    const first = await ready;
    if (first.type === 'error') throw new Error(`ws auth failed: ${JSON.stringify(first)}`);
    return s;
  }

  /** Resolves with the first frame (already received or future) matching, after `fromIndex`. */
  next(match: (f: Frame) => boolean, opts: { fromIndex?: number; timeoutMs?: number } = {}): Promise<Frame> {
    const from = opts.fromIndex ?? 0;
    const seen = this.frames.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a frame; got: ${JSON.stringify(this.frames.slice(-5))}`)), opts.timeoutMs ?? 10_000);
      this.waiters.push({ match, from, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  /** Waits for the next event of this type that satisfies `where`. */
  event(type: string, where: (data: any) => boolean = () => true, opts: { fromIndex?: number } = {}): Promise<Frame> {
    return this.next((f) => f.type === type && where((f as any).data), opts);
  }

  events(type?: string): Frame[] {
    return this.frames.filter((f) => f.type !== 'ready' && typeof f.seq === 'number' && (!type || f.type === type));
  }

  send(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** Drops the connection abruptly, as a network failure would. */
  drop(): Promise<number> {
    this.ws.terminate();
    return this.closed;
  }

  close(): Promise<number> {
    this.ws.close();
    return this.closed;
  }
}
