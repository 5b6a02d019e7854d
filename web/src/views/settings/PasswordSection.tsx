// Changing my password: the current one proves it is me; the server's policy decides what is
// strong enough and its sentence (too short, too common, contains the username) is shown as is.
import { useState, type FormEvent } from 'react';
import { security } from '../../api/security';
import { Field } from '../../components/Field';
import { problem } from '../../lib/useLoad';
import { toast } from '../../store/store';

export function PasswordSection() {
  const [form, setForm] = useState({ current: '', next: '', again: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.next !== form.again) return setError('The two new passwords differ.');
    setBusy(true);
    setError(null);
    try {
      await security.changePassword(form.current, form.next);
      setForm({ current: '', next: '', again: '' });
      toast('Password changed');
    } catch (err) {
      setError(problem(err));
    }
    setBusy(false);
  };

  return (
    <section className="settings__section" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="settings__inline-form" onSubmit={submit} aria-label="Change password">
        <Field label="Current password" type="password" value={form.current} onChange={set('current')} required autoComplete="current-password" />
        <Field label="New password" type="password" value={form.next} onChange={set('next')} required autoComplete="new-password"
          hint="At least 12 characters. Common passwords and ones containing your username or email are refused." />
        <Field label="Repeat the new password" type="password" value={form.again} onChange={set('again')} required autoComplete="new-password" />
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="settings__actions"><button type="submit" className="btn btn--primary" disabled={busy}>Change password</button></div>
      </form>
    </section>
  );
}
