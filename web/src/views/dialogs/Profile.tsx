// My profile and status, theme, and sign out.
import { useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { Avatar } from '../../components/Avatar';
import { EmojiPicker } from '../../components/EmojiPicker';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { emojiChar } from '../../emoji/emoji';
import { setTheme, useTheme, type ThemeChoice } from '../../lib/theme';
import { signOut } from '../../store/session';
import { getStore, setStore, toast, useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';

export function Profile() {
  const me = useStore((s) => s.data.users[s.data.me])!;
  const [displayName, setDisplayName] = useState(me.displayName);
  const [statusText, setStatusText] = useState(me.statusText);
  const [statusEmoji, setStatusEmoji] = useState(me.statusEmoji);
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const emojiRef = useRef<HTMLButtonElement>(null);
  const { choice } = useTheme();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const user = await api.updateMe({ displayName: displayName.trim() || me.username, statusText, statusEmoji });
      const s = getStore();
      setStore({ data: { ...s.data, users: { ...s.data.users, [user.id]: user } } });
      toast('Profile saved');
      closeDialog();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not save.');
    }
  };

  return (
    <Modal title="Profile and status" onClose={closeDialog}>
      <form className="modal__body" onSubmit={submit}>
        <div className="profile-head">
          <Avatar user={{ ...me, displayName }} size={64} />
          <div><strong>{displayName || me.username}</strong><br /><span className="muted">@{me.username} · {me.role}</span></div>
        </div>
        <Field label="Display name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={80} />
        <div className="field">
          <label htmlFor="status-text">Status</label>
          <div className="status-row">
            <button ref={emojiRef} type="button" className="btn status-emoji" aria-label="Pick a status emoji" onClick={() => setPicking(true)}>
              {emojiChar(statusEmoji) ?? '🙂'}
            </button>
            <input id="status-text" value={statusText} maxLength={100} placeholder="What’s your status?" onChange={(e) => setStatusText(e.target.value)} />
            {(statusText || statusEmoji) && <button type="button" className="btn" onClick={() => { setStatusText(''); setStatusEmoji(''); }}>Clear</button>}
          </div>
        </div>
        <fieldset className="field theme-choice">
          <legend>Theme</legend>
          {(['system', 'light', 'dark'] as ThemeChoice[]).map((t) => (
            <label key={t}><input type="radio" name="theme" checked={choice === t} onChange={() => setTheme(t)} /> {t === 'system' ? 'Match system' : t[0]!.toUpperCase() + t.slice(1)}</label>
          ))}
        </fieldset>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="modal__footer modal__footer--split">
          <button type="button" className="btn btn--danger-text" onClick={() => { closeDialog(); void signOut(); }}>Sign out</button>
          <span>
            <button type="button" className="btn" onClick={closeDialog}>Cancel</button>{' '}
            <button type="submit" className="btn btn--primary">Save</button>
          </span>
        </div>
        {picking && <EmojiPicker anchor={emojiRef.current} onClose={() => setPicking(false)} onPick={setStatusEmoji} />}
      </form>
    </Modal>
  );
}
