// The reaction pills under a message: emoji and count, mine highlighted; click toggles.
import type { Message } from '@parley/protocol';
import { useRef, useState } from 'react';
import { useEmojiReady } from '../emoji/emoji';
import { EmojiGlyph } from './emoji/EmojiGlyph';
import { toggleReaction } from '../store/actions';
import { userName } from '../store/selectors';
import { useStore } from '../store/store';
import { EmojiPicker } from './EmojiPicker';
import { Icon } from './Icon';

export function Reactions({ message, disabled }: { message: Message; disabled?: boolean }) {
  useEmojiReady();
  const me = useStore((s) => s.data.me);
  const users = useStore((s) => s.data.users);
  const [picking, setPicking] = useState(false);
  const addRef = useRef<HTMLButtonElement>(null);
  if (message.reactions.length === 0) return null;
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {message.reactions.map((r) => {
        const mine = r.userIds.includes(me);
        const who = r.userIds.map((id) => (id === me ? 'you' : userName(users[id]))).join(', ');
        return (
          <button key={r.emoji} type="button" className={mine ? 'reaction reaction--mine' : 'reaction'} aria-pressed={mine}
            title={`${who} reacted with :${r.emoji}:`} aria-label={`${r.emoji.replace(/_/g, ' ')}: ${r.count}, ${mine ? 'including you' : 'react'}`}
            disabled={disabled} onClick={() => void toggleReaction(message, r.emoji)} data-emoji={r.emoji}>
            <span className="reaction__emoji"><EmojiGlyph name={r.emoji} /></span>
            <span className="reaction__count">{r.count}</span>
          </button>
        );
      })}
      {!disabled && (
        <button ref={addRef} type="button" className="reaction reaction--add" aria-label="Add reaction" title="Add reaction" onClick={() => setPicking(true)}>
          <Icon name="smile" size={16} />
        </button>
      )}
      {picking && <EmojiPicker anchor={addRef.current} onClose={() => setPicking(false)} onPick={(e) => void toggleReaction(message, e)} />}
    </div>
  );
}
