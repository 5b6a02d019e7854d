// Presence by subscription: the server sends presence only for the people a connection
// watches (Slack's presence_sub). We watch DM partners (the sidebar's dots) and whoever a
// screen registers (a member list, a people picker), and say so again on every connection.
import { useEffect } from 'react';
import type { PresenceStatus } from '@parley/protocol';
import { getStore, setStore, useStore } from './store';

const MAX_WATCH = 1000;
const extra = new Map<string, number>();
let sent = '';
let timer: ReturnType<typeof setTimeout> | null = null;
let sender: ((userIds: string[]) => void) | null = null;

function wanted(): string[] {
  const s = getStore();
  const ids = new Set<string>([s.data.me]);
  for (const c of Object.values(s.data.channels)) for (const u of c.dmUserIds ?? []) ids.add(u);
  for (const u of extra.keys()) ids.add(u);
  ids.delete('');
  return [...ids].slice(0, MAX_WATCH);
}

function schedule(): void {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    const ids = wanted().sort();
    const key = ids.join(',');
    if (key === sent || !sender) return;
    sent = key;
    sender(ids);
  }, 50);
}

/** Called with a send function when the connection is ready; null when it is gone. */
export function presenceConnection(send: ((userIds: string[]) => void) | null): void {
  sender = send;
  sent = '';
  if (send) schedule();
}

export function applyPresenceSnapshot(presence: Record<string, PresenceStatus>): void {
  const s = getStore();
  setStore({ data: { ...s.data, presence: { ...s.data.presence, ...presence } } });
}

// Channels change (a new DM): the watched set may too.
useStore.subscribe((s, prev) => {
  if (s.data.channels !== prev.data.channels) schedule();
});

/** Watches these people's presence while the calling component is on screen. */
export function usePresenceWatch(userIds: string[]): void {
  const key = userIds.join(',');
  useEffect(() => {
    const ids = key ? key.split(',') : [];
    ids.forEach((u) => extra.set(u, (extra.get(u) ?? 0) + 1));
    schedule();
    return () => {
      ids.forEach((u) => {
        const n = (extra.get(u) ?? 1) - 1;
        if (n <= 0) extra.delete(u);
        else extra.set(u, n);
      });
      schedule();
    };
  }, [key]);
}
