// Passkeys: a second factor and a way to sign in without a password. Add one (named, so the
// list says which device it lives on), see them, remove them.
import type { Passkey } from '@parley/protocol';
import { useState, type FormEvent } from 'react';
import { security } from '../../api/security';
import { Field } from '../../components/Field';
import { formatWhen } from './format';
import { problem, useLoad } from '../../lib/useLoad';
import { createPasskey, passkeyProblem, passkeysSupported } from '../../lib/webauthn';
import { ApiError } from '../../api/http';
import { toast } from '../../store/store';
import { ConfirmButton } from './ConfirmButton';
import { RecoveryCodes } from './RecoveryCodes';

/** Naming and creating a passkey; the first second factor comes with recovery codes. Also used by forced enrolment. */
export function AddPasskey({ onAdded, onCancel }: { onAdded: () => void; onCancel?: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const start = await security.passkeyOptions();
      const added = await security.addPasskey(start.challengeId, await createPasskey(start.options), name.trim());
      toast(`Passkey “${added.passkey.name}” added`);
      if (added.recoveryCodes) setCodes(added.recoveryCodes);
      else onAdded();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : passkeyProblem(err));
    }
    setBusy(false);
  };

  if (codes) return <RecoveryCodes codes={codes} onDone={onAdded} />;
  if (!passkeysSupported()) return <p className="muted">This browser cannot create passkeys.</p>;
  return (
    <form className="settings__inline-form" onSubmit={add} aria-label="Add a passkey">
      <Field label="Passkey name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} placeholder="Work laptop" />
      <div className="settings__actions">
        {onCancel && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="btn btn--primary" disabled={busy}>{busy ? 'Waiting for your device…' : 'Create passkey'}</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}

export function PasskeysSection({ onChange }: { onChange: () => void }) {
  const { data, error, reload } = useLoad(() => security.passkeys());
  const [adding, setAdding] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const remove = async (p: Passkey) => {
    try {
      await security.removePasskey(p.id);
      toast('Passkey removed');
      await reload();
      onChange();
    } catch (err) {
      setFailure(problem(err));
    }
  };

  return (
    <section className="settings__section" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">Sign in with your fingerprint, face or device PIN instead of a password, or use a passkey as your second step.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {data && data.passkeys.length > 0 && (
        <ul className="settings__list" aria-label="Your passkeys">
          {data.passkeys.map((p) => (
            <li key={p.id} className="settings__row">
              <div>
                <strong>{p.name}</strong>
                <div className="muted">Added {formatWhen(p.createdAt)} · {p.lastUsedAt ? `last used ${formatWhen(p.lastUsedAt)}` : 'never used'}{p.backedUp ? ' · synced' : ''}</div>
              </div>
              <ConfirmButton label="Remove" confirmLabel="Remove passkey" ariaLabel={`Remove passkey ${p.name}`} onConfirm={() => remove(p)} />
            </li>
          ))}
        </ul>
      )}
      {failure && <p className="form-error" role="alert">{failure}</p>}
      {adding
        ? <AddPasskey onAdded={() => { setAdding(false); void reload(); onChange(); }} onCancel={() => setAdding(false)} />
        : <div className="settings__actions"><button type="button" className="btn" onClick={() => setAdding(true)}>Add a passkey</button></div>}
    </section>
  );
}
