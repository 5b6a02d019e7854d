// PARLEY_TLS_*: Parley serving HTTPS itself with a certificate made here by openssl:
// TLS 1.3 only by default, HSTS on every answer, WebSocket over wss; plain HTTP has no HSTS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer, type TestServer } from './harness.js';
import { requestAt } from './security-helpers.js';
import { ConfigError, loadConfig } from '../src/config.js';

let dir: string;
let cert: string;
let key: string;
let ca: Buffer;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tls-'));
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  ca = fs.readFileSync(cert);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts an HTTPS server and signs its first user (the admin) up over HTTPS. */
async function httpsServer(minVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3') {
  const server = await startTestServer({ noAdmin: true, config: { tls: { certFile: cert, keyFile: key, minVersion } } });
  const signup = await requestAt(server.url + '/api/v1/auth/signup', 'POST',
    { username: 'admin', email: 'admin@example.test', password: PASSWORD }, {}, { ca });
  return { server, signup };
}

/** The TLS version a client limited to `maxVersion` agrees on, or the handshake's error. */
function handshake(url: string, maxVersion: tls.SecureVersion): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tls.connect({ host: hostname, port: Number(port), ca, maxVersion, minVersion: 'TLSv1.2' }, () => {
      resolve(socket.getProtocol() ?? 'none');
      socket.end();
    });
    socket.on('error', (err) => resolve(`refused: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
  });
}

describe('HTTPS served by Parley', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    const started = await httpsServer();
    server = started.server;
    expect(started.signup.status).toBe(201);
    token = started.signup.body.token;
  });
  afterAll(async () => { await server?.close(); });

  it('answers over HTTPS with Strict-Transport-Security on API, page and error answers', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const auth = { authorization: `Bearer ${token}` };
    for (const [p, status] of [['/api/v1/users/me', 200], ['/', 200], ['/api/v1/no-such-thing', 404], ['/healthz', 200]] as const) {
      const r = await requestAt(server.url + p, 'GET', undefined, auth, { ca });
      expect(`${p} ${r.status}`).toBe(`${p} ${status}`);
      expect(r.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    }
  });

  it('speaks TLS 1.3 and refuses a client that only knows TLS 1.2', async () => {
    expect(await handshake(server.url, 'TLSv1.3')).toBe('TLSv1.3');
    expect(await handshake(server.url, 'TLSv1.2')).toMatch(/^refused/);
  });

  it('carries the WebSocket over wss', async () => {
    const ws = new WebSocket(server.url.replace(/^https/, 'wss') + '/api/v1/ws', { ca });
    const frames: any[] = [];
    const ready = new Promise<any>((resolve, reject) => {
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString());
        frames.push(f);
        if (f.type === 'ready' || f.type === 'error') resolve(f);
      });
      ws.on('error', reject);
    });
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    ws.send(JSON.stringify({ type: 'auth', token }));
    expect((await ready).type).toBe('ready');
    ws.close();
  });
});

describe('TLS settings', () => {
  it('lets TLS 1.2 clients in when PARLEY_TLS_MIN_VERSION allows it', async () => {
    const { server } = await httpsServer('TLSv1.2');
    try {
      expect(await handshake(server.url, 'TLSv1.2')).toBe('TLSv1.2');
    } finally {
      await server.close();
    }
  });

  it('sends no HSTS over plain HTTP (behind a TLS-terminating proxy)', async () => {
    const server = await startTestServer();
    try {
      const r = await server.admin.get('/api/v1/users/me');
      expect(r.status).toBe(200);
      expect(r.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await server.close();
    }
  });

  it('stops the server at start on half or wrong settings', () => {
    expect(() => loadConfig({ PARLEY_TLS_CERT_FILE: cert })).toThrow(/Set both PARLEY_TLS_CERT_FILE and PARLEY_TLS_KEY_FILE/);
    expect(() => loadConfig({ PARLEY_TLS_CERT_FILE: cert, PARLEY_TLS_KEY_FILE: path.join(dir, 'missing.pem') })).toThrow(ConfigError);
    expect(() => loadConfig({ PARLEY_TLS_CERT_FILE: cert, PARLEY_TLS_KEY_FILE: key, PARLEY_TLS_MIN_VERSION: 'TLSv1.1' }))
      .toThrow(/PARLEY_TLS_MIN_VERSION must be TLSv1.2 or TLSv1.3/);
    expect(loadConfig({ PARLEY_TLS_CERT_FILE: cert, PARLEY_TLS_KEY_FILE: key }).tls).toEqual({ certFile: cert, keyFile: key, minVersion: 'TLSv1.3' });
  });
});
