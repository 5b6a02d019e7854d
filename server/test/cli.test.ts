// The `parley` command as an administrator uses it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, createTestDatabase } from './db.js';
import { runCli, serveProcess } from './process.js';

let env: Record<string, string>;
const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  if (adminUrl()) {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    env = { PARLEY_DATABASE_URL: db.url! };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    env = { PARLEY_DATA_DIR: dir };
  }
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function login(url: string, login: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }),
  });
  return { status: res.status, body: await res.json() };
}

describe('parley CLI', () => {
  it('migrates, creates users, resets a password and deactivates', async () => {
    const migrate = await runCli(['migrate'], env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('up to date');

    const admin = await runCli(['user', 'create', '--username', 'root_admin', '--email', 'root@example.test', '--password', 'a very long password 1'], env);
    expect(admin.code, admin.stderr).toBe(0);
    const member = await runCli(['user', 'create', '--username', 'member_m', '--email', 'm@example.test'], env);
    expect(member.code, member.stderr).toBe(0);
    const generated = /with password: (\S+)/.exec(member.stdout)?.[1];
    expect(generated).toBeTruthy();

    const dup = await runCli(['user', 'create', '--username', 'MEMBER_M', '--email', 'other@example.test'], env);
    expect(dup.code).not.toBe(0);

    const reset = await runCli(['user', 'reset-password', 'member_m', '--password', 'another long password 2'], env);
    expect(reset.code, reset.stderr).toBe(0);

    const server = await serveProcess(env);
    try {
      const first = await login(server.url, 'root_admin', 'a very long password 1');
      expect(first.status).toBe(200);
      expect(first.body.user.role).toBe('admin');
      expect((await login(server.url, 'member_m', generated!)).status).toBe(401);
      const m = await login(server.url, 'm@example.test', 'another long password 2');
      expect(m.status).toBe(200);
      expect(m.body.user.role).toBe('member');
      const channels = await fetch(`${server.url}/api/v1/channels`, { headers: { authorization: `Bearer ${m.body.token}` } });
      expect((await channels.json()).channels.map((c: { name: string }) => c.name)).toContain('general');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const off = await runCli(['user', 'deactivate', 'member_m'], env);
    expect(off.code, off.stderr).toBe(0);
    const again = await serveProcess(env);
    try {
      expect((await login(again.url, 'member_m', 'another long password 2')).status).toBe(403);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  }, 120_000);

  it('refuses bad configuration with a sentence, and unknown commands with usage', async () => {
    const bad = await runCli(['serve'], { ...env, PARLEY_PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('PARLEY_PORT must be a whole number');
    const url = await runCli(['migrate'], { PARLEY_DATABASE_URL: 'mysql://nope' });
    expect(url.code).toBe(1);
    expect(url.stderr).toContain('PARLEY_DATABASE_URL must start with postgres://');
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: parley');
  }, 60_000);
});
