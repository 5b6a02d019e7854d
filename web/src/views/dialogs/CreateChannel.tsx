// Create a channel: name (made into a slug as you type), public or private, topic.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { createChannel } from '../../store/actions';
import { closeDialog } from '../../store/ui';

export const slugify = (s: string) => s.toLowerCase().replace(/[\s.]+/g, '-').replace(/[^a-z0-9_-]/g, '').replace(/^[-_]+/, '').slice(0, 80);

export function CreateChannel() {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [priv, setPriv] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createChannel({ name, kind: priv ? 'private' : 'public', topic: topic || undefined });
      closeDialog();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not create the channel.');
      setBusy(false);
    }
  };

  return (
    <Modal title="Create a channel" onClose={closeDialog}>
      <form className="modal__body" onSubmit={submit}>
        <Field label="Name" value={name} onChange={(e) => setName(slugify(e.target.value))} required autoFocus placeholder="e.g. plan-budget"
          hint="Lowercase letters, numbers, dashes and underscores." />
        <Field label="Topic (optional)" value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={250} placeholder="What is it about?" />
        <label className="toggle">
          <input type="checkbox" checked={priv} onChange={(e) => setPriv(e.target.checked)} />
          <span><strong>Make private</strong><br /><span className="muted">Only people you add can see and join it.</span></span>
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="modal__footer">
          <button type="button" className="btn" onClick={closeDialog}>Cancel</button>
          <button type="submit" className="btn btn--primary" disabled={!name || busy}>Create</button>
        </div>
      </form>
    </Modal>
  );
}
