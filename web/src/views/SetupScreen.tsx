// First run: the first visitor names the workspace and creates the admin account.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/http';
import { Field } from '../components/Field';
import { save } from '../lib/storage';
import { signUp } from '../store/session';

export function SetupScreen() {
  const [form, setForm] = useState({ workspaceName: '', displayName: '', username: '', email: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      save('welcome', true);
      await signUp({ ...form, displayName: form.displayName || undefined });
    } catch (err) {
      save('welcome', null);
      setError(err instanceof ApiError ? err.message : 'Could not create the workspace.');
      setBusy(false);
    }
  };

  return (
    <main className="auth">
      <form className="auth__card" onSubmit={submit} aria-labelledby="setup-title">
        <div className="auth__logo" aria-hidden="true" />
        <h1 id="setup-title">Set up Parley</h1>
        <p className="auth__lead">Name your workspace and create the admin account. You can invite your team next.</p>
        <Field label="Workspace name" value={form.workspaceName} onChange={set('workspaceName')} required maxLength={80}
          placeholder="Acme Inc." autoFocus />
        <Field label="Your full name" value={form.displayName} onChange={set('displayName')} maxLength={80} placeholder="Ada Lovelace" autoComplete="name" />
        <Field label="Username" value={form.username} onChange={set('username')} required minLength={2} maxLength={32}
          placeholder="ada" autoComplete="username" hint="Letters, digits, dots, dashes; people @mention you by it." />
        <Field label="Email" type="email" value={form.email} onChange={set('email')} required autoComplete="email" placeholder="ada@example.com" />
        <Field label="Password" type="password" value={form.password} onChange={set('password')} required autoComplete="new-password"
          hint="At least 12 characters." />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button className="btn btn--primary btn--block" type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create workspace'}</button>
      </form>
    </main>
  );
}
