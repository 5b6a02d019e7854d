// Sending messages. Every message gets a clientId when it is written, is queued while the
// connection is down, and is posted in order once it is back. The server turns a repeated
// clientId into the first message, so a retry after a lost answer never makes a second.
// The outbox is kept in localStorage, so even a reload loses nothing unsent.
import type { FileInfo } from '@parley/protocol';
import { api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { newClientId } from '../lib/ids';
import { load, save } from '../lib/storage';
import { getStore, setStore, type Outgoing } from './store';

let flushing = false;

function persist(): void {
  const s = getStore();
  if (!s.data.me) return;
  save(`outbox:${s.data.me}`, s.outbox.filter((o) => o.state !== 'sent'));
}

function update(clientId: string, patch: Partial<Outgoing> | null): void {
  const s = getStore();
  setStore({
    outbox: patch === null
      ? s.outbox.filter((o) => o.clientId !== clientId)
      : s.outbox.map((o) => (o.clientId === clientId ? { ...o, ...patch } : o)),
  });
  persist();
}

export function restoreOutbox(me: string): void {
  const saved = load<Outgoing[]>(`outbox:${me}`, []);
  // Anything that was in flight when the page closed is sent again: the clientId makes that safe.
  setStore({ outbox: saved.map((o) => (o.state === 'sending' ? { ...o, state: 'queued' } : o)) });
}

export function sendMessage(channelId: string, threadRootId: string | null, text: string, files: FileInfo[] = []): void {
  const item: Outgoing = {
    clientId: newClientId(), channelId, threadRootId, text, createdAt: new Date().toISOString(), state: 'queued',
    ...(files.length ? { files } : {}),
  };
  setStore({ outbox: [...getStore().outbox, item] });
  persist();
  void flushOutbox();
}

export function retry(clientId: string, opts: { confirmChannelMention?: boolean } = {}): void {
  update(clientId, { state: 'queued', error: undefined, errorCode: undefined, ...opts });
  void flushOutbox();
}

export function discard(clientId: string): void {
  update(clientId, null);
}

/** Posts queued messages one at a time, in order, while the connection is up. */
export async function flushOutbox(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    for (;;) {
      const s = getStore();
      if (s.connection !== 'online' || !s.synced) return;
      const next = s.outbox.find((o) => o.state === 'queued');
      if (!next) return;
      update(next.clientId, { state: 'sending' });
      try {
        const m = await api.post(next.channelId, {
          text: next.text, threadRootId: next.threadRootId, clientId: next.clientId,
          ...(next.confirmChannelMention ? { confirmChannelMention: true } : {}),
          ...(next.files?.length ? { fileIds: next.files.map((f) => f.id) } : {}),
        });
        // Keep it on screen until its message.created event has put the real one in place.
        if (getStore().outbox.some((o) => o.clientId === next.clientId)) {
          update(next.clientId, { state: 'sent', messageId: m.id });
          setTimeout(() => {
            if (getStore().outbox.some((o) => o.clientId === next.clientId && o.state === 'sent')) update(next.clientId, null);
          }, 15_000);
        }
      } catch (err) {
        if (err instanceof ApiError && err.isNetwork) {
          update(next.clientId, { state: 'queued' });
          return; // wait for the connection to come back
        }
        const e = err instanceof ApiError ? err : new ApiError(0, 'unknown', 'Could not send.');
        update(next.clientId, { state: 'failed', error: e.message, errorCode: e.code });
      }
    }
  } finally {
    flushing = false;
  }
}
