// The message box: Enter sends, Shift+Enter breaks the line, Up edits my last message,
// @ # : autocomplete, a draft per channel and thread kept across reloads, typing
// notifications, and sends that queue while offline (see store/outbox.ts).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { load, save } from '../lib/storage';
import { markChannelRead } from '../store/actions';
import { sendMessage } from '../store/outbox';
import { addFiles, takeFiles, uploadKey, useUploads } from '../store/uploads';
import { noteActivity, sendTyping } from '../store/session';
import { getStore, setStore, useStore } from '../store/store';
import { AutocompleteList, findTrigger, suggestionsFor, type Suggestion, type Trigger } from './Autocomplete';
import { autosize } from './autosize';
import { EmojiPicker } from './EmojiPicker';
import { UploadTray } from './files/UploadTray';
import { Icon } from './Icon';

const TYPING_EVERY_MS = 3000;

export function Composer({ channelId, threadRootId, placeholder, autoFocus }: {
  channelId: string; threadRootId: string | null; placeholder: string; autoFocus?: boolean;
}) {
  const me = useStore((s) => s.data.me);
  const maxLength = useStore((s) => s.workspace?.maxMessageLength ?? 40_000);
  const draftKey = `draft:${me}:${channelId}:${threadRootId ?? ''}`;
  const [text, setText] = useState(() => load<string>(draftKey, ''));
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  const [active, setActive] = useState(0);
  const [picking, setPicking] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const emojiRef = useRef<HTMLButtonElement>(null);
  const lastTyping = useRef(0);
  const listId = useId();
  // Files attached before sending (store/uploads.ts): picked, dropped or pasted.
  const filesKey = uploadKey(channelId, threadRootId);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploading = useUploads((s) => s.byKey[filesKey]?.some((u) => u.state === 'uploading') ?? false);
  const uploaded = useUploads((s) => s.byKey[filesKey]?.filter((u) => u.state === 'done').length ?? 0);

  // Drafts: one per channel and thread, saved as you type.
  useEffect(() => {
    const t = setTimeout(() => save(draftKey, text), 250);
    return () => clearTimeout(t);
  }, [text, draftKey]);

  useEffect(() => {
    const el = ref.current!;
    autosize(el);
    if (autoFocus && matchMedia('(min-width: 768px)').matches) el.focus();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const users = useStore((s) => s.data.users);
  const channels = useStore((s) => s.data.channels);
  const presence = useStore((s) => s.data.presence);
  const suggestions: Suggestion[] = useMemo(
    () => (trigger ? suggestionsFor(trigger, Object.values(users), Object.values(channels), me, presence) : []),
    [trigger, users, channels, me, presence],
  );
  const open = suggestions.length > 0;

  const update = (value: string, caret: number) => {
    setText(value);
    const t = findTrigger(value, caret);
    setTrigger(t);
    setActive(0);
    autosize(ref.current!);
    noteActivity();
    if (value.trim() && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      sendTyping(channelId, threadRootId);
    }
  };

  const insert = (s: Suggestion) => {
    if (!trigger) return;
    const value = text.slice(0, trigger.start) + s.insert + text.slice(trigger.end);
    const caret = trigger.start + s.insert.length;
    setText(value);
    setTrigger(null);
    requestAnimationFrame(() => {
      const el = ref.current!;
      el.focus();
      el.setSelectionRange(caret, caret);
      autosize(el);
    });
  };

  const insertAtCaret = (s: string) => {
    const el = ref.current!;
    const start = el.selectionStart ?? text.length;
    const end = el.selectionEnd ?? text.length;
    const value = text.slice(0, start) + s + text.slice(end);
    setText(value);
    setTrigger(findTrigger(value, start + s.length));
    setActive(0);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + s.length, start + s.length);
      autosize(el);
    });
  };

  const send = () => {
    const value = text.trim();
    if ((!value && uploaded === 0) || uploading) return;
    if (value.length > maxLength) return;
    sendMessage(channelId, threadRootId, value, takeFiles(filesKey) ?? []);
    setText('');
    save(draftKey, null);
    setTrigger(null);
    lastTyping.current = 0;
    requestAnimationFrame(() => ref.current && autosize(ref.current));
  };

  const editLast = (): boolean => {
    const s = getStore();
    const list = threadRootId ? s.data.replies[threadRootId] : s.data.messages[channelId];
    const mine = [...(list ?? [])].reverse().find((m) => m.userId === s.data.me && !m.deleted);
    if (!mine) return false;
    setStore({ editing: mine.id });
    return true;
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        insert(suggestions[active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setTrigger(null);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      send();
    } else if (e.key === 'ArrowUp' && text === '' && !e.shiftKey) {
      if (editLast()) e.preventDefault();
    } else if (e.key === 'Escape' && !threadRootId) {
      void markChannelRead(channelId);
    }
  };

  const tooLong = text.length > maxLength;
  return (
    <form className="composer" aria-label={threadRootId ? 'Reply in thread' : 'Message composer'}
      onSubmit={(e) => { e.preventDefault(); send(); }}>
      {open && <AutocompleteList id={listId} items={suggestions} active={active} onPick={insert} />}
      <div className="composer__box">
        <UploadTray uploadKey={filesKey} />
        <textarea ref={ref} className="composer__input" rows={1} value={text} placeholder={placeholder} aria-label={placeholder}
          aria-multiline="true" aria-autocomplete="list" aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${active}` : undefined}
          onChange={(e) => update(e.target.value, e.target.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={(e) => {
            const files = [...e.clipboardData.files];
            if (files.length === 0) return;
            e.preventDefault();
            addFiles(filesKey, files);
          }}
          onSelect={(e) => { const el = e.currentTarget; if (trigger && el.selectionStart !== trigger.end) setTrigger(findTrigger(el.value, el.selectionStart)); }}
          onBlur={() => setTimeout(() => { if (document.activeElement !== ref.current) setTrigger(null); }, 150)} />
        <div className="composer__bar">
          <button type="button" className="icon-btn" aria-label="Attach files" title="Attach files" onClick={() => fileInput.current?.click()}>
            <Icon name="paperclip" />
          </button>
          <input ref={fileInput} type="file" multiple hidden aria-label="Files to attach"
            onChange={(e) => { addFiles(filesKey, [...(e.target.files ?? [])]); e.target.value = ''; }} />
          <button ref={emojiRef} type="button" className="icon-btn" aria-label="Insert emoji" title="Emoji" onClick={() => setPicking(true)}>
            <Icon name="smile" />
          </button>
          <button type="button" className="icon-btn" aria-label="Mention someone" title="Mention someone"
            onClick={() => insertAtCaret(text && !/\s$/.test(text) ? ' @' : '@')}>
            <Icon name="at" />
          </button>
          <span className="composer__hint">{tooLong ? <span className="form-error">{text.length - maxLength} characters over the limit</span>
            : uploading ? 'Uploading files…' : <><kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line</>}</span>
          <button type="submit" className="composer__send" aria-label="Send message" title="Send" disabled={(!text.trim() && uploaded === 0) || tooLong || uploading}>
            <Icon name="send" />
          </button>
        </div>
      </div>
      {picking && <EmojiPicker anchor={emojiRef.current} onClose={() => setPicking(false)} onPick={(n) => insertAtCaret(`:${n}:`)} />}
    </form>
  );
}
