// Admins read the audit log (a page, or the whole filtered log as NDJSON) and the security
// alerts. An export is itself audited before its first line is read.
import type { AlertPage, AuditPage } from '@parley/protocol';
import { AppError } from '../errors.js';
import * as auditLog from '../store/audit.js';
import * as alerts from '../store/alerts.js';
import type { UserRow } from '../store/schema.js';
import { presentAlert, presentAuditEntry } from '../presenters/audit.js';
import type { Deps } from './context.js';
import { auditNow } from './audit.js';
import type { ClientInfo } from './sessions.js';
import { authorizeAdmin } from '../policies/admin.js';

export interface AuditQuery {
  action?: string;
  actorId?: string;
  targetId?: string;
  ip?: string;
  since?: string;
  until?: string;
}

const EXPORT_BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function adminOnly(actor: UserRow): void {
  authorizeAdmin(actor, 'auditLog');
}

function cursorId(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  if (!UUID.test(cursor)) throw new AppError(400, 'invalid_cursor', 'The cursor is not one this server gave out.');
  return cursor.toLowerCase();
}

function toFilter(q: AuditQuery): auditLog.AuditFilter {
  const date = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new AppError(400, 'invalid_request', `${name} must be a date and time (ISO 8601).`);
    return d;
  };
  const since = date(q.since, 'since');
  const until = date(q.until, 'until');
  if (since && until && since > until) throw new AppError(400, 'invalid_request', 'since must not be after until.');
  return { action: q.action || undefined, actorId: q.actorId, targetId: q.targetId || undefined, ip: q.ip || undefined, since, until };
}

export async function listAudit(deps: Deps, actor: UserRow, q: AuditQuery & { cursor?: string; limit: number }): Promise<AuditPage> {
  adminOnly(actor);
  const rows = await auditLog.listEntries(deps.db, toFilter(q), cursorId(q.cursor), q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { entries: page.map(presentAuditEntry), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

/**
 * The filtered log as JSON lines, newest first, read in batches so memory stays flat however
 * long the log is. Entries written after the export started are not included.
 */
export async function startAuditExport(deps: Deps, actor: UserRow, client: ClientInfo, q: AuditQuery): Promise<AsyncGenerator<string>> {
  adminOnly(actor);
  const filter = toFilter(q);
  const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
  await auditNow(deps, actor, client, 'audit.exported', { type: 'audit', id: null }, { filters });
  return (async function* lines() {
    let before: string | null = null;
    for (;;) {
      const rows = await auditLog.listEntries(deps.db, filter, before, EXPORT_BATCH);
      if (rows.length === 0) return;
      yield rows.map((r) => JSON.stringify(presentAuditEntry(r)) + '\n').join('');
      if (rows.length < EXPORT_BATCH) return;
      before = rows[rows.length - 1]!.id;
    }
  })();
}

export async function listAlerts(deps: Deps, actor: UserRow, q: { cursor?: string; limit: number }): Promise<AlertPage> {
  adminOnly(actor);
  const rows = await alerts.listAlerts(deps.db, cursorId(q.cursor), q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { alerts: page.map(presentAlert), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
}
