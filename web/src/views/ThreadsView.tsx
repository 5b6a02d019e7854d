// Threads I follow, newest activity first, with their unread replies.
import type { ThreadSummary } from '@parley/protocol';
import { Icon } from '../components/Icon';
import { MessageItem } from '../components/MessageItem';
import { navigate } from '../lib/router';
import { formatShort } from '../lib/time';
import { channelLabel } from '../store/selectors';
import { setStore, useStore } from '../store/store';
import { SearchBox } from './search/SearchBox';

export function ThreadsView({ openId }: { openId: string | null }) {
  const threads = useStore((s) => s.data.threads);
  const data = useStore((s) => s.data);
  const list = Object.values(threads).sort((a, b) => (b.root.lastReplyAt ?? b.root.createdAt).localeCompare(a.root.lastReplyAt ?? a.root.createdAt));

  return (
    <section className="channel threads-view" aria-label="Threads">
      <header className="channel-header">
        <button type="button" className="icon-btn drawer-toggle" aria-label="Open sidebar" onClick={() => setStore({ drawerOpen: true })}><Icon name="menu" /></button>
        <div className="channel-header__main">
          <h1 className="channel-header__title"><span className="channel-header__name"><Icon name="thread" size={16} /> Threads</span></h1>
          <p className="channel-header__topic">Threads you follow: ones you started, replied to or were mentioned in.</p>
        </div>
        <div className="channel-header__tools"><SearchBox /></div>
      </header>
      <div className="threads-view__list" role="list" aria-label="Followed threads">
        {list.length === 0 && (
          <div className="empty-state">
            <h2>No threads yet</h2>
            <p>Reply to a message, or follow a thread from its panel, and it shows up here.</p>
          </div>
        )}
        {list.map((t) => <ThreadCard key={t.root.id} t={t} active={t.root.id === openId} label={channelLabel(data.channels[t.root.channelId], data)} />)}
      </div>
    </section>
  );
}

function ThreadCard({ t, active, label }: { t: ThreadSummary; active: boolean; label: string }) {
  const open = () => navigate(`/threads?thread=${t.root.id}`);
  return (
    <article role="listitem" className={`thread-card${t.unreadReplies > 0 ? ' thread-card--unread' : ''}${active ? ' thread-card--active' : ''}`}
      aria-label={`Thread in ${label}${t.unreadReplies ? `, ${t.unreadReplies} new ${t.unreadReplies === 1 ? 'reply' : 'replies'}` : ''}`}
      data-thread-id={t.root.id}>
      <header className="thread-card__header">
        <span className="thread-card__channel">{label}</span>
        {t.unreadReplies > 0 && <span className="badge" aria-label={`${t.unreadReplies} unread`}>{t.unreadReplies}</span>}
      </header>
      <MessageItem message={t.root} grouped={false} inThread />
      <footer className="thread-card__footer">
        <button type="button" className="thread-link" onClick={open}
          aria-label={`${t.root.replyCount} ${t.root.replyCount === 1 ? 'reply' : 'replies'}${t.unreadReplies ? `, ${t.unreadReplies} new` : ''}. View thread`}>
          <span className="thread-link__count">{t.root.replyCount} {t.root.replyCount === 1 ? 'reply' : 'replies'}</span>
          {t.unreadReplies > 0 && <span className="thread-link__new">{t.unreadReplies} new</span>}
          {t.root.lastReplyAt && <span className="thread-link__when">Last reply {formatShort(t.root.lastReplyAt)}</span>}
          <span className="thread-link__view">View thread</span>
        </button>
      </footer>
    </article>
  );
}
