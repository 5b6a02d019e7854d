// The admin area (/admin/<tab>), for admins only: Users, Security (two-factor policy), Single
// sign-on, Storage, Audit log, Alerts, and Slack import when that panel is part of the build.
import { lazy, Suspense, type ComponentType } from 'react';
import { Icon } from '../../components/Icon';
import { navigate } from '../../lib/router';
import { setStore, useStore } from '../../store/store';
import { AlertsTab } from './AlertsTab';
import { AuditTab } from './AuditTab';
import { SecurityTab } from './SecurityTab';
import { SsoTab } from './SsoTab';
import { StorageTab } from './StorageTab';
import { UsersTab } from './UsersTab';

// The Slack import panel is another module of the admin area; the glob is empty when it is
// absent, so the tab appears exactly when web/src/views/admin/SlackImport.tsx exists.
type Panel = Record<string, unknown>;
const slackModule = Object.values(import.meta.glob<Panel>('./SlackImport.tsx'))[0];
const SlackImport = slackModule && lazy(async () => {
  const m = await slackModule();
  return { default: (m.SlackImport ?? m.default) as ComponentType };
});

const TABS: Array<{ id: string; label: string; Panel: ComponentType }> = [
  { id: 'users', label: 'Users', Panel: UsersTab },
  { id: 'security', label: 'Security', Panel: SecurityTab },
  { id: 'sso', label: 'Single sign-on', Panel: SsoTab },
  { id: 'storage', label: 'Storage', Panel: StorageTab },
  { id: 'audit', label: 'Audit log', Panel: AuditTab },
  { id: 'alerts', label: 'Alerts', Panel: AlertsTab },
  ...(SlackImport ? [{ id: 'import', label: 'Slack import', Panel: SlackImport }] : []),
];

export function AdminView({ tab }: { tab: string | null }) {
  const isAdmin = useStore((s) => s.data.users[s.data.me]?.role === 'admin');
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]!;
  if (!isAdmin) {
    return <div className="settings"><div className="settings__body"><p role="alert">Only workspace admins can open the admin area.</p></div></div>;
  }
  return (
    <div className="settings admin">
      <header className="settings__header">
        <button type="button" className="icon-btn drawer-toggle" aria-label="Open sidebar" onClick={() => setStore({ drawerOpen: true })}><Icon name="menu" /></button>
        <h1>Admin</h1>
        <nav className="settings__tabs" role="tablist" aria-label="Admin sections">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={t.id === current.id} className={`tab${t.id === current.id ? ' tab--active' : ''}`}
              onClick={() => navigate(`/admin/${t.id}`)}>{t.label}</button>
          ))}
        </nav>
      </header>
      <div className="settings__body" role="tabpanel" aria-label={current.label}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <current.Panel />
        </Suspense>
      </div>
    </div>
  );
}
