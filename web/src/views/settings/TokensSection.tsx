// Personal access tokens for scripts and integrations: a name, scopes and an expiry; the
// secret is shown once, right after creating it.
import type { AccessToken, TokenScope } from '@parley/protocol';
import { useState, type FormEvent } from 'react';
import { security } from '../../api/security';
import { Field } from '../../components/Field';
import { problem, useLoad } from '../../lib/useLoad';
import { toast, useStore } from '../../store/store';
import { ConfirmButton } from './ConfirmButton';
import { formatWhen } from './format';

const SCOPES: Array<{ scope: TokenScope; label: string }> = [
  { scope: 'read', label: 'read: look, never change (GET only)' },
  { scope: 'write', label: 'write: everything you can do as a member' },
  { scope: 'admin', label: 'admin: also admin actions' },
];
const EXPIRY = [7, 30, 90, 365, 0];

export function TokensSection() {
  const isAdmin = useStore((s) => s.data.users[s.data.me]?.role === 'admin');
  const { data, error, reload } = useLoad(() => security.tokens());
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['read']);
  const [days, setDays] = useState(90);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const toggle = (s: TokenScope) => setScopes(scopes.includes(s) ? scopes.filter((x) => x !== s) : [...scopes, s]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (scopes.length === 0) return setFailure('Pick at least one scope.');
    try {
      const r = await security.createToken({ name: name.trim(), scopes, ...(days > 0 && { expiresInDays: days }) });
      setCreated({ name: r.token.name, secret: r.secret });
      setName('');
      await reload();
    } catch (err) {
      setFailure(problem(err));
    }
  };
  const revoke = async (t: AccessToken) => {
    try {
      await security.revokeToken(t.id);
      toast(`Token “${t.name}” revoked`);
    } catch (err) {
      setFailure(problem(err));
    }
    await reload();
  };

  return (
    <section className="settings__section" aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="muted">For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. Tokens cannot change passwords, sessions or two-factor.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {created && (
        <div className="token-once" role="region" aria-label="New token">
          <p><strong>Copy “{created.name}” now.</strong> It will not be shown again.</p>
          <div className="token-once__row">
            <input readOnly value={created.secret} aria-label="Token" onFocus={(e) => e.target.select()} />
            <button type="button" className="btn" onClick={async () => { await navigator.clipboard.writeText(created.secret); toast('Token copied'); }}>Copy</button>
            <button type="button" className="btn" onClick={() => setCreated(null)}>Done</button>
          </div>
        </div>
      )}
      {data && data.tokens.length > 0 && (
        <ul className="settings__list" aria-label="Your tokens">
          {data.tokens.map((t) => (
            <li key={t.id} className="settings__row">
              <div>
                <strong>{t.name}</strong> {t.scopes.map((s) => <span key={s} className="pill">{s}</span>)}
                <div className="muted">Created {formatWhen(t.createdAt)} · last used {formatWhen(t.lastUsedAt)} · {t.expiresAt ? `expires ${formatWhen(t.expiresAt)}` : 'never expires'}</div>
              </div>
              <ConfirmButton label="Revoke" confirmLabel="Revoke token" ariaLabel={`Revoke token ${t.name}`} onConfirm={() => revoke(t)} />
            </li>
          ))}
        </ul>
      )}
      <form className="settings__inline-form" onSubmit={create} aria-label="Create a token">
        <Field label="Token name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="Deploy bot" />
        <fieldset className="field">
          <legend>Scopes</legend>
          {SCOPES.filter((s) => s.scope !== 'admin' || isAdmin).map((s) => (
            <label key={s.scope} className="check"><input type="checkbox" checked={scopes.includes(s.scope)} onChange={() => toggle(s.scope)} /> {s.label}</label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="token-expiry">Expires</label>
          <select id="token-expiry" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY.map((d) => <option key={d} value={d}>{d === 0 ? 'Never' : `In ${d} days`}</option>)}
          </select>
        </div>
        {failure && <p className="form-error" role="alert">{failure}</p>}
        <div className="settings__actions"><button type="submit" className="btn btn--primary">Create token</button></div>
      </form>
    </section>
  );
}
