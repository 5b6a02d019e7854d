// Admin → Single sign-on: OpenID Connect, SAML and LDAP providers, password sign-in on or off
// with break-glass admins, and "sync now" for LDAP. Secrets are never sent back by the server;
// a secret field left empty keeps the stored one.
import { useEffect, useState, type FormEvent } from 'react';
import { security } from '../../api/security';
import { problem, useLoad } from '../../lib/useLoad';
import { toast } from '../../store/store';

type Kind = 'oidc' | 'saml' | 'ldap';
type Draft = Record<string, unknown>;
interface Spec { key: string; label: string; secret?: boolean; kind?: 'text' | 'number' | 'certs' | 'json'; hint?: string }

const SPECS: Record<Kind, { title: string; fields: Spec[]; secretFlag?: string }> = {
  oidc: {
    title: 'OpenID Connect', secretFlag: 'hasClientSecret',
    fields: [
      { key: 'label', label: 'Button label', hint: 'Shown as “Sign in with …”' }, { key: 'issuer', label: 'Issuer URL' },
      { key: 'clientId', label: 'Client ID' }, { key: 'clientSecret', label: 'Client secret', secret: true },
      { key: 'scopes', label: 'Scopes' }, { key: 'groupsClaim', label: 'Groups claim' },
      { key: 'mapping', label: 'Group mapping (JSON)', kind: 'json', hint: '{"roles": {"group": "admin"}, "channels": {"group": ["channel"]}}' },
    ],
  },
  saml: {
    title: 'SAML',
    fields: [
      { key: 'label', label: 'Button label' }, { key: 'entryPoint', label: 'IdP sign-in URL (entry point)' },
      { key: 'spEntityId', label: 'Service provider entity ID' }, { key: 'idpCerts', label: 'IdP signing certificates (PEM)', kind: 'certs' },
      { key: 'emailAttribute', label: 'Email attribute' }, { key: 'usernameAttribute', label: 'Username attribute' },
      { key: 'groupsAttribute', label: 'Groups attribute' }, { key: 'mapping', label: 'Group mapping (JSON)', kind: 'json' },
    ],
  },
  ldap: {
    title: 'LDAP / Active Directory', secretFlag: 'hasBindPassword',
    fields: [
      { key: 'label', label: 'Label' }, { key: 'url', label: 'Server URL', hint: 'ldaps://ldap.example.com:636' },
      { key: 'bindDn', label: 'Bind DN' }, { key: 'bindPassword', label: 'Bind password', secret: true },
      { key: 'userBase', label: 'User base DN' }, { key: 'userFilter', label: 'User filter' },
      { key: 'groupBase', label: 'Group base DN' }, { key: 'syncIntervalMinutes', label: 'Sync every (minutes, 0 = never)', kind: 'number' },
      { key: 'mapping', label: 'Group mapping (JSON)', kind: 'json' },
    ],
  },
};

const CERT_END = '-----END CERTIFICATE-----';
const show = (spec: Spec, v: unknown): string =>
  spec.kind === 'json' ? (v ? JSON.stringify(v, null, 1) : '') : spec.kind === 'certs' ? ((v as string[] | undefined) ?? []).join('\n') : String(v ?? '');
function parse(spec: Spec, text: string): unknown {
  if (spec.kind === 'number') return Number(text) || 0;
  if (spec.kind === 'certs') return text.split(CERT_END).map((c) => c.trim()).filter(Boolean).map((c) => `${c}\n${CERT_END}`);
  if (spec.kind === 'json') return text.trim() ? JSON.parse(text) : undefined;
  return spec.key === 'groupBase' && !text.trim() ? null : text;
}

