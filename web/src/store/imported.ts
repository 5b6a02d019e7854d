// An import landing while someone is online (`channel.imported`, once per committed batch):
// the reducer has added or refreshed the channel and dropped its stale page; here the client
// refetches what is on screen (the open channel's newest page) and the followed threads. One
// refetch per channel at a time; batches that land during it ask for one more after it.
import { api } from '../api/endpoints';
import { getRoute } from '../lib/router';
import { onApplied } from './apply';
import { loadWindow } from './sync';
import { getStore, setStore } from './store';

const running = new Map<string, boolean>();

async function refetch(key: string, work: () => Promise<void>): Promise<void> {
  if (running.has(key)) {
    running.set(key, true);
    return;
  }
  running.set(key, false);
  try {
    do {
      running.set(key, false);
      await work().catch(() => {});
    } while (running.get(key));
  } finally {
    running.delete(key);
  }
}

async function refetchThreads(): Promise<void> {
  const { threads } = await api.threads();
  const s = getStore();
  setStore({ data: { ...s.data, threads: Object.fromEntries(threads.map((t) => [t.root.id, t])) } });
}

onApplied((events) => {
  const channels = new Set<string>();
  for (const e of events) if (e.type === 'channel.imported') channels.add(e.data.channel.id);
  if (channels.size === 0) return;
  const route = getRoute();
  const open = route.name === 'channel' ? route.channelId : null;
  for (const id of channels) {
    if (id === open) void refetch(`channel:${id}`, () => loadWindow(id));
    else if (getStore().pages[id]) {
      // Not on screen: forget the page, so opening the channel loads its newest one.
      const { [id]: _stale, ...pages } = getStore().pages;
      setStore({ pages });
    }
  }
  void refetch('threads', refetchThreads);
});
