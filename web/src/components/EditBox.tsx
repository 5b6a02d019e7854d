// Editing a message in place: Enter saves, Shift+Enter breaks the line, Esc cancels.
import { useEffect, useRef, useState } from 'react';
import { editMessage } from '../store/actions';
import { setStore } from '../store/store';
import { autosize } from './autosize';

export function EditBox({ id, text }: { id: string; text: string }) {
  const [value, setValue] = useState(text);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current!;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    autosize(el);
  }, []);
  const cancel = () => setStore({ editing: null });
  const save = () => {
    if (!value.trim()) return;
    if (value === text) return cancel();
    void editMessage(id, value);
  };
  return (
    <div className="edit-box">
      <textarea ref={ref} aria-label="Edit message" value={value} rows={1}
        onChange={(e) => { setValue(e.target.value); autosize(e.target); }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); cancel(); }
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) { e.preventDefault(); save(); }
        }} />
      <div className="edit-box__buttons">
        <span className="muted">Enter to save · Esc to cancel</span>
        <button type="button" className="btn btn--small" onClick={cancel}>Cancel</button>
        <button type="button" className="btn btn--small btn--primary" onClick={save} disabled={!value.trim()}>Save</button>
      </div>
    </div>
  );
}
