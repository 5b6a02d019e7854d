// A message is acknowledged only after it is committed: a server killed with SIGKILL right
// after answering 201 still has every acknowledged message when it comes back. Run on
// embedded PGlite (in a temp dir) and, when configured, on the real PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adminUrl, createTestDatabase } from './db.js';
import { serveProcess, type ServerProcess } from './process.js';
import { PASSWORD } from './harness.js';

async function call(base: string, method: string, p: string, token?: string, body?: unknown) {
  const res = await fetch(base + p, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function killHard(s: ServerProcess): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

async function acknowledgedSurviveKill(env: Record<string, string>): Promise<void> {
  let server = await serveProcess(env);
  const signup = await call(server.url, 'POST', '/api/v1/auth/signup', undefined, { username: 'durable', email: 'durable@example.test', password: PASSWORD });
  expect(signup.status).toBe(201);
  const token = signup.body.token as string;
  const general = (await call(server.url, 'GET', '/api/v1/channels', token)).body.channels[0].id as string;

  // Twenty posts in flight; the moment the last acknowledgement arrives, the server dies.
  const acked = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    call(server.url, 'POST', `/api/v1/channels/${general}/messages`, token, { text: `durable ${i}`, clientId: `d-${i}` })));
  await killHard(server);
  expect(acked.every((r) => r.status === 201)).toBe(true);

  server = await serveProcess(env);
  try {
    for (const [i, r] of acked.entries()) {
      const again = await call(server.url, 'GET', `/api/v1/messages/${r.body.id}`, token);
      expect(again.status).toBe(200);
      expect(again.body.text).toBe(`durable ${i}`);
    }
    const page = await call(server.url, 'GET', `/api/v1/channels/${general}/messages?limit=200`, token);
    expect(page.body.messages).toHaveLength(20);
    // The retry a client makes after losing the answer finds the message, not a second copy.
    const retry = await call(server.url, 'POST', `/api/v1/channels/${general}/messages`, token, { text: 'durable 0', clientId: 'd-0' });
    expect(retry.body.id).toBe(acked[0]!.body.id);
  } finally {
    await killHard(server);
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('durability', () => {
  it('keeps acknowledged messages across kill -9 on embedded PGlite, in its data dir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-durable-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    await acknowledgedSurviveKill({ PARLEY_DATA_DIR: dir });
    expect(fs.existsSync(path.join(dir, 'pglite'))).toBe(true);
  }, 120_000);

  if (adminUrl()) {
    it('keeps acknowledged messages across kill -9 on PostgreSQL', async () => {
      const db = await createTestDatabase();
      cleanups.push(db.drop);
      await acknowledgedSurviveKill({ PARLEY_DATABASE_URL: db.url! });
    }, 120_000);
  }
});
