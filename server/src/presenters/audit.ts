// Audit entries and security alerts as admins see them.
import type { Alert, AlertKind, AlertSeverity, AuditEntry } from '@parley/protocol';
import type { AuditRow } from '../store/audit.js';
import type { AlertRow } from '../store/alerts.js';

export function presentAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    actorId: row.actor_id,
    actorName: row.actor_name,
    ip: row.ip,
    userAgent: row.user_agent,
    targetType: row.target_type,
    targetId: row.target_id,
    detail: row.detail ?? {},
  };
}

export function presentAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    at: row.at.toISOString(),
    kind: row.kind as AlertKind,
    severity: row.severity as AlertSeverity,
    summary: row.summary,
    actorId: row.actor_id,
    ip: row.ip,
    detail: row.detail ?? {},
  };
}
