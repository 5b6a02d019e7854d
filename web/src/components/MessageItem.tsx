// One message: avatar and name (unless grouped with the one before), text, edits,
// reactions, the thread link, and the actions toolbar. Focusable, with keyboard shortcuts.
import type { Message } from '@parley/protocol';
import { memo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Markdown } from '../markdown/Markdown';
import { onLinkClick, channelPath, permalink } from '../lib/router';
import { formatFull, formatShort, formatTime } from '../lib/time';
import { copyLink, setPinned } from '../store/actions';
import { userName } from '../store/selectors';
import { ensureUser } from '../store/sync';
import { setStore, useStore } from '../store/store';
import { openDialog } from '../store/ui';
import { emojiChar } from '../emoji/emoji';
import { Avatar } from './Avatar';
import { EditBox } from './EditBox';
import { Attachments } from './files/Attachments';
import { Icon } from './Icon';
import { LinkPreviews } from './LinkPreview';
import { MessageActions, openThread, type MessagePermissions } from './MessageActions';
import { Reactions } from './Reactions';

export function usePermissions(m: Message): MessagePermissions {
  return useStore(useShallow((s) => {
    const me = s.data.users[s.data.me];
    const c = s.data.channels[m.channelId];
    const member = !!c;
    const live = !m.deleted && member && !c.archived;
    return {
      canInteract: live,
      canEdit: live && m.userId === s.data.me,
      canDelete: !m.deleted && member && (m.userId === s.data.me || me?.role === 'admin' || c.memberRole === 'owner'),
    };
  }));
}

export const MessageItem = memo(function MessageItem({ message: m, grouped, inThread }: { message: Message; grouped: boolean; inThread: boolean }) {
  const author = useStore((s) => s.data.users[m.userId]);
  const me = useStore((s) => s.data.me);
  const editing = useStore((s) => s.editing === m.id);
  const highlighted = useStore((s) => s.highlight === m.id);
  const perms = usePermissions(m);
  const [picking, setPicking] = useState(false);
  if (!author) ensureUser(m.userId);

  const mentionsMe = !m.deleted && m.userId !== me && (m.mentions.includes(me) || m.broadcastMention !== null);
  const name = userName(author);
  const cls = ['msg', grouped && 'msg--grouped', mentionsMe && 'msg--mention', highlighted && 'msg--highlight', editing && 'msg--editing', m.pinned && 'msg--pinned']
    .filter(Boolean).join(' ');

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === 'e' && perms.canEdit) setStore({ editing: m.id });
    else if (key === 'r' && perms.canInteract) setPicking(true);
    else if (key === 't' && !inThread && m.threadRootId === null) openThread(m);
    else if (key === 'p' && perms.canInteract && m.threadRootId === null) void setPinned(m, !m.pinned);
    else if (key === 'c') void copyLink(permalink(m));
    else if ((e.key === 'Delete' || e.key === 'Backspace') && perms.canDelete) openDialog({ kind: 'confirmDelete', message: m });
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      const all = [...document.querySelectorAll<HTMLElement>(inThread ? '.thread-panel .msg' : '.message-list .msg')];
      all[all.indexOf(e.currentTarget as HTMLElement) + (e.key === 'ArrowUp' ? -1 : 1)]?.focus();
    } else return;
    e.preventDefault();
  };

  const link = channelPath(m.channelId, { message: m.id, thread: m.threadRootId });
  return (
    <div className={cls} role="article" tabIndex={0} aria-label={`${name}, ${formatFull(m.createdAt)}`} data-message-id={m.id}
      data-author={author?.username} onKeyDown={onKeyDown}>
      <div className="msg__gutter">
        {grouped ? <time className="msg__hovertime" dateTime={m.createdAt}>{formatTime(m.createdAt).replace(/\s?[AP]M$/i, '')}</time>
          : <Avatar user={author} size={36} />}
      </div>
      <div className="msg__content">
        {m.pinned && <div className="msg__pinned"><Icon name="pin" size={12} /> Pinned</div>}
        {!grouped && (
          <div className="msg__header">
            <span className="msg__author">{name}</span>
            {author?.statusEmoji && <span className="msg__status" title={author.statusText}>{emojiChar(author.statusEmoji) ?? ''}</span>}
            <a className="msg__time" href={link} title={formatFull(m.createdAt)} onClick={(e) => onLinkClick(e, link)}>
              <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
            </a>
          </div>
        )}
        {editing ? <EditBox id={m.id} text={m.text} /> : m.deleted ? (
          <p className="msg__deleted">This message was deleted.</p>
        ) : (
          <div className="msg__body">
            <Markdown text={m.text} />
            {m.editedAt && <span className="msg__edited" title={`Edited ${formatFull(m.editedAt)}`}>(edited)</span>}
          </div>
        )}
        {!m.deleted && <Attachments files={m.files} />}
        {!editing && <LinkPreviews message={m} />}
        <Reactions message={m} disabled={!perms.canInteract} />
        {!inThread && m.threadRootId === null && m.replyCount > 0 && <ThreadLink m={m} />}
      </div>
      {!editing && !m.deleted && (
        <MessageActions message={m} perms={perms} inThread={inThread} picking={picking} setPicking={setPicking} />
      )}
    </div>
  );
});

function ThreadLink({ m }: { m: Message }) {
  const unread = useStore((s) => s.data.threads[m.id]?.unreadReplies ?? 0);
  return (
    <button type="button" className={unread ? 'thread-link thread-link--unread' : 'thread-link'} onClick={() => openThread(m)}
      aria-label={`${m.replyCount} ${m.replyCount === 1 ? 'reply' : 'replies'}${unread ? `, ${unread} new` : ''}. View thread`}>
      <span className="thread-link__count">{m.replyCount} {m.replyCount === 1 ? 'reply' : 'replies'}</span>
      {unread > 0 && <span className="thread-link__new">{unread} new</span>}
      {m.lastReplyAt && <span className="thread-link__when">Last reply {formatShort(m.lastReplyAt)}</span>}
      <span className="thread-link__view">View thread</span>
    </button>
  );
}
