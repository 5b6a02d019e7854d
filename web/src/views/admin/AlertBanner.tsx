// The banner an admin sees anywhere in the app when the server raises a security alert.
import { navigate } from '../../lib/router';
import { dismissAlert, useAlertBanner } from '../../store/alerts';

export function AlertBanner() {
  const alert = useAlertBanner((s) => s.alert);
  if (!alert) return null;
  return (
    <div className={`alert-banner alert-banner--${alert.severity}`} role="alert">
      <strong>Security alert:</strong> <span>{alert.summary}</span>
      <button type="button" className="btn btn--small" onClick={() => { dismissAlert(); navigate('/admin/alerts'); }}>Review</button>
      <button type="button" className="btn btn--small" onClick={dismissAlert}>Dismiss</button>
    </div>
  );
}
