// The signed-in screen: sidebar, the channel or Threads view, the thread panel, dialogs.
import { useEffect } from 'react';
import { channelPath, navigate, useRoute } from '../lib/router';
import { load, save } from '../lib/storage';
import { channelLabel } from '../store/selectors';
import { noteActivity } from '../store/session';
import { setStore, useStore } from '../store/store';
import { ChannelView } from './ChannelView';
import { ConnectionBanner } from './ConnectionBanner';
import { Dialogs } from './dialogs/Dialogs';
import { useShortcuts } from './Shortcuts';
import { Sidebar } from './Sidebar';
import { ThreadPanel } from './ThreadPanel';
import { ThreadsView } from './ThreadsView';
import { AdminView } from './admin/AdminView';
import { AlertBanner } from './admin/AlertBanner';
import { SettingsView } from './settings/SettingsView';
import { SearchResults } from './search/SearchResults';
import { useSearch } from './search/searchStore';

export function WorkspaceView() {
  const route = useRoute();
  const synced = useStore((s) => s.synced);
  const data = useStore((s) => s.data);
  const workspace = useStore((s) => s.workspace);
  const drawerOpen = useStore((s) => s.drawerOpen);
  const toast = useStore((s) => s.toast);
  const connection = useStore((s) => s.connection);
  const searching = useSearch((s) => s.open);
  useShortcuts();

  // Any input counts as being here (presence goes "away" after a quiet spell).
  useEffect(() => {
    const here = () => noteActivity();
    const events = ['keydown', 'pointerdown', 'focus'] as const;
    events.forEach((e) => window.addEventListener(e, here, { passive: true }));
    return () => events.forEach((e) => window.removeEventListener(e, here));
  }, []);

  // "/" (and the sign-in pages once signed in) open the last channel, or #general.
  useEffect(() => {
    if (!synced || route.name === 'channel' || route.name === 'threads' || route.name === 'settings' || route.name === 'admin') return;
    const last = load<string | null>(`lastChannel:${data.me}`, null);
    const target = (last && data.channels[last]) || Object.values(data.channels).find((c) => c.isGeneral) || Object.values(data.channels)[0];
    if (target) navigate(channelPath(target.id), { replace: true });
  }, [synced, route, data.channels, data.me]);

  useEffect(() => {
    if (route.name === 'channel' && data.channels[route.channelId]) save(`lastChannel:${data.me}`, route.channelId);
  }, [route, data.me, data.channels]);

  // The tab title: mentions first, then a dot for other unread.
  const channels = Object.values(data.channels);
  const mentions = channels.reduce((n, c) => n + (c.kind === 'dm' || c.kind === 'group' ? c.unreadCount : c.mentionCount), 0);
  const unread = channels.some((c) => c.unreadCount > 0 && !c.muted);
  const current = route.name === 'channel' ? channelLabel(data.channels[route.channelId], data) : route.name === 'threads' ? 'Threads' : '';
  useEffect(() => {
    document.title = `${mentions ? `(${mentions}) ` : unread ? '• ' : ''}${current ? `${current} - ` : ''}${workspace?.name || 'Parley'}`;
  }, [mentions, unread, current, workspace?.name]);

  const threadId = route.name === 'channel' || route.name === 'threads' ? route.threadId : null;
  const closeThread = () => navigate(route.name === 'channel' ? channelPath(route.channelId) : '/threads');

  return (
    <div className={`app${drawerOpen ? ' app--drawer' : ''}${threadId ? ' app--thread' : ''}`} data-connection={connection} data-synced={synced}>
      <ConnectionBanner />
      <AlertBanner />
      <div className="app__body">
        <Sidebar route={route} />
        <div className="drawer-scrim" onClick={() => setStore({ drawerOpen: false })} aria-hidden="true" />
        <main className="main">
          {route.name === 'channel' && <ChannelView key={route.channelId} channelId={route.channelId} messageId={route.threadId ? null : route.messageId} />}
          {route.name === 'threads' && <ThreadsView openId={threadId} />}
          {route.name === 'settings' && <SettingsView />}
          {route.name === 'admin' && synced && <AdminView tab={route.tab} />}
        </main>
        {searching && synced && <SearchResults />}
        {!searching && threadId && synced && (
          <ThreadPanel key={threadId} rootId={threadId} highlightId={route.name === 'channel' && route.threadId ? route.messageId : null} onClose={closeThread} />
        )}
      </div>
      <Dialogs />
      {toast && <div className="toast" role="status" aria-live="polite">{toast.text}</div>}
    </div>
  );
}
