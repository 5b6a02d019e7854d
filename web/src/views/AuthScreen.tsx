// Sign in (views/auth/SignIn.tsx), or sign up (with an invite link, or freely when an admin opened sign-up).
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { Field } from '../components/Field';
import { navigate } from '../lib/router';
import { signUp } from '../store/session';
import { useStore } from '../store/store';
import { SignIn } from './auth/SignIn';

export function AuthScreen({ mode, invite }: { mode: 'login' | 'signup'; invite: string | null }) {
  // Signing in (providers, passkeys, two-factor) is its own screen; this one signs up.
  if (mode === 'login') return <SignIn />;
  return <SignUp invite={invite} />;
}

function SignUp({ invite }: { invite: string | null }) {
  const workspace = useStore((s) => s.workspace);
  const [inviteValid, setInviteValid] = useState<boolean | null>(null);
  const [form, setForm] = useState({ password: '', username: '', email: '', displayName: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  useEffect(() => {
    if (!invite) return;
    api.checkInvite(invite).then((r) => setInviteValid(r.valid), () => setInviteValid(false));
  }, [invite]);

  const canSignUp = invite ? inviteValid !== false : workspace?.openSignup;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signUp({
        username: form.username, email: form.email, password: form.password,
        displayName: form.displayName || undefined, inviteToken: invite ?? undefined,
      });
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
        <h1 id="auth-title">{`Join ${name}`}</h1>
        {!canSignUp ? (
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
        {canSignUp && (
          <button className="btn btn--primary btn--block" type="submit" disabled={busy}>{busy ? 'Please wait…' : 'Create account'}</button>
        )}
        <p className="auth__switch">
          Have an account? <a href="/login" onClick={(e) => { e.preventDefault(); navigate('/login'); }}>Sign in</a>
        </p>
      </form>
    </main>
  );
}
