// Admin → Security: whom two-factor is required of, and how many days people have to set it up
// before signing in without it only lets them enrol.
import type { TwoFactorRequirement } from '@parley/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { security } from '../../api/security';
import { problem, useLoad } from '../../lib/useLoad';
import { toast } from '../../store/store';

const CHOICES: Array<{ value: TwoFactorRequirement; label: string }> = [
  { value: 'off', label: 'Optional: people choose' },
  { value: 'admins', label: 'Required of admins' },
  { value: 'everyone', label: 'Required of everyone' },
];

export function SecurityTab() {
  const { data, error, reload } = useLoad(() => security.policy());
  const [require, setRequire] = useState<TwoFactorRequirement>('off');
  const [graceDays, setGraceDays] = useState(7);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!data) return;
    setRequire(data.require);
    setGraceDays(data.graceDays);
  }, [data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    try {
      await security.setPolicy(require, graceDays);
      toast('Two-factor policy saved');
      await reload();
    } catch (err) {
      setFailure(problem(err));
    }
  };

  return (
    <form className="admin__panel" onSubmit={save} aria-labelledby="admin-security-title">
      <h2 id="admin-security-title">Two-factor authentication</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      <fieldset className="field">
        <legend>Require a second sign-in step</legend>
        {CHOICES.map((c) => (
          <label key={c.value} className="check"><input type="radio" name="require" checked={require === c.value} onChange={() => setRequire(c.value)} /> {c.label}</label>
        ))}
      </fieldset>
      <div className="field field--narrow">
        <label htmlFor="grace-days">Grace period (days)</label>
        <input id="grace-days" type="number" min={0} max={365} value={graceDays} disabled={require === 'off'} onChange={(e) => setGraceDays(Number(e.target.value))} />
        <div className="field__hint">Until then people are reminded; after it, they must set it up before they can do anything else. 0 enforces it now.</div>
      </div>
      {data?.enforceAt && data.require !== 'off' && (
        <p className="muted" role="status">Enforced from {new Date(data.enforceAt).toLocaleString()}.</p>
      )}
      {failure && <p className="form-error" role="alert">{failure}</p>}
      <div className="settings__actions"><button type="submit" className="btn btn--primary">Save policy</button></div>
    </form>
  );
}
