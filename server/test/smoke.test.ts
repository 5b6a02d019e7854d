import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('smoke', () => {
  it('posts a message another member receives live', async () => {
    const bob = await server.user();
    const general = await server.general();
    const ws = await bob.connect();
    const sent = await server.admin.say(general, 'hello bob');
    const ev = await ws.event('message.created', (d) => d.message.id === sent.id);
    expect(ev.data.message.text).toBe('hello bob');
    await ws.close();
  });
});
