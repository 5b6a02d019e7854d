// The second step of a sign-in: a code from the authenticator app, one of the recovery codes,
// or a passkey. The challenge came from the first step (password, LDAP, passkey or SSO).
import type { LoginChallenge } from '@parley/protocol';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http';
import { security } from '../../api/security';
import { Field } from '../../components/Field';
import { answerWithPasskey, passkeyProblem } from '../../lib/webauthn';
import { completeSignIn } from '../../store/session';

type Method = 'totp' | 'recovery';

export function SecondFactor({ challenge, onBack, onDone }: {
  challenge: Pick<LoginChallenge, 'challenge' | 'methods'>; onBack: () => void; onDone: () => void;
}) {
  const has = (m: LoginChallenge['methods'][number]) => challenge.methods.includes(m);
  const [method, setMethod] = useState<Method>(has('totp') ? 'totp' : 'recovery');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const finish = async (answer: { code?: string; recoveryCode?: string; passkey?: unknown }) => {
    setBusy(true);
    setError(null);
    try {
      completeSignIn(await security.secondFactor({ challenge: challenge.challenge, ...answer }));
      onDone();
    } catch (err) {
      // An expired or used-up challenge cannot be answered again: back to the first step.
      if (err instanceof ApiError && err.code === 'challenge_invalid') return onBack();
      setError(err instanceof ApiError ? err.message : passkeyProblem(err));
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    void finish(method === 'totp' ? { code: value.replace(/\s+/g, '') } : { recoveryCode: value });
  };

  const passkey = async () => {
    try {
      const { options } = await security.secondFactorPasskeyOptions(challenge.challenge);
      await finish({ passkey: await answerWithPasskey(options) });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : passkeyProblem(err));
    }
  };

  return (
    <main className="auth">
      <form className="auth__card" onSubmit={submit} aria-labelledby="auth-title">
        <div className="auth__logo" aria-hidden="true" />
        <h1 id="auth-title">Two-factor authentication</h1>
        {method === 'totp' ? (
          <>
            <p className="auth__lead">Enter the 6-digit code from your authenticator app.</p>
            <Field label="Authentication code" value={code} onChange={(e) => setCode(e.target.value)} required autoFocus
              inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,8}" maxLength={8} />
          </>
        ) : (
          <>
            <p className="auth__lead">Enter one of the recovery codes you saved. Each works once.</p>
            <Field label="Recovery code" value={code} onChange={(e) => setCode(e.target.value)} required autoFocus autoComplete="off" spellCheck={false} />
          </>
        )}
        {error && <p className="form-error" role="alert">{error}</p>}
        <button className="btn btn--primary btn--block" type="submit" disabled={busy}>{busy ? 'Checking…' : 'Verify'}</button>
        {has('passkey') && <button type="button" className="btn btn--block auth__passkey" onClick={passkey} disabled={busy}>Use a passkey instead</button>}
        <p className="auth__switch auth__alternatives">
          {method === 'totp' && has('recovery') && (
            <button type="button" className="link-btn" onClick={() => { setMethod('recovery'); setCode(''); setError(null); }}>Use a recovery code</button>
          )}
          {method === 'recovery' && has('totp') && (
            <button type="button" className="link-btn" onClick={() => { setMethod('totp'); setCode(''); setError(null); }}>Use the authenticator app</button>
          )}
          <button type="button" className="link-btn" onClick={onBack}>Back to sign-in</button>
        </p>
      </form>
    </main>
  );
}
