// Account settings → Security: password, two-factor, passkeys, sessions and personal access
// tokens, on one scrolling page in the main pane (/settings/security).
import { security } from '../../api/security';
import { Icon } from '../../components/Icon';
import { useLoad } from '../../lib/useLoad';
import { setStore } from '../../store/store';
import { openDialog } from '../../store/ui';
import { PasskeysSection } from './PasskeysSection';
import { PasswordSection } from './PasswordSection';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';
import { TwoFactorSection } from './TwoFactorSection';

export function SettingsView() {
  const status = useLoad(() => security.twoFactor());
  return (
    <div className="settings" aria-labelledby="settings-title">
      <header className="settings__header">
        <button type="button" className="icon-btn drawer-toggle" aria-label="Open sidebar" onClick={() => setStore({ drawerOpen: true })}><Icon name="menu" /></button>
        <h1 id="settings-title">Account settings</h1>
        <nav className="settings__tabs" aria-label="Settings sections">
          <button type="button" className="tab" onClick={() => openDialog({ kind: 'profile' })}>Profile</button>
          <span className="tab tab--active" aria-current="page">Security</span>
        </nav>
      </header>
      <div className="settings__body">
        {status.error && <p className="form-error" role="alert">{status.error}</p>}
        <PasswordSection />
        <TwoFactorSection status={status.data} reload={status.reload} />
        <PasskeysSection onChange={() => void status.reload()} />
        <SessionsSection />
        <TokensSection />
      </div>
    </div>
  );
}
