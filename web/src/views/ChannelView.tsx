// A channel: header, history, typing line and composer. Opens at the newest page, or at
// a permalinked message (highlighted); marks the channel read while it is seen at the bottom.
import type { Channel } from '@parley/protocol';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { Composer } from '../components/Composer';
import { DropOverlay, useFileDrop } from '../components/files/DropZone';
import { Icon } from '../components/Icon';
import { MessageList } from '../components/MessageList';
import { TypingIndicator } from '../components/TypingIndicator';
import { usePageVisible } from '../lib/visible';
import { joinChannel, markChannelRead } from '../store/actions';
import { channelLabel } from '../store/selectors';
import { loadWindow } from '../store/sync';
import { getStore, setStore, useStore } from '../store/store';
import { ChannelHeader } from './ChannelHeader';
import { ChannelIntro } from './ChannelIntro';

export function ChannelView({ channelId, messageId }: { channelId: string; messageId: string | null }) {
  const channel = useStore((s) => s.data.channels[channelId]);
  const synced = useStore((s) => s.synced);
  if (!synced) return <div className="channel channel--loading" aria-busy="true" />;
  if (!channel) return <ChannelPreview channelId={channelId} messageId={messageId} />;
  return <MemberChannel channelId={channelId} messageId={messageId} />;
}

function MemberChannel({ channelId, messageId }: { channelId: string; messageId: string | null }) {
  const channel = useStore((s) => s.data.channels[channelId])!;
  const data = useStore((s) => s.data);
  const messages = useStore((s) => s.data.messages[channelId]);
  const page = useStore((s) => s.pages[channelId]);
  const visible = usePageVisible();
  const [atBottom, setAtBottom] = useState(true);
  // Where the person had read up to when they opened the channel: the "New" line stays there.
  const [readAtOpen, setReadAtOpen] = useState<number | null>(() => (channel.unreadCount > 0 ? channel.lastReadSeq : null));
  const label = channelLabel(channel, data);

  // Load history: the newest page, or the page around a permalinked message.
  useEffect(() => {
    const s = getStore();
    const list = s.data.messages[channelId];
    if (messageId) {
      setStore({ highlight: messageId });
      const inThread = new URLSearchParams(location.search).has('thread');
      if (!inThread && !list?.some((m) => m.id === messageId)) void loadWindow(channelId, messageId);
      const t = setTimeout(() => getStore().highlight === messageId && setStore({ highlight: null }), 4000);
      return () => clearTimeout(t);
    }
    if (!list || !s.pages[channelId] || s.pages[channelId]!.error) void loadWindow(channelId);
  }, [channelId, messageId]);

  // Reading: seen at the bottom of the present, in a visible tab.
  const unread = channel.unreadCount + channel.mentionCount;
  useEffect(() => {
    if (!visible || !atBottom || !page || page.hasNewer || page.loading || unread === 0) return;
    const t = setTimeout(() => void markChannelRead(channelId), 250);
    return () => clearTimeout(t);
  }, [visible, atBottom, page, unread, channelId]);

  // Esc (anywhere in the channel) marks it read and drops the "New" line.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('[role="dialog"]')) return;
      setReadAtOpen(null);
      void markChannelRead(channelId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [channelId]);

  const intro = useMemo(() => <ChannelIntro channel={channel} />, [channel]);
  const canPost = !channel.archived && (!channel.readOnly || channel.memberRole === 'owner' || data.users[data.me]?.role === 'admin');
  const drop = useFileDrop(canPost ? channelId : null, null);

  return (
    <section className="channel" aria-label={label} {...drop.handlers}>
      {drop.over && <DropOverlay label={label} />}
      <ChannelHeader channel={channel} />
      {page && messages && !(page.loading === 'initial' && page.version === 0) ? (
        <MessageList channelId={channelId} label={label} page={page} messages={messages} lastReadSeq={readAtOpen} intro={intro}
          onAtBottom={setAtBottom} focusId={messageId} />
      ) : page?.error ? (
        <div className="list-error" role="alert">
          <p>{page.error}</p>
          <button type="button" className="btn" onClick={() => void loadWindow(channelId)}>Try again</button>
        </div>
      ) : (
        <div className="message-list message-list--loading" aria-busy="true" role="status"><span className="spinner" /> Loading messages…</div>
      )}
      <TypingIndicator channelId={channelId} threadRootId={null} />
      {canPost ? (
        <Composer key={channelId} channelId={channelId} threadRootId={null} placeholder={`Message ${label}`} autoFocus />
      ) : (
        <div className="composer composer--disabled" role="note">
          {channel.archived ? 'This channel is archived. You can read it, but no one can post.' : 'Only admins and channel owners can post in this channel.'}
        </div>
      )}
    </section>
  );
}

/** A public channel I have not joined: read it, then join. */
function ChannelPreview({ channelId, messageId }: { channelId: string; messageId: string | null }) {
  const [channel, setChannel] = useState<Channel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const messages = useStore((s) => s.data.messages[channelId]);
  const page = useStore((s) => s.pages[channelId]);
  const started = useRef(false);

  useEffect(() => {
    api.channel(channelId).then(setChannel, (err) => setError(err instanceof ApiError && err.status === 404
      ? 'This channel does not exist, or it is private.' : 'Could not open this channel.'));
  }, [channelId]);
  useEffect(() => {
    if (channel && !started.current) {
      started.current = true;
      // A search result or permalink in a channel I have not joined opens at its message.
      if (messageId) {
        setStore({ highlight: messageId });
        setTimeout(() => getStore().highlight === messageId && setStore({ highlight: null }), 4000);
      }
      void loadWindow(channelId, messageId ?? undefined);
    }
  }, [channel, channelId]);

  if (error) {
    return (
      <section className="channel channel--empty" aria-label="Channel not found">
        <header className="channel-header">
          <button type="button" className="icon-btn drawer-toggle" aria-label="Open sidebar" onClick={() => setStore({ drawerOpen: true })}><Icon name="menu" /></button>
        </header>
        <div className="empty-state"><h2>Channel not found</h2><p>{error}</p></div>
      </section>
    );
  }
  if (!channel) return <div className="channel channel--loading" aria-busy="true" />;
  const label = `#${channel.name}`;
  return (
    <section className="channel" aria-label={label}>
      <header className="channel-header">
        <button type="button" className="icon-btn drawer-toggle" aria-label="Open sidebar" onClick={() => setStore({ drawerOpen: true })}><Icon name="menu" /></button>
        <div className="channel-header__main">
          <h1 className="channel-header__title"><span className="channel-header__name"><Icon name="hash" size={16} /> {channel.name}</span></h1>
          {channel.topic && <p className="channel-header__topic">{channel.topic}</p>}
        </div>
      </header>
      {page && messages ? (
        <MessageList channelId={channelId} label={label} page={page} messages={messages} lastReadSeq={null}
          intro={<ChannelIntro channel={channel} />} onAtBottom={() => {}} focusId={messageId} />
      ) : <div className="message-list message-list--loading" role="status"><span className="spinner" /> Loading messages…</div>}
      <div className="composer composer--join">
        <p>You are viewing <strong>{label}</strong>{channel.memberCount ? ` · ${channel.memberCount} members` : ''}</p>
        <button type="button" className="btn btn--primary" onClick={() => void joinChannel(channelId)}>Join channel</button>
      </div>
    </section>
  );
}
