// Parley servers for browser tests: each on its own database (PostgreSQL when
// PARLEY_DATABASE_URL is set, else PGlite in a temp directory), restartable on the same
// port and database so a test can take the server away mid-conversation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { User } from '@parley/protocol';
import type { Config } from '../../server/src/config.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { createTestDatabase } from '../../server/test/db.js';
import { PASSWORD, testConfig } from '../../server/test/harness.js';
import { ensureWebBuilt } from './build.js';

export { PASSWORD };

export interface Person {
  user: User;
  token: string;
  csrfToken: string;
}

export class E2EServer {
  private running: RunningServer | null = null;
  private port = 0;
  private counter = 0;

  private constructor(private readonly base: Partial<Config>, private readonly cleanup: () => Promise<void>) {}

  /** `config` adds to the test configuration (e.g. a smaller upload limit). */
  static async start(config: Partial<Config> = {}): Promise<E2EServer> {
    await ensureWebBuilt();
    const db = await createTestDatabase();
    const dataDir = db.url ? ':memory:' : fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));
    const s = new E2EServer({ ...config, databaseUrl: db.url, dataDir }, async () => {
      await db.drop();
      if (dataDir !== ':memory:') fs.rmSync(dataDir, { recursive: true, force: true });
    });
    // A fixed port when asked for (a public URL naming it, as passkeys and SSO callbacks need).
    if (config.port) s.port = config.port;
    await s.up();
    return s;
  }

  /** The server's Kysely handle, for seeding what the API would take too long to make. */
  get db(): any {
    return this.running!.deps.db;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and database. */
  async up(): Promise<void> {
    this.running = await startServer(testConfig({ ...this.base, port: this.port }));
    this.port = Number(new URL(this.running.url).port);
  }

  async down(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  async close(): Promise<void> {
    await this.down();
    await this.cleanup();
  }

  async request<T = any>(method: string, p: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + p, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  async api<T = any>(person: Person | null, method: string, p: string, body?: unknown): Promise<T> {
    const r = await this.request<T>(method, p, body, person?.token);
    if (r.status >= 300) throw new Error(`${method} ${p} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Signs someone up through the API (the first becomes admin, who opens sign-up for the rest). */
  async person(username?: string, displayName?: string, extra: Record<string, unknown> = {}): Promise<Person> {
    const name = username ?? `user${++this.counter}`;
    const body = await this.api<Person>(null, 'POST', '/api/v1/auth/signup', {
      username: name, email: `${name}@example.test`, password: PASSWORD, displayName: displayName ?? name, ...extra,
    });
    if (body.user.role === 'admin') await this.api(body, 'PATCH', '/api/v1/workspace', { openSignup: true });
    return body;
  }

  async general(p: Person): Promise<string> {
    const { channels } = await this.api(p, 'GET', '/api/v1/channels');
    return channels.find((c: { isGeneral: boolean }) => c.isGeneral).id;
  }

  say(p: Person, channelId: string, text: string, extra: Record<string, unknown> = {}) {
    return this.api(p, 'POST', `/api/v1/channels/${channelId}/messages`, { text, ...extra });
  }

  async messages(p: Person, channelId: string): Promise<Array<{ id: string; text: string; clientId: string | null }>> {
    return (await this.api(p, 'GET', `/api/v1/channels/${channelId}/messages?limit=200`)).messages;
  }
}
