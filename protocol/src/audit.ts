// The audit log and security alerts (issue 5): what admins read at /api/v1/admin/audit and
// /api/v1/admin/alerts, and what the `alert.raised` event carries.
import Type from 'typebox';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Every action the server records. Names are `area.verb`; new ones are appended. */
export const AUDIT_ACTIONS = [
  'auth.signup', 'auth.login', 'auth.login_failed', 'auth.logout', 'auth.sso_login',
  'auth.2fa_enabled', 'auth.2fa_disabled', 'auth.recovery_codes_regenerated', 'auth.passkey_added', 'auth.passkey_removed',
  'auth.password_changed', 'auth.password_reset', 'auth.password_reset_link_created',
  'session.revoked', 'token.created', 'token.revoked', 'invite.created',
  'user.role_changed', 'user.deactivated', 'user.reactivated',
  'workspace.updated', 'sso.updated', '2fa.policy_updated', 'import.started', 'emoji.deleted', 'message.deleted',
  'audit.exported', 'alert.raised',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  action: Type.String({ description: "e.g. 'auth.login', 'user.role_changed', 'alert.raised'" }),
  actorId: Nullable(Type.String()),
  /** The actor's username when the entry was written. */
  actorName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  /** Facts about the action (never a password, token, code or secret). */
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Type.Static<typeof AuditEntry>;

export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry), nextCursor: Nullable(Type.String()) });
export type AuditPage = Type.Static<typeof AuditPage>;

export const AlertKind = Type.Union([
  Type.Literal('failed_login_burst'), Type.Literal('new_admin_ip'), Type.Literal('token_distant_ips'), Type.Literal('mass_deletion'),
]);
export type AlertKind = Type.Static<typeof AlertKind>;
export const AlertSeverity = Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]);
export type AlertSeverity = Type.Static<typeof AlertSeverity>;

export const Alert = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  kind: AlertKind,
  severity: AlertSeverity,
  summary: Type.String(),
  /** The account concerned (whose logins failed, who deleted, whose token), when there is one. */
  actorId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type Alert = Type.Static<typeof Alert>;

export const AlertPage = Type.Object({ alerts: Type.Array(Alert), nextCursor: Nullable(Type.String()) });
export type AlertPage = Type.Static<typeof AlertPage>;
