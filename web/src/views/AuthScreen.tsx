// Sign in, or sign up (with an invite link, or freely when an admin opened sign-up).
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { Field } from '../components/Field';
import { navigate } from '../lib/router';
import { signIn, signUp } from '../store/session';
import { useStore } from '../store/store';

export function AuthScreen({ mode, invite }: { mode: 'login' | 'signup'; invite: string | null }) {
  const workspace = useStore((s) => s.workspace);
  const [inviteValid, setInviteValid] = useState<boolean | null>(null);
  const [form, setForm] = useState({ login: '', password: '', username: '', email: '', displayName: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  useEffect(() => {
    if (mode !== 'signup' || !invite) return;
    api.checkInvite(invite).then((r) => setInviteValid(r.valid), () => setInviteValid(false));
  }, [mode, invite]);

  const canSignUp = mode === 'signup' && (invite ? inviteValid !== false : workspace?.openSignup);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await signIn(form.login, form.password);
      else {
        await signUp({
          username: form.username, email: form.email, password: form.password,
          displayName: form.displayName || undefined, inviteToken: invite ?? undefined,
        });
      }
      navigate('/', { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
      setBusy(false);
    }
  };

  const name = workspace?.name || 'Parley';
  return (
    <main className="auth">
      <form className="auth__card" onSubmit={submit} aria-labelledby="auth-title">
        <div className="auth__logo" aria-hidden="true" />
        <h1 id="auth-title">{mode === 'login' ? `Sign in to ${name}` : `Join ${name}`}</h1>
        {mode === 'login' ? (
          <>
            <Field label="Username or email" value={form.login} onChange={set('login')} required autoComplete="username" autoFocus />
            <Field label="Password" type="password" value={form.password} onChange={set('password')} required autoComplete="current-password" />
          </>
        ) : !canSignUp ? (
          <p className="auth__lead" role="alert">
            {invite ? (inviteValid === null ? 'Checking your invite…' : 'This invite link is unknown, expired or already used. Ask an admin for a new one.')
              : 'Joining this workspace needs an invite link from an admin.'}
          </p>
        ) : (
          <>
            <p className="auth__lead">Create your account.</p>
            <Field label="Full name" value={form.displayName} onChange={set('displayName')} maxLength={80} autoComplete="name" autoFocus />
            <Field label="Username" value={form.username} onChange={set('username')} required minLength={2} maxLength={32} autoComplete="username" />
            <Field label="Email" type="email" value={form.email} onChange={set('email')} required autoComplete="email" />
            <Field label="Password" type="password" value={form.password} onChange={set('password')} required autoComplete="new-password" hint="At least 12 characters." />
          </>
        )}
        {error && <p className="form-error" role="alert">{error}</p>}
        {(mode === 'login' || canSignUp) && (
          <button className="btn btn--primary btn--block" type="submit" disabled={busy}>
            {busy ? 'Please wait…' : mode === 'login' ? 'Sign in' : 'Create account'}
          </button>
        )}
        <p className="auth__switch">
          {mode === 'login'
            ? workspace?.openSignup && <>New here? <a href="/signup" onClick={(e) => { e.preventDefault(); navigate('/signup'); }}>Create an account</a></>
            : <>Have an account? <a href="/login" onClick={(e) => { e.preventDefault(); navigate('/login'); }}>Sign in</a></>}
        </p>
      </form>
    </main>
  );
}