function ProviderForm({ kind, draft, setDraft, onSync }: { kind: Kind; draft: Draft | null; setDraft: (d: Draft | null) => void; onSync?: () => void }) {
  const spec = SPECS[kind];
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(spec.fields.map((f) => [f.key, f.secret ? '' : show(f, draft?.[f.key])])));
  const edit = (f: Spec, text: string) => {
    setTexts({ ...texts, [f.key]: text });
    try {
      setDraft({ ...draft, [f.key]: parse(f, text) });
    } catch {
      /* half-typed JSON: kept as text until it parses */
    }
  };
  return (
    <fieldset className="admin__provider" aria-label={spec.title}>
      <legend>{spec.title}</legend>
      <label className="check">
        <input type="checkbox" checked={!!draft && draft.enabled !== false}
          onChange={(e) => setDraft(e.target.checked ? { ...(draft ?? {}), enabled: true } : draft && { ...draft, enabled: false })} /> Enabled
      </label>
      {draft && spec.fields.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`sso-${kind}-${f.key}`}>{f.label}</label>
          {f.kind === 'json' || f.kind === 'certs'
            ? <textarea id={`sso-${kind}-${f.key}`} rows={f.kind === 'certs' ? 4 : 2} value={texts[f.key] ?? ''} onChange={(e) => edit(f, e.target.value)} spellCheck={false} />
            : <input id={`sso-${kind}-${f.key}`} type={f.secret ? 'password' : f.kind === 'number' ? 'number' : 'text'} value={texts[f.key] ?? ''}
              placeholder={f.secret && spec.secretFlag && draft[spec.secretFlag] ? 'Stored (leave empty to keep)' : undefined}
              onChange={(e) => edit(f, e.target.value)} autoComplete="off" />}
          {f.hint && <div className="field__hint">{f.hint}</div>}
        </div>
      ))}
      {onSync && draft?.enabled !== false && draft && <button type="button" className="btn" onClick={onSync}>Sync now</button>}
    </fieldset>
  );
}

/** What the PUT accepts: the draft without the server's "is a secret stored" flags or empty secrets. */
function body(s: Draft): Draft {
  const strip = (d: unknown, flag: string, secret: string) => {
    if (!d) return null;
    const { [flag]: _flag, [secret]: value, ...rest } = d as Draft;
    return { ...rest, ...(typeof value === 'string' && value && { [secret]: value }) };
  };
  return {
    passwordLogin: s.passwordLogin, breakGlassUsers: s.breakGlassUsers,
    oidc: strip(s.oidc, 'hasClientSecret', 'clientSecret'), saml: s.saml ?? null, ldap: strip(s.ldap, 'hasBindPassword', 'bindPassword'),
  };
}

export function SsoTab() {
  const { data, error, reload } = useLoad(() => security.sso());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Bumped on each load, so the provider forms start again from what the server now holds.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    setVersion((v) => v + 1);
    if (data) setDraft({ passwordLogin: true, breakGlassUsers: [], ...data.settings });
  }, [data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    try {
      await security.setSso(body(draft!));
      toast('Single sign-on saved');
      await reload();
    } catch (err) {
      setFailure(problem(err));
    }
  };
  const sync = async () => {
    setFailure(null);
    try {
      const r = await security.ldapSync();
      toast(`Directory synced: ${r.created} created, ${r.updated} updated, ${r.deactivated} deactivated`);
    } catch (err) {
      setFailure(problem(err));
    }
  };

  if (!draft) return <section className="admin__panel">{error ? <p className="form-error" role="alert">{error}</p> : <p className="muted">Loading…</p>}</section>;
  const part = (k: Kind) => (d: Draft | null) => setDraft({ ...draft, [k]: d });
  return (
    <form className="admin__panel" onSubmit={save} aria-labelledby="admin-sso-title">
      <h2 id="admin-sso-title">Single sign-on</h2>
      {data?.source === 'config' && <p className="muted">These settings come from the server configuration. Saving here replaces them.</p>}
      <label className="check">
        <input type="checkbox" checked={draft.passwordLogin !== false} onChange={(e) => setDraft({ ...draft, passwordLogin: e.target.checked })} /> Allow sign-in with a Parley password
      </label>
      {draft.passwordLogin === false && (
        <div className="field">
          <label htmlFor="sso-break-glass">Break-glass admins (usernames, comma-separated)</label>
          <input id="sso-break-glass" value={((draft.breakGlassUsers as string[]) ?? []).join(', ')}
            onChange={(e) => setDraft({ ...draft, breakGlassUsers: e.target.value.split(',').map((u) => u.trim()).filter(Boolean) })} />
          <div className="field__hint">They can still sign in with their password if the identity provider is down.</div>
        </div>
      )}
      <ProviderForm key={`oidc${version}`} kind="oidc" draft={draft.oidc as Draft | null} setDraft={part('oidc')} />
      <ProviderForm key={`saml${version}`} kind="saml" draft={draft.saml as Draft | null} setDraft={part('saml')} />
      <ProviderForm key={`ldap${version}`} kind="ldap" draft={draft.ldap as Draft | null} setDraft={part('ldap')} onSync={sync} />
      {failure && <p className="form-error" role="alert">{failure}</p>}
      <div className="settings__actions"><button type="submit" className="btn btn--primary">Save single sign-on</button></div>
    </form>
  );
}
