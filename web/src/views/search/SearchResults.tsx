// The search results panel: messages grouped by channel (in the order of their best match),
// each with author, time and the snippet with its matches marked; files whose names match;
// "load more" through the server's cursor. Clicking a result opens it in its channel,
// highlighted (a reply opens in its thread).
import type { Channel, FileInfo, SearchResult, SearchSnippet } from '@parley/protocol';
import { useMemo } from 'react';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { channelPath, navigate } from '../../lib/router';
import { formatFull, formatShort } from '../../lib/time';
import { channelLabel, userName } from '../../store/selectors';
import { ensureUser } from '../../store/sync';
import { useStore } from '../../store/store';
import { closeSearch, loadMoreResults, runSearch, useSearch } from './searchStore';

/** The snippet as text with <mark> around the matches: React elements, never parsed HTML. */
export function Snippet({ snippet }: { snippet: SearchSnippet }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  const ranges = [...snippet.highlights].sort((a, b) => a.start - b.start);
  for (const [i, h] of ranges.entries()) {
    if (h.start < at || h.end <= h.start) continue;
    if (h.start > at) parts.push(snippet.text.slice(at, h.start));
    parts.push(<mark key={i}>{snippet.text.slice(h.start, h.end)}</mark>);
    at = h.end;
  }
  if (at < snippet.text.length) parts.push(snippet.text.slice(at));
  return <p className="search-hit__text">{parts}</p>;
}

function useChannelName(c: Channel): string {
  return useStore((s) => {
    if (c.kind === 'public' || c.kind === 'private') return `#${c.name}`;
    const mine = s.data.channels[c.id];
    if (mine) return channelLabel(mine, s.data);
    const others = (c.dmUserIds ?? []).filter((id) => id !== s.data.me);
    return others.map((id) => userName(s.data.users[id])).join(', ') || 'Direct message';
  });
}

function open(r: SearchResult): void {
  const m = r.message;
  // A reply opens in its thread, which takes the side panel's place; on a phone the panel
  // covers the screen, so it steps aside (focusing the search box brings it back).
  if (m.threadRootId || matchMedia('(max-width: 768px)').matches) closeSearch();
  navigate(channelPath(m.channelId, { message: m.id, thread: m.threadRootId }));
}

function Hit({ r }: { r: SearchResult }) {
  const author = useStore((s) => s.data.users[r.message.userId]);
  if (!author) ensureUser(r.message.userId);
  const m = r.message;
  return (
    <li>
      <button type="button" className="search-hit" data-message-id={m.id} onClick={() => open(r)}
        aria-label={`${userName(author)}, ${formatFull(m.createdAt)}: ${r.snippet.text}`}>
        <Avatar user={author} size={28} />
        <span className="search-hit__main">
          <span className="search-hit__meta">
            <strong>{userName(author)}</strong>
            <time dateTime={m.createdAt} title={formatFull(m.createdAt)}>{formatShort(m.createdAt)}</time>
            {m.threadRootId && <span className="search-hit__tag">in a thread</span>}
          </span>
          <Snippet snippet={r.snippet} />
        </span>
      </button>
    </li>
  );
}

function Group({ channel, hits }: { channel: Channel; hits: SearchResult[] }) {
  const name = useChannelName(channel);
  return (
    <section className="search-group" aria-label={`Results in ${name}`} data-channel={channel.name ?? channel.id}>
      <h3 className="search-group__title">
        <Icon name={channel.kind === 'private' ? 'lock' : channel.kind === 'public' ? 'hash' : 'users'} size={14} />
        <span>{channel.kind === 'public' || channel.kind === 'private' ? channel.name : name}</span>
        <span className="muted">{hits.length}</span>
      </h3>
      <ul className="search-group__list">{hits.map((r) => <Hit key={r.message.id} r={r} />)}</ul>
    </section>
  );
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Files({ files }: { files: FileInfo[] }) {
  return (
    <section className="search-group search-files" aria-label="Files">
      <h3 className="search-group__title"><Icon name="copy" size={14} /> <span>Files</span> <span className="muted">{files.length}</span></h3>
      <ul className="search-group__list">
        {files.map((f) => (
          <li key={f.id}>
            <button type="button" className="search-file" onClick={() => navigate(channelPath(f.channelId!, { message: f.messageId }))}>
              {f.thumbnailUrl ? <img className="search-file__thumb" src={f.thumbnailUrl} alt="" /> : <span className="search-file__thumb"><Icon name="copy" size={16} /></span>}
              <span className="search-file__name">{f.name}</span>
              <span className="muted search-file__meta">{sizeText(f.size)} · {formatShort(f.createdAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SearchResults() {
  const s = useSearch();
  // Groups in the order of each channel's best result; results keep their order inside.
  const groups = useMemo(() => {
    const by = new Map<string, { channel: Channel; hits: SearchResult[] }>();
    for (const r of s.results) {
      const g = by.get(r.channel.id) ?? { channel: r.channel, hits: [] };
      g.hits.push(r);
      by.set(r.channel.id, g);
    }
    return [...by.values()];
  }, [s.results]);

  const empty = !s.loading && !s.error && s.results.length === 0 && s.files.length === 0;
  return (
    <aside className="search-panel" aria-label="Search results" aria-busy={s.loading === 'first'}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); closeSearch(); } }}>
      <header className="search-panel__header">
        <div className="search-panel__title">
          <h2>Search</h2>
          <span className="muted search-panel__query" title={s.query}>{s.query}</span>
        </div>
        <div className="search-panel__tools">
          <select aria-label="Sort results" value={s.sort} onChange={(e) => void runSearch(s.query, e.target.value as 'relevance' | 'recent')}>
            <option value="relevance">Most relevant</option>
            <option value="recent">Newest</option>
          </select>
          <button type="button" className="icon-btn" aria-label="Close search" onClick={closeSearch}><Icon name="close" /></button>
        </div>
      </header>
      <div className="search-panel__scroll">
        {s.loading === 'first' && <p className="search-panel__status" role="status"><span className="spinner" /> Searching…</p>}
        {s.error && <p className="search-panel__status form-error" role="alert">{s.error}</p>}
        {empty && (
          <div className="empty-state search-panel__empty" role="status">
            <h2>No results</h2>
            <p>Nothing matches <strong>{s.query}</strong>. Try fewer words, or other filters.</p>
          </div>
        )}
        {s.files.length > 0 && <Files files={s.files} />}
        {groups.map((g) => <Group key={g.channel.id} channel={g.channel} hits={g.hits} />)}
        {s.nextCursor && (
          <div className="search-panel__more">
            <button type="button" className="btn btn--small" disabled={s.loading === 'more'} onClick={() => void loadMoreResults()}>
              {s.loading === 'more' ? 'Loading…' : 'Load more results'}
            </button>
          </div>
        )}
      </div>
    </aside>
  );
}
