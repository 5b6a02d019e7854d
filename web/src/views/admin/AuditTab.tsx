// Admin → Audit log: who did what, when and from where; filtered by action, person and time,
// paged by the server's cursor, exported as NDJSON with the same filters.
import type { AuditEntry } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { security, type AuditQuery } from '../../api/security';
import { problem } from '../../lib/useLoad';
import { formatWhen } from '../settings/format';

/** Detail facts as "key: value · key: value" (values that are objects as JSON). */
const describe = (detail: Record<string, unknown>) =>
  Object.entries(detail).filter(([, v]) => v !== null && v !== '').map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' · ');

/** A datetime-local value as the ISO time the API takes (empty: no bound). */
const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function AuditTab() {
  const [filters, setFilters] = useState({ action: '', actorId: '', since: '', until: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query: AuditQuery = { action: filters.action || undefined, actorId: filters.actorId.trim() || undefined, since: iso(filters.since), until: iso(filters.until) };

  const load = async (more: boolean) => {
    setError(null);
    try {
      const page = await security.audit({ ...query, limit: 50, cursor: more ? cursor ?? undefined : undefined });
      setEntries(more ? [...entries, ...page.entries] : page.entries);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(problem(err, 'The audit log is not available.'));
    }
  };
  useEffect(() => {
    void load(false);
  }, [filters.action, filters.actorId, filters.since, filters.until]);
  const set = (k: keyof typeof filters) => (e: React.ChangeEvent<HTMLInputElement>) => setFilters({ ...filters, [k]: e.target.value });

  return (
    <section className="admin__panel" aria-labelledby="admin-audit-title">
      <h2 id="admin-audit-title">Audit log</h2>
      <div className="admin__toolbar">
        <input aria-label="Action" placeholder="Action, e.g. auth.login" value={filters.action} onChange={set('action')} />
        <input aria-label="Actor id" placeholder="Actor id" value={filters.actorId} onChange={set('actorId')} />
        <label className="admin__when">From <input type="datetime-local" value={filters.since} onChange={set('since')} /></label>
        <label className="admin__when">To <input type="datetime-local" value={filters.until} onChange={set('until')} /></label>
        <a className="btn" href={security.auditExportUrl(query)} download="parley-audit.ndjson">Export NDJSON</a>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
      <table className="admin__table admin__table--log">
        <thead><tr><th>When</th><th>Action</th><th>Who</th><th>Target</th><th>From</th><th>Detail</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td title={e.at}>{formatWhen(e.at)}</td>
              <td><code>{e.action}</code></td>
              <td>{e.actorName ?? <span className="muted">—</span>}</td>
              <td className="muted" title={e.targetId ?? undefined}>{e.targetType ? `${e.targetType} ${e.targetId ? `…${e.targetId.slice(-6)}` : ''}` : ''}</td>
              <td className="muted" title={e.userAgent ?? undefined}>{e.ip ?? ''}</td>
              <td className="admin__detail">{describe(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && !error && <p className="muted">Nothing recorded matches.</p>}
      {cursor && <div className="settings__actions"><button type="button" className="btn" onClick={() => load(true)}>Load older</button></div>}
    </section>
  );
}
