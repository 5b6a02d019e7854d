// Two-factor with an authenticator app: set it up (QR code and the key to type by hand, then a
// code to prove it works), see how many recovery codes are left, make new ones, turn it off.
import type { TwoFactorStatus } from '@parley/protocol';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { security } from '../../api/security';
import { Field } from '../../components/Field';
import { problem } from '../../lib/useLoad';
import { toast } from '../../store/store';
import { RecoveryCodes } from './RecoveryCodes';

/** Groups the base32 key in fours, the way authenticator apps show it. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/** Setting up the app, from the QR code to the recovery codes; also used by the forced-enrolment screen. */
export function TotpEnrol({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const [setup, setSetup] = useState<{ secret: string; qrDataUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const started = useRef(false);
  const begin = async () => {
    setError(null);
    try {
      setSetup(await security.beginTotp());
    } catch (err) {
      setError(problem(err));
    }
  };
  // Each start makes a new secret, so start once (StrictMode runs effects twice in development).
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void begin();
  }, []);
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setCodes((await security.confirmTotp(code.replace(/\s+/g, ''))).recoveryCodes);
    } catch (err) {
      setError(problem(err));
    }
  };

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} />;
  if (!setup) {
    return (
      <div className="settings__actions">
        {error ? <><p className="form-error" role="alert">{error}</p><button type="button" className="btn" onClick={begin}>Try again</button></>
          : <p className="muted" role="status">Preparing…</p>}
        {onCancel && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
      </div>
    );
  }
  return (
    <form className="totp-setup" onSubmit={confirm} aria-label="Set up an authenticator app">
      <ol className="totp-setup__steps">
        <li>Scan this QR code with your authenticator app (1Password, Google Authenticator, Authy…).
          <img className="totp-setup__qr" src={setup.qrDataUrl} alt="QR code for your authenticator app" width={180} height={180} />
        </li>
        <li>Or type this key into the app by hand:
          <code className="totp-setup__key" aria-label="Setup key" data-secret={setup.secret}>{grouped(setup.secret)}</code>
        </li>
        <li>
          <Field label="Code from the app" value={code} onChange={(e) => setCode(e.target.value)} required inputMode="numeric"
            autoComplete="one-time-code" maxLength={8} autoFocus />
        </li>
      </ol>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="settings__actions">
        {onCancel && <button type="button" className="btn" onClick={onCancel}>Cancel</button>}
        <button type="submit" className="btn btn--primary">Turn on</button>
      </div>
    </form>
  );
}

/** Asks for what the server needs before a sensitive change, then runs it. */
function Confirm({ label, needCode, danger, onSubmit, onCancel }: {
  label: string; needCode: boolean; danger?: boolean; onCancel: () => void; onSubmit: (password: string, code: string) => Promise<void>;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await onSubmit(password, code.trim());
    } catch (err) {
      setError(problem(err));
    }
  };
  return (
    <form className="settings__confirm" onSubmit={submit} aria-label={label}>
      <Field label="Your password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus autoComplete="current-password" />
      {needCode && <Field label="Code from your app, or a recovery code" value={code} onChange={(e) => setCode(e.target.value)} required autoComplete="one-time-code" />}
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="settings__actions">
        <button type="button" className="btn" onClick={onCancel}>Cancel</button>
        <button type="submit" className={`btn ${danger ? 'btn--danger' : 'btn--primary'}`}>{label}</button>
      </div>
    </form>
  );
}

export function TwoFactorSection({ status, reload }: { status: TwoFactorStatus | null; reload: () => Promise<void> }) {
  const [mode, setMode] = useState<'idle' | 'enrol' | 'disable' | 'regenerate'>('idle');
  const [codes, setCodes] = useState<string[] | null>(null);
  const done = () => {
    setMode('idle');
    setCodes(null);
    void reload();
  };

  return (
    <section className="settings__section" aria-labelledby="twofactor-title">
      <h2 id="twofactor-title">Two-factor authentication</h2>
      <p className="muted">
        {status?.totp ? 'On: signing in asks for a code from your authenticator app (or a passkey).'
          : status && status.passkeys > 0 ? 'On through your passkeys. You can add an authenticator app too.'
            : 'Off. Add a second step to signing in, so a stolen password is not enough.'}
        {status?.required && !status.totp && status.passkeys === 0 && (
          <strong className="settings__warn"> Your workspace requires it{status.enrolBy ? ` by ${new Date(status.enrolBy).toLocaleDateString()}` : ''}.</strong>
        )}
      </p>
      {status && (status.totp || status.passkeys > 0) && (
        <p className="muted" data-testid="recovery-left">{status.recoveryCodesLeft} of 10 recovery codes left.</p>
      )}
      {codes ? <RecoveryCodes codes={codes} onDone={done} />
        : mode === 'enrol' ? <TotpEnrol onDone={done} onCancel={() => setMode('idle')} />
          : mode === 'disable' ? (
            <Confirm label="Turn off the authenticator app" needCode danger onCancel={() => setMode('idle')}
              onSubmit={async (password, code) => {
                await security.disableTotp(password, code);
                toast('Authenticator app turned off');
                done();
              }} />
          ) : mode === 'regenerate' ? (
            <Confirm label="Make new recovery codes" needCode={false} onCancel={() => setMode('idle')}
              onSubmit={async (password) => setCodes((await security.regenerateCodes(password)).recoveryCodes)} />
          ) : status && (
            <div className="settings__actions">
              {!status.totp && <button type="button" className="btn btn--primary" onClick={() => setMode('enrol')}>Set up an authenticator app</button>}
              {(status.totp || status.passkeys > 0) && <button type="button" className="btn" onClick={() => setMode('regenerate')}>New recovery codes</button>}
              {status.totp && <button type="button" className="btn btn--danger-text" onClick={() => setMode('disable')}>Turn off the app</button>}
            </div>
          )}
    </section>
  );
}
