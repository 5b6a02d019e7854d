// "Custom emoji": the workspace's own emoji, and (for whoever the server lets) a form to add
// one — a name and an image — and a button to remove one. The server decides; its refusals
// (a bad name, a name taken, an image too big or not an image) are shown as it words them.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http';
import { addCustomEmoji, canDeleteEmoji, deleteCustomEmoji, searchCustomEmoji, useCanAddEmoji, useCustomEmoji } from '../../store/customEmoji';
import { userName } from '../../store/selectors';
import { toast, useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';
import { Field } from '../Field';
import { Icon } from '../Icon';
import { Modal } from '../Modal';
import { CustomEmojiImage } from './EmojiGlyph';

/** A file name as an emoji name: "Party Parrot.gif" → "party_parrot". */
export const nameFromFile = (file: string) =>
  file.replace(/\.[^.]*$/, '').toLowerCase().replace(/[\s.]+/g, '_').replace(/[^a-z0-9_+-]/g, '').slice(0, 64);

const errorText = (err: unknown, fallback: string) => (err instanceof ApiError ? err.message : fallback);

export function CustomEmojiDialog() {
  const all = useCustomEmoji();
  const canAdd = useCanAddEmoji();
  const [filter, setFilter] = useState('');
  const list = useMemo(() => searchCustomEmoji(filter, 1000, all), [filter, all]);

  return (
    <Modal title="Custom emoji" onClose={closeDialog} className="emoji-admin">
      <div className="modal__body">
        {canAdd ? <AddEmojiForm /> : <p className="muted emoji-admin__note">Only admins can add custom emoji in this workspace.</p>}
        <div className="emoji-admin__head">
          <h3>{Object.keys(all).length} custom emoji</h3>
          {Object.keys(all).length > 8 && (
            <input type="search" className="emoji-admin__filter" placeholder="Filter" aria-label="Filter custom emoji"
              value={filter} onChange={(e) => setFilter(e.target.value)} />
          )}
        </div>
        {list.length === 0 ? (
          <p className="muted">{filter ? 'No custom emoji match.' : 'No custom emoji yet.'}</p>
        ) : (
          <ul className="emoji-admin__list" aria-label="Custom emoji list">
            {list.map((e) => <EmojiRow key={e.name} name={e.name} url={e.url} userId={e.userId} />)}
          </ul>
        )}
      </div>
    </Modal>
  );
}

function EmojiRow({ name, url, userId }: { name: string; url: string; userId: string | null }) {
  const author = useStore((s) => (userId ? s.data.users[userId] : undefined));
  const emoji = useCustomEmoji()[name];
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await deleteCustomEmoji(name);
      toast(`:${name}: removed`);
    } catch (err) {
      toast(errorText(err, 'Could not remove the emoji.'));
      setBusy(false);
    }
  };
  return (
    <li className="emoji-admin__item" data-emoji={name}>
      <CustomEmojiImage name={name} url={url} className="emoji-admin__img" />
      <code>:{name}:</code>
      <span className="muted emoji-admin__by">{author ? `added by ${userName(author)}` : ''}</span>
      {emoji && canDeleteEmoji(emoji) && (
        <button type="button" className="icon-btn" aria-label={`Remove :${name}:`} title="Remove" disabled={busy} onClick={() => void remove()}>
          <Icon name="trash" size={16} />
        </button>
      )}
    </li>
  );
}

function AddEmojiForm() {
  const fileId = useId();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  // A local preview of the chosen image (a blob: URL, which the page's CSP allows).
  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file || !name || busy) return;
    setBusy(true);
    setError(null);
    try {
      const added = await addCustomEmoji(name, file);
      toast(`:${added.name}: added`);
      setName('');
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
    } catch (err) {
      setError(errorText(err, 'Could not add the emoji.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="emoji-admin__form" onSubmit={submit} aria-label="Add a custom emoji">
      <div className="field">
        <label htmlFor={fileId}>Image</label>
        <div className="emoji-admin__pick">
          <span className="emoji-admin__preview">{preview ? <img src={preview} alt="Preview of the chosen image" /> : <Icon name="smile" size={22} />}</span>
          <input ref={fileRef} id={fileId} type="file" accept="image/png,image/gif,image/webp,image/jpeg" aria-describedby={`${fileId}-hint`}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              setError(null);
              if (f && !name) setName(nameFromFile(f.name));
            }} />
        </div>
        <div className="field__hint" id={`${fileId}-hint`}>PNG, GIF, WebP or JPEG; square images look best.</div>
      </div>
      <Field label="Name" value={name} placeholder="partyparrot" maxLength={64} required
        hint="Used as :name: in messages: lowercase letters, digits, _ + and -."
        onChange={(e) => { setName(e.target.value.toLowerCase().replace(/^:|:$/g, '')); setError(null); }} />
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="modal__footer">
        {/* aria-disabled, not disabled: a disabled button drops the focus, and Esc would no longer reach the dialog. */}
        <button type="submit" className="btn btn--primary" aria-disabled={!file || !name || busy}>{busy ? 'Adding…' : 'Add emoji'}</button>
      </div>
    </form>
  );
}
