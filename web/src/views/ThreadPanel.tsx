// The thread side panel: the root, its replies, a composer, follow/unfollow.
import type { Message } from '@parley/protocol';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { Composer } from '../components/Composer';
import { DropOverlay, useFileDrop } from '../components/files/DropZone';
import { Icon } from '../components/Icon';
import { MessageItem } from '../components/MessageItem';
import { PendingItem } from '../components/PendingItem';
import { TypingIndicator } from '../components/TypingIndicator';
import { channelPath, navigate, onLinkClick } from '../lib/router';
import { GROUP_WINDOW_MS } from '../lib/time';
import { usePageVisible } from '../lib/visible';
import { markThreadRead, setFollowing } from '../store/actions';
import { channelLabel } from '../store/selectors';
import { loadThread } from '../store/sync';
import { getStore, setStore, useStore } from '../store/store';

export function useThreadRoot(rootId: string): Message | undefined {
  return useStore((s) => {
    const fromRoots = s.threadRoots[rootId];
    if (fromRoots) return fromRoots;
    for (const list of Object.values(s.data.messages)) {
      const m = list.find((x) => x.id === rootId);
      if (m) return m;
    }
    return s.data.threads[rootId]?.root;
  });
}

export function ThreadPanel({ rootId, highlightId, onClose }: { rootId: string; highlightId: string | null; onClose: () => void }) {
  const root = useThreadRoot(rootId);
  const replies = useStore((s) => s.data.replies[rootId]);
  const thread = useStore((s) => s.data.threads[rootId]);
  const channel = useStore((s) => (root ? s.data.channels[root.channelId] : undefined));
  const data = useStore((s) => s.data);
  const outbox = useStore((s) => s.outbox);
  const loading = useStore((s) => s.threadLoading[rootId]);
  const visible = usePageVisible();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    void loadThread(rootId).catch(() => {});
  }, [rootId]);

  // Opening or reading the thread clears its unread replies, here and on my other devices.
  const unread = thread?.unreadReplies ?? 0;
  useEffect(() => {
    if (visible && unread > 0) void markThreadRead(rootId);
  }, [visible, unread, rootId]);

  const pending = outbox.filter((o) => o.threadRootId === rootId && !(o.state === 'sent' && replies?.some((r) => r.id === o.messageId)));

  // Follow the newest reply while at the bottom; show a permalinked reply.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (highlightId) {
      el.querySelector(`[data-message-id="${CSS.escape(highlightId)}"]`)?.scrollIntoView({ block: 'center' });
    } else if (stick.current) el.scrollTop = el.scrollHeight;
  }, [replies?.length, pending.length, highlightId, root?.id]);

  // A permalinked reply (a link, a search result) is highlighted for a moment, as in the channel.
  useEffect(() => {
    if (!highlightId) return;
    setStore({ highlight: highlightId });
    const t = setTimeout(() => getStore().highlight === highlightId && setStore({ highlight: null }), 4000);
    return () => clearTimeout(t);
  }, [highlightId]);

  const label = channel ? channelLabel(channel, data) : '';
  const following = thread?.following ?? false;
  const rootLink = root ? channelPath(root.channelId, { message: root.id }) : '#';
  const drop = useFileDrop(root && channel && !channel.archived && !root.deleted ? root.channelId : null, rootId);

  return (
    <aside className="thread-panel" aria-label="Thread" {...drop.handlers}>
      {drop.over && <DropOverlay label="the thread" />}
      <header className="thread-panel__header">
        <div>
          <h2>Thread</h2>
          {channel && <a className="muted" href={rootLink} onClick={(e) => onLinkClick(e, rootLink)}>{label}</a>}
        </div>
        <div className="thread-panel__tools">
          {root && channel && (
            <button type="button" className={following ? 'btn btn--small btn--on' : 'btn btn--small'} aria-pressed={following}
              onClick={() => void setFollowing(rootId, !following)}>
              {following ? 'Following' : 'Follow'}
            </button>
          )}
          <button type="button" className="icon-btn" aria-label="Close thread" onClick={onClose}><Icon name="close" /></button>
        </div>
      </header>
      <div className="thread-panel__scroll" ref={scroller}
        onScroll={(e) => { const el = e.currentTarget; stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60; }}>
        {!root ? (
          <div className="list-loading" role="status">{loading === false ? 'This thread could not be loaded.' : 'Loading thread…'}</div>
        ) : (
          <>
            <MessageItem message={root} grouped={false} inThread />
            <div className="thread-panel__count" role="separator">
              <span>{root.replyCount} {root.replyCount === 1 ? 'reply' : 'replies'}</span>
            </div>
            <div role="list" aria-label="Replies">
              {(replies ?? []).map((m, i, all) => {
                const prev = all[i - 1];
                const grouped = !!prev && prev.userId === m.userId && !prev.deleted
                  && new Date(m.createdAt).getTime() - new Date(prev.createdAt).getTime() < GROUP_WINDOW_MS;
                return <div role="listitem" key={m.id}><MessageItem message={m} grouped={grouped} inThread /></div>;
              })}
              {pending.map((o) => <div role="listitem" key={o.clientId}><PendingItem item={o} grouped={false} /></div>)}
            </div>
          </>
        )}
      </div>
      {root && channel && !channel.archived && !root.deleted && (
        <>
          <TypingIndicator channelId={root.channelId} threadRootId={rootId} />
          <Composer key={rootId} channelId={root.channelId} threadRootId={rootId} placeholder="Reply…" autoFocus />
        </>
      )}
      {root && !channel && (
        <div className="composer composer--disabled">
          <button type="button" className="link-btn" onClick={() => navigate(channelPath(root.channelId))}>Open the channel</button> to reply.
        </div>
      )}
    </aside>
  );
}
