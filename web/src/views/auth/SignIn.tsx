// The sign-in card: the providers the server offers (OIDC/SAML buttons, an LDAP form), the
// password form unless an admin turned it off (then only a small break-glass link), passwordless
// passkeys, and the second step when the account has two-factor on. A browser sent back from
// SSO with a second factor to give arrives as /login#sso_challenge=<challenge>.
import type { LoginChallenge } from '@parley/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http';
import { security, type Provider } from '../../api/security';
import { Field } from '../../components/Field';
import { navigate } from '../../lib/router';
import { answerWithPasskey, passkeyProblem, passkeysSupported } from '../../lib/webauthn';
import { completeSignIn, signIn } from '../../store/session';
import { useStore } from '../../store/store';
import { SecondFactor } from './SecondFactor';

type Challenge = Pick<LoginChallenge, 'challenge' | 'methods'>;

function challengeFromHash(): Challenge | null {
  const c = new URLSearchParams(location.hash.slice(1)).get('sso_challenge');
  if (!c) return null;
  history.replaceState(null, '', location.pathname + location.search);
  // SSO stands in for the password; the server says which second factors the account has.
  return { challenge: c, methods: ['totp', 'recovery', 'passkey'] };
}

export function SignIn() {
  const workspace = useStore((s) => s.workspace);
  const [options, setOptions] = useState<{ passwordLogin: boolean; providers: Provider[] } | null>(null);
  const [challenge, setChallenge] = useState<Challenge | null>(challengeFromHash);
  const [form, setForm] = useState({ login: '', password: '' });
  const [ldap, setLdap] = useState(false);
  const [breakGlass, setBreakGlass] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    security.providers().then(setOptions, () => setOptions({ passwordLogin: true, providers: [] }));
  }, []);

  const fail = (err: unknown) => {
    setError(err instanceof ApiError ? err.message : passkeyProblem(err));
    setBusy(false);
  };
  const landed = () => navigate('/', { replace: true });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await signIn(form.login, form.password, ldap);
      if (next) {
        setChallenge(next);
        setBusy(false);
      } else landed();
    } catch (err) {
      fail(err);
    }
  };

  const passwordless = async () => {
    setBusy(true);
    setError(null);
    try {
      const start = await security.passkeyLoginOptions();
      const next = completeSignIn(await security.passkeyLogin(start.challengeId, await answerWithPasskey(start.options)));
      if (next) {
        setChallenge(next);
        setBusy(false);
      } else landed();
    } catch (err) {
      fail(err);
    }
  };

  const name = workspace?.name || 'Parley';
  if (challenge) {
    return <SecondFactor challenge={challenge} onBack={() => { setChallenge(null); setError(null); }} onDone={landed} />;
  }
  const redirects = options?.providers.filter((p) => p.kind === 'redirect') ?? [];
  const ldapProvider = options?.providers.find((p) => p.kind === 'password');
  const showPassword = !options || options.passwordLogin || breakGlass || ldap;
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  return (
    <main className="auth">
      <form className="auth__card" onSubmit={submit} aria-labelledby="auth-title">
        <div className="auth__logo" aria-hidden="true" />
        <h1 id="auth-title">Sign in to {name}</h1>
        {redirects.length > 0 && (
          <div className="auth__providers">
            {redirects.map((p) => (
              // A full page load: the provider's pages are not part of this app.
              <a key={p.id} className="btn btn--block auth__provider" href={p.loginUrl}>Sign in with {p.label}</a>
            ))}
          </div>
        )}
        {ldapProvider && (
          <div className="auth__segmented" role="group" aria-label="Account type">
            <button type="button" className={`btn btn--small${ldap ? ' btn--on' : ''}`} aria-pressed={ldap} onClick={() => setLdap(true)}>{ldapProvider.label}</button>
            {(options?.passwordLogin || breakGlass) && (
              <button type="button" className={`btn btn--small${!ldap ? ' btn--on' : ''}`} aria-pressed={!ldap} onClick={() => setLdap(false)}>Parley account</button>
            )}
          </div>
        )}
        {redirects.length > 0 && showPassword && <div className="auth__or"><span>or</span></div>}
        {showPassword && (
          <>
            <Field label={ldap ? `${ldapProvider?.label ?? 'Directory'} username` : 'Username or email'} value={form.login} onChange={set('login')}
              required autoComplete="username webauthn" autoFocus={redirects.length === 0} />
            <Field label="Password" type="password" value={form.password} onChange={set('password')} required autoComplete="current-password" />
          </>
        )}
        {error && <p className="form-error" role="alert">{error}</p>}
        {showPassword && (
          <button className="btn btn--primary btn--block" type="submit" disabled={busy}>{busy ? 'Please wait…' : 'Sign in'}</button>
        )}
        {passkeysSupported() && (
          <button type="button" className="btn btn--block auth__passkey" onClick={passwordless} disabled={busy}>Sign in with a passkey</button>
        )}
        <p className="auth__switch">
          {showPassword && !ldap && <a href="/forgot-password" onClick={(e) => { e.preventDefault(); navigate('/forgot-password'); }}>Forgot password?</a>}
          {options && !options.passwordLogin && !breakGlass && !ldap && (
            <button type="button" className="link-btn auth__break-glass" onClick={() => setBreakGlass(true)}>Administrator sign-in with password</button>
          )}
        </p>
        {workspace?.openSignup && (
          <p className="auth__switch">New here? <a href="/signup" onClick={(e) => { e.preventDefault(); navigate('/signup'); }}>Create an account</a></p>
        )}
      </form>
    </main>
  );
}
