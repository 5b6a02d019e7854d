// A channel's history as a virtualised list (react-virtuoso): only what is on screen is in
// the DOM, so 100,000 messages scroll like 100. Older pages are prepended with
// firstItemIndex so nothing jumps; it follows new messages while at the bottom; a permalink
// opens centred on its message. Day separators, author grouping and the "New" line are
// drawn inside each row.
import type { Message } from '@parley/protocol';
import { forwardRef, useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { Virtuoso, type ListProps, type VirtuosoHandle } from 'react-virtuoso';
import { dayKey, formatDay, GROUP_WINDOW_MS } from '../lib/time';
import { loadNewer, loadOlder, loadWindow } from '../store/sync';
import { useStore, type ChannelPage, type Outgoing } from '../store/store';
import { Icon } from './Icon';
import { MessageItem } from './MessageItem';
import { PendingItem } from './PendingItem';

type Item = { kind: 'intro' } | { kind: 'message'; m: Message } | { kind: 'pending'; o: Outgoing };
type Timed = Exclude<Item, { kind: 'intro' }>;

const itemTime = (i: Timed) => (i.kind === 'message' ? i.m.createdAt : i.o.createdAt);
const itemUser = (i: Timed, me: string) => (i.kind === 'message' ? i.m.userId : me);
const itemKey = (i: Item) => (i.kind === 'message' ? i.m.id : i.kind === 'pending' ? `pending:${i.o.clientId}` : 'intro');

const List = forwardRef<HTMLDivElement, ListProps>(function List(props, ref) {
  return <div {...props} ref={ref} role="list" />;
});
const Row = ({ children, item: _i, context: _c, ...props }: HTMLAttributes<HTMLDivElement> & { item?: unknown; context?: unknown }) => (
  <div {...props} role="listitem">{children}</div>
);

export function MessageList({ channelId, label, page, messages, lastReadSeq, intro, onAtBottom, focusId = null }: {
  channelId: string;
  /** A permalinked message to open the list at. */
  focusId?: string | null;
  label: string;
  page: ChannelPage;
  messages: Message[];
  /** The read position when the channel was opened: the "New" line goes after it. */
  lastReadSeq: number | null;
  intro: React.ReactNode;
  onAtBottom: (atBottom: boolean) => void;
}) {
  const me = useStore((s) => s.data.me);
  const outbox = useStore((s) => s.outbox);
  const ref = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const justSent = useRef(false);

  const pending = useMemo(() => outbox.filter((o) => o.channelId === channelId && o.threadRootId === null
    && !(o.state === 'sent' && messages.some((m) => m.id === o.messageId))), [outbox, channelId, messages]);
  const pendingCount = pending.length;
  const prevPending = useRef(pendingCount);
  useEffect(() => {
    if (pendingCount > prevPending.current) {
      // My own new message: show it, wherever I had scrolled to.
      justSent.current = true;
      requestAnimationFrame(() => ref.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' }));
    }
    prevPending.current = pendingCount;
  }, [pendingCount]);

  // Every message and pending send, in order. While older pages exist, the oldest loaded
  // message is not shown: it is only context for the one after it (same author? same day?),
  // so when the next page arrives it joins the list as a new row above, and nothing that was
  // on screen changes its look or moves.
  const timed: Timed[] = useMemo(() => [
    ...messages.map((m) => ({ kind: 'message' as const, m })),
    ...(page.hasNewer ? [] : pending.map((o) => ({ kind: 'pending' as const, o }))),
  ], [messages, pending, page.hasNewer]);
  const hidden = page.hasOlder && messages.length > 1 ? 1 : 0;
  // The channel's introduction is the first row once the very first message is loaded, so it
  // sits right above the history (and everything hugs the bottom when the channel is short).
  const items: Item[] = useMemo(
    () => (page.hasOlder ? timed.slice(hidden) : [{ kind: 'intro' as const }, ...timed]),
    [timed, page.hasOlder, hidden],
  );
  // Virtuoso's index of items[0]: the store counts from the oldest loaded message.
  const firstItemIndex = page.hasOlder ? page.firstItemIndex + hidden : page.firstItemIndex - 1;
  /** Where items[i] is in `timed`. */
  const shift = page.hasOlder ? hidden : -1;

  const firstUnread = useMemo(() => {
    if (lastReadSeq === null) return null;
    return messages.find((m) => m.seq > lastReadSeq && m.userId !== me)?.id ?? null;
  }, [messages, lastReadSeq, me]);

  // Where to open: the permalinked message, else the bottom.
  const indexOf = (id: string | null) => (id ? items.findIndex((x) => x.kind === 'message' && x.m.id === id) : -1);
  const initial = useMemo(() => {
    const i = indexOf(focusId);
    return i >= 0 ? { index: i, align: 'center' as const } : { index: Math.max(0, items.length - 1), align: 'end' as const };
  }, [page.version]); // eslint-disable-line react-hooks/exhaustive-deps

  // A permalink to a message already loaded: scroll to it.
  useEffect(() => {
    const i = indexOf(focusId);
    if (i >= 0) ref.current?.scrollToIndex({ index: i, align: 'center', behavior: 'auto' });
  }, [focusId]); // eslint-disable-line react-hooks/exhaustive-deps

  const rowContent = useCallback((index: number, item: Item) => {
    if (item.kind === 'intro') return <div className="row">{intro}</div>;
    const j = index - firstItemIndex + shift;
    const prev = j > 0 ? timed[j - 1] : undefined;
    const newDay = !prev || dayKey(itemTime(prev)) !== dayKey(itemTime(item));
    const isNew = item.kind === 'message' && item.m.id === firstUnread;
    const grouped = !!prev && !newDay && !isNew && itemUser(prev, me) === itemUser(item, me)
      && (prev.kind !== 'message' || !prev.m.deleted)
      && new Date(itemTime(item)).getTime() - new Date(itemTime(prev)).getTime() < GROUP_WINDOW_MS;
    return (
      <div className="row">
        {newDay && <div className="day-divider" role="separator"><span>{formatDay(itemTime(item))}</span></div>}
        {isNew && <div className="new-divider" role="separator" aria-label="New messages"><span>New</span></div>}
        {item.kind === 'message' ? <MessageItem message={item.m} grouped={grouped} inThread={false} />
          : <PendingItem item={item.o} grouped={grouped} />}
      </div>
    );
  }, [timed, firstItemIndex, shift, firstUnread, me, intro]);

  const Header = useCallback(() => (
    page.hasOlder ? <div className="list-loading" role="status">{page.loading === 'older' ? 'Loading older messages…' : '\u00a0'}</div> : null
  ), [page.hasOlder, page.loading]);

  const jumpToPresent = () => {
    if (page.hasNewer) void loadWindow(channelId);
    else ref.current?.scrollToIndex({ index: items.length - 1, align: 'end', behavior: 'auto' });
  };

  return (
    <div className="message-list" aria-label={`Messages in ${label}`} data-loading={page.loading ?? ''}>
      <Virtuoso
        key={`${channelId}:${page.version}`}
        ref={ref}
        className="message-list__scroller"
        data={items}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={initial}
        computeItemKey={(_, item) => itemKey(item)}
        itemContent={rowContent}
        alignToBottom
        startReached={() => void loadOlder(channelId)}
        endReached={() => void loadNewer(channelId)}
        followOutput={(bottom) => {
          if (justSent.current) {
            justSent.current = false;
            return 'auto';
          }
          return bottom && !page.hasNewer ? 'auto' : false;
        }}
        atBottomThreshold={80}
        atBottomStateChange={(b) => {
          setAtBottom(b);
          onAtBottom(b && !page.hasNewer);
        }}
        increaseViewportBy={{ top: 800, bottom: 400 }}
        components={{ List, Item: Row, Header }}
      />
      {(!atBottom || page.hasNewer) && items.length > 0 && (
        <button type="button" className="jump-present" onClick={jumpToPresent}>
          <Icon name="down" size={16} /> Jump to present
        </button>
      )}
    </div>
  );
}
