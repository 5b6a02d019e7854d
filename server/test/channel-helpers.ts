// Helpers shared by the channel tests (channels.test.ts, channel-settings.test.ts).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Client } from './harness.js';

export const uniq = (prefix = 'ch') => `${prefix}-${randomBytes(4).toString('hex')}`;
export const RANDOM_UUID = '01890a5d-ac96-774b-bcce-b302099a8057';
export const MEMBERSHIP_FIELDS = ['memberRole', 'muted', 'unreadCount', 'mentionCount', 'lastReadMessageId', 'lastReadSeq'];


export async function mineById(c: Client, id: string) {
  const r = await c.get('/api/v1/channels');
  expect(r.status).toBe(200);
  return r.body.channels.find((x: any) => x.id === id);
}

export async function browseNames(c: Client, query?: string): Promise<string[]> {
  const r = await c.get(`/api/v1/channels/browse${query !== undefined ? `?query=${encodeURIComponent(query)}` : ''}`);
  expect(r.status).toBe(200);
  return r.body.channels.map((x: any) => x.name);
}
