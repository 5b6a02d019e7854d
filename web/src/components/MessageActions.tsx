// The toolbar that appears over a message on hover or focus: quick reactions, the emoji
// picker, reply in thread, and a menu with copy link, pin, edit and delete.
import type { Message } from '@parley/protocol';
import { useRef, useState } from 'react';
import { emojiChar, QUICK_REACTIONS } from '../emoji/emoji';
import { channelPath, navigate, permalink } from '../lib/router';
import { copyLink, setPinned, toggleReaction } from '../store/actions';
import { setStore } from '../store/store';
import { openDialog } from '../store/ui';
import { EmojiPicker } from './EmojiPicker';
import { Icon } from './Icon';
import { MenuItem, Popover } from './Popover';

export interface MessagePermissions {
  canEdit: boolean;
  canDelete: boolean;
  canInteract: boolean;
}

export function openThread(m: Message): void {
  const path = location.pathname.startsWith('/threads') ? `/threads?thread=${m.id}` : channelPath(m.channelId, { thread: m.id });
  navigate(path);
}

export function MessageActions({ message, perms, inThread, picking, setPicking }: {
  message: Message; perms: MessagePermissions; inThread: boolean; picking: boolean; setPicking: (v: boolean) => void;
}) {
  const [menu, setMenu] = useState(false);
  const pickRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLButtonElement>(null);
  const m = message;
  return (
    <div className={picking || menu ? 'msg-actions msg-actions--open' : 'msg-actions'} role="toolbar" aria-label="Message actions">
      {perms.canInteract && QUICK_REACTIONS.map((e) => (
        <button key={e} type="button" className="icon-btn icon-btn--emoji" title={`React with :${e}:`} aria-label={`React with ${e.replace(/_/g, ' ')}`}
          onClick={() => void toggleReaction(m, e)}>{emojiChar(e)}</button>
      ))}
      {perms.canInteract && (
        <button ref={pickRef} type="button" className="icon-btn" title="Add reaction" aria-label="Add reaction" onClick={() => setPicking(true)}>
          <Icon name="smile" />
        </button>
      )}
      {!inThread && m.threadRootId === null && (
        <button type="button" className="icon-btn" title="Reply in thread" aria-label="Reply in thread" onClick={() => openThread(m)}>
          <Icon name="thread" />
        </button>
      )}
      <button ref={menuRef} type="button" className="icon-btn" title="More actions" aria-label="More actions" aria-haspopup="menu"
        aria-expanded={menu} onClick={() => setMenu(true)}>
        <Icon name="more" />
      </button>
      {picking && <EmojiPicker anchor={pickRef.current} onClose={() => setPicking(false)} onPick={(e) => void toggleReaction(m, e)} />}
      {menu && (
        <Popover anchor={menuRef.current} onClose={() => setMenu(false)} label="Message menu" role="menu">
          <MenuItem onSelect={() => { setMenu(false); void copyLink(permalink(m)); }}><Icon name="link" /> Copy link</MenuItem>
          {perms.canInteract && m.threadRootId === null && (
            <MenuItem onSelect={() => { setMenu(false); void setPinned(m, !m.pinned); }}>
              <Icon name="pin" /> {m.pinned ? 'Unpin from channel' : 'Pin to channel'}
            </MenuItem>
          )}
          {perms.canEdit && <MenuItem onSelect={() => { setMenu(false); setStore({ editing: m.id }); }}><Icon name="edit" /> Edit message</MenuItem>}
          {perms.canDelete && (
            <MenuItem danger onSelect={() => { setMenu(false); openDialog({ kind: 'confirmDelete', message: m }); }}>
              <Icon name="trash" /> Delete message
            </MenuItem>
          )}
        </Popover>
      )}
    </div>
  );
}
