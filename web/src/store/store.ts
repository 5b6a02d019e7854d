// The client store. `data` is the protocol's ClientState, changed only by the shared
// reducer (applyEvent) and by fetches; the rest is what the screen needs around it:
// paging of loaded history, the outbox of unsent messages, typing, connection state.
import { create } from 'zustand';
import type { FileInfo, Message, Workspace } from '@parley/protocol';
import { emptyState, type ClientState } from '@parley/protocol/reducer';

export interface ChannelPage {
  hasOlder: boolean;
  /** True when the loaded window stops before the newest message (after a permalink jump). */
  hasNewer: boolean;
  loading: null | 'initial' | 'older' | 'newer';
  /** Virtuoso's index of the first loaded message; it goes down as older pages are prepended. */
  firstItemIndex: number;
  /** Bumped whenever the window is replaced (jump to a message, jump to present, resync). */
  version: number;
  error: string | null;
}

export interface Outgoing {
  clientId: string;
  channelId: string;
  threadRootId: string | null;
  text: string;
  createdAt: string;
  state: 'queued' | 'sending' | 'sent' | 'failed';
  error?: string;
  errorCode?: string;
  messageId?: string;
  confirmChannelMention?: boolean;
  /** Uploaded files sent with it (store/uploads.ts), shown while it is on its way. */
  files?: FileInfo[];
}

// 'enrol': signed in with a session that may only set up two-factor (the policy's grace period ended).
export type Phase = 'boot' | 'setup' | 'signedOut' | 'enrol' | 'ready';
export type Connection = 'connecting' | 'online' | 'offline';

export interface AppStore {
  phase: Phase;
  workspace: Workspace | null;
  bootError: string | null;
  data: ClientState;
  /** The first full fetch after signing in has landed. */
  synced: boolean;
  pages: Record<string, ChannelPage>;
  /** Thread roots opened in the side panel, kept current by events like everything else. */
  threadRoots: Record<string, Message>;
  threadLoading: Record<string, boolean>;
  outbox: Outgoing[];
  /** `${channelId}:${threadRootId ?? ''}` → userId → expiry (ms). */
  typing: Record<string, Record<string, number>>;
  connection: Connection;
  /** When the connection was last lost (ms), for the banner. */
  offlineSince: number | null;
  editing: string | null;
  highlight: string | null;
  /** A short message at the bottom of the screen ("Link copied"). */
  toast: { text: string; id: number } | null;
  /** The phone drawer. */
  drawerOpen: boolean;
}

export const FIRST_INDEX = 1_000_000;

export const initialStore = (): AppStore => ({
  phase: 'boot',
  workspace: null,
  bootError: null,
  data: emptyState(''),
  synced: false,
  pages: {},
  threadRoots: {},
  threadLoading: {},
  outbox: [],
  typing: {},
  connection: 'connecting',
  offlineSince: null,
  editing: null,
  highlight: null,
  toast: null,
  drawerOpen: false,
});

export const useStore = create<AppStore>()(() => initialStore());

export const getStore = useStore.getState;
export const setStore = useStore.setState;

export const typingKey = (channelId: string, threadRootId: string | null) => `${channelId}:${threadRootId ?? ''}`;

let toastSeq = 0;
export function toast(text: string): void {
  const id = ++toastSeq;
  setStore({ toast: { text, id } });
  setTimeout(() => {
    if (getStore().toast?.id === id) setStore({ toast: null });
  }, 2600);
}
