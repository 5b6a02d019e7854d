// Helpers shared by the message tests (messages.test.ts, message-changes.test.ts).
import { expect } from 'vitest';
import type { Client } from './harness.js';
import { uniq } from './expect.js';

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const msgs = (channelId: string, query = '') => `/api/v1/channels/${channelId}/messages${query}`;

export async function history(c: Client, channelId: string, query = ''): Promise<{ messages: any[]; hasMore: boolean }> {
  const r = await c.get(msgs(channelId, query));
  expect(r.status).toBe(200);
  return r.body;
}

/** A public channel owned by `owner` with the other clients joined. */
export async function publicChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('pub'));
  for (const o of others) expect((await o.post(`/api/v1/channels/${ch.id}/join`)).status).toBe(200);
  return ch.id;
}

export async function privateChannel(owner: Client, ...others: Client[]): Promise<string> {
  const ch = await owner.channel(uniq('priv'), 'private');
  if (others.length) {
    const r = await owner.post(`/api/v1/channels/${ch.id}/members`, { userIds: others.map((o) => o.id) });
    expect(r.status).toBe(200);
  }
  return ch.id;
}
