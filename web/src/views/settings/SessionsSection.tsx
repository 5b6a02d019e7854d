// My signed-in devices: which client, from where, last seen; end one, or all but this one.
// Ending a session closes its sockets at once, so that device is signed out live.
import type { SessionInfo } from '@parley/protocol';
import { useState } from 'react';
import { security } from '../../api/security';
import { problem, useLoad } from '../../lib/useLoad';
import { toast } from '../../store/store';
import { ConfirmButton } from './ConfirmButton';
import { formatWhen } from './format';

export function SessionsSection() {
  const { data, error, reload } = useLoad(() => security.sessions());
  const [failure, setFailure] = useState<string | null>(null);
  const sessions = data?.sessions ?? [];
  const others = sessions.filter((s) => !s.current);

  const revoke = async (list: SessionInfo[]) => {
    setFailure(null);
    try {
      for (const s of list) await security.revokeSession(s.id);
      toast(list.length === 1 ? 'Signed out of that device' : `Signed out of ${list.length} other devices`);
    } catch (err) {
      setFailure(problem(err));
    }
    await reload();
  };

  return (
    <section className="settings__section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul className="settings__list" aria-label="Your sessions">
        {sessions.map((s) => (
          <li key={s.id} className="settings__row" data-session-id={s.id}>
            <div>
              <strong>{s.client || 'Unknown client'}</strong>
              {s.current && <span className="pill pill--ok">This device</span>}
              <div className="muted">{s.ip || 'unknown address'} · last seen {formatWhen(s.lastSeenAt)} · signed in {formatWhen(s.createdAt)}</div>
            </div>
            {!s.current && <ConfirmButton label="Sign out" confirmLabel="Sign out device" ariaLabel={`Sign out ${s.client} (${s.ip})`} onConfirm={() => revoke([s])} />}
          </li>
        ))}
      </ul>
      {failure && <p className="form-error" role="alert">{failure}</p>}
      {others.length > 0 && (
        <div className="settings__actions">
          <ConfirmButton className="btn" label="Sign out everywhere else" confirmLabel={`Sign out ${others.length} other ${others.length === 1 ? 'device' : 'devices'}`}
            onConfirm={() => revoke(others)} />
        </div>
      )}
    </section>
  );
}
