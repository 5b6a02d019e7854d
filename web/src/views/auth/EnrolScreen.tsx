// Forced two-factor enrolment: the workspace requires a second factor, the grace period is over,
// and this session may do nothing else until one is set up (then it becomes a full session).
import { useState } from 'react';
import { signOut, enrolmentDone } from '../../store/session';
import { useStore } from '../../store/store';
import { AddPasskey } from '../settings/PasskeysSection';
import { TotpEnrol } from '../settings/TwoFactorSection';

export function EnrolScreen() {
  const workspace = useStore((s) => s.workspace);
  const [method, setMethod] = useState<'choose' | 'totp' | 'passkey'>('choose');
  const done = () => void enrolmentDone();
  return (
    <main className="auth">
      <div className="auth__card auth__card--wide" role="region" aria-labelledby="auth-title">
        <div className="auth__logo" aria-hidden="true" />
        <h1 id="auth-title">Set up two-factor authentication</h1>
        <p className="auth__lead">{workspace?.name || 'This workspace'} requires a second sign-in step for your account. Set one up to continue.</p>
        {method === 'choose' && (
          <div className="auth__providers">
            <button type="button" className="btn btn--primary btn--block" onClick={() => setMethod('totp')}>Use an authenticator app</button>
            <button type="button" className="btn btn--block" onClick={() => setMethod('passkey')}>Use a passkey</button>
          </div>
        )}
        {method === 'totp' && <TotpEnrol onDone={done} onCancel={() => setMethod('choose')} />}
        {method === 'passkey' && <AddPasskey onAdded={done} onCancel={() => setMethod('choose')} />}
        <p className="auth__switch"><button type="button" className="link-btn" onClick={() => void signOut()}>Sign out</button></p>
      </div>
    </main>
  );
}
