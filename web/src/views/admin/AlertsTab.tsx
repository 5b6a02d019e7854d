// Admin → Alerts: what the server's anomaly checks raised (failed-login bursts, a new admin
// address, a token used from far apart, mass deletion), newest first, live.
import type { Alert } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { security } from '../../api/security';
import { problem } from '../../lib/useLoad';
import { onAlert } from '../../store/alerts';
import { formatWhen } from '../settings/format';

export function AlertsTab() {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async (more: boolean) => {
    try {
      const page = await security.alerts(more ? cursor ?? undefined : undefined);
      setAlerts((now) => (more ? [...now, ...page.alerts] : page.alerts));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(problem(err, 'Alerts are not available.'));
    }
  };
  useEffect(() => {
    void load(false);
    // New alerts arrive over the socket while the tab is open.
    return onAlert((a) => setAlerts((now) => (now.some((x) => x.id === a.id) ? now : [a, ...now])));
  }, []);

  return (
    <section className="admin__panel" aria-labelledby="admin-alerts-title">
      <h2 id="admin-alerts-title">Security alerts</h2>
      {error && <p className="form-error" role="alert">{error}</p>}
      <ul className="settings__list" aria-label="Alerts">
        {alerts.map((a) => (
          <li key={a.id} className="settings__row" data-kind={a.kind}>
            <div>
              <span className={`pill pill--${a.severity}`}>{a.severity}</span> <strong>{a.summary}</strong>
              <div className="muted">{formatWhen(a.at)} · {a.kind}{a.ip ? ` · ${a.ip}` : ''}</div>
            </div>
          </li>
        ))}
      </ul>
      {alerts.length === 0 && !error && <p className="muted">No alerts. The server watches sign-ins, admin addresses, tokens and deletions.</p>}
      {cursor && <div className="settings__actions"><button type="button" className="btn" onClick={() => load(true)}>Load older</button></div>}
    </section>
  );
}
