// "Forgot password?" (a link by email, when the server has SMTP) and the page a reset link
// opens (/reset-password?token=…, as actions/password-reset.ts writes it, or /reset-password/<token>).
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../api/http';
import { security } from '../../api/security';
import { Field } from '../../components/Field';
import { navigate } from '../../lib/router';

function Card({ title, children, onSubmit }: { title: string; children: ReactNode; onSubmit?: (e: FormEvent) => void }) {
  return (
    <main className="auth">
      <form className="auth__card" onSubmit={onSubmit ?? ((e) => e.preventDefault())} aria-labelledby="auth-title">
        <div className="auth__logo" aria-hidden="true" />
        <h1 id="auth-title">{title}</h1>
        {children}
        <p className="auth__switch">
          <a href="/login" onClick={(e) => { e.preventDefault(); navigate('/login'); }}>Back to sign-in</a>
        </p>
      </form>
    </main>
  );
}

export function ForgotPassword() {
  const [login, setLogin] = useState('');
  const [state, setState] = useState<'form' | 'busy' | 'sent'>('form');
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState('busy');
    setError(null);
    try {
      await security.requestReset(login.trim());
      setState('sent');
    } catch (err) {
      // email_disabled says, in the server's words, to ask an admin for a link instead.
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
      setState('form');
    }
  };

  if (state === 'sent') {
    return (
      <Card title="Check your email">
        <p className="auth__lead" role="status">If an account matches <strong>{login}</strong>, a link to choose a new password is on its way.</p>
      </Card>
    );
  }
  return (
    <Card title="Reset your password" onSubmit={submit}>
      <p className="auth__lead">Enter your username or email and we will send you a link.</p>
      <Field label="Username or email" value={login} onChange={(e) => setLogin(e.target.value)} required autoFocus autoComplete="username" />
      {error && <p className="form-error" role="alert">{error}</p>}
      <button className="btn btn--primary btn--block" type="submit" disabled={state === 'busy'}>Send reset link</button>
    </Card>
  );
}

export function ResetPassword({ token }: { token: string | null }) {
  const [valid, setValid] = useState<boolean | null>(token ? null : false);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<'form' | 'busy' | 'done'>('form');

  useEffect(() => {
    if (token) security.checkReset(token).then((r) => setValid(r.valid), () => setValid(false));
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== again) return setError('The two passwords differ.');
    setState('busy');
    setError(null);
    try {
      await security.reset(token!, password);
      setState('done');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Something went wrong.');
      setState('form');
    }
  };

  if (state === 'done') {
    return (
      <Card title="Password changed">
        <p className="auth__lead" role="status">Your new password is set, and every device was signed out. Sign in again with it.</p>
      </Card>
    );
  }
  if (valid === false) {
    return (
      <Card title="Reset your password">
        <p className="auth__lead" role="alert">This reset link is unknown, expired or already used. Ask for a new one.</p>
      </Card>
    );
  }
  return (
    <Card title="Choose a new password" onSubmit={submit}>
      {valid === null ? <p className="auth__lead" role="status">Checking your link…</p> : (
        <>
          <Field label="New password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus
            autoComplete="new-password" hint="At least 12 characters; common passwords are refused." />
          <Field label="Repeat the new password" type="password" value={again} onChange={(e) => setAgain(e.target.value)} required autoComplete="new-password" />
          {error && <p className="form-error" role="alert">{error}</p>}
          <button className="btn btn--primary btn--block" type="submit" disabled={state === 'busy'}>Set new password</button>
        </>
      )}
    </Card>
  );
}
