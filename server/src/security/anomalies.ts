// Anomaly detection, fed by the audit stream (each entry after it commits) and by the
// sessions each request authenticates with. Counts come from the audit log itself, so they
// hold across restarts and across nodes; the session-address watch is per node, in memory.
//   failed_login_burst  ≥ N failed sign-ins of one account, or from one address, in M minutes
//   new_admin_ip        an admin signs in from an address none of their earlier sign-ins came from
//   token_distant_ips   one session or token used from two networks (/16, /48: networks.ts) within minutes
//   mass_deletion       ≥ N messages deleted by one person in M minutes
// An alert is stored, written to the audit log ('alert.raised'), sent to the active admins
// only, and posted to the webhook. One alert per kind and subject per window (the debounce
// holds under a per-subject lock, so concurrent requests in one burst raise it once).
import type { Alert, AlertKind, AlertSeverity } from '@parley/protocol';
import { newId } from '../ids.js';
import * as auditLog from '../store/audit.js';
import * as alerts from '../store/alerts.js';
import { presentAlert } from '../presenters/audit.js';
import { transact, type Deps } from '../actions/context.js';
import { audit } from '../actions/audit.js';
import type { SecurityMonitor, SessionUse } from './monitor.js';
import { distant, networkOf } from './networks.js';
import { postAlert } from './webhook.js';

interface Raise {
  kind: AlertKind;
  subject: string;
  severity: AlertSeverity;
  summary: string;
  actorId: string | null;
  ip: string | null;
  detail: Record<string, string | number | null>;
  windowMinutes: number;
}

/** The last address per network each session was seen from; bounded so a flood cannot grow it. */
const MAX_WATCHED_SESSIONS = 20_000;
const MINUTE = 60_000;

export class AnomalyDetector implements SecurityMonitor {
  private chain: Promise<void> = Promise.resolve();
  private seen = new Map<string, Map<string, { ip: string; at: number }>>();
  private deliveries = new Set<Promise<boolean>>();

  constructor(private readonly deps: Deps) {}

  recorded(entry: auditLog.AuditRow): void {
    if (entry.action === 'auth.login_failed' || entry.action === 'auth.login' || entry.action === 'auth.sso_login' || entry.action === 'message.deleted') {
      this.enqueue(() => this.examine(entry));
    }
  }

  sessionUsed(use: SessionUse): void {
    const network = networkOf(use.ip);
    if (!network) return;
    const now = Date.now();
    const windowMs = this.deps.config.alerts.distantIpWindowMinutes * MINUTE;
    let nets = this.seen.get(use.sessionId);
    if (nets) this.seen.delete(use.sessionId); // re-inserted below: the map's order is least recently used first
    else nets = new Map();
    const other = [...nets.entries()].find(([n, s]) => n !== network && now - s.at <= windowMs && distant(s.ip, use.ip));
    nets.set(network, { ip: use.ip, at: now });
    for (const [n, s] of nets) if (now - s.at > windowMs) nets.delete(n);
    this.seen.set(use.sessionId, nets);
    if (this.seen.size > MAX_WATCHED_SESSIONS) this.seen.delete(this.seen.keys().next().value!);
    if (!other) return;
    const what = use.kind === 'token' ? 'personal access token' : 'session';
    this.enqueue(() => this.raise({
      kind: 'token_distant_ips', subject: use.sessionId, severity: 'high', actorId: use.userId, ip: use.ip,
      summary: `One ${what} was used from ${other[1].ip} and ${use.ip} (different networks) within ${this.deps.config.alerts.distantIpWindowMinutes} minutes`,
      detail: { sessionId: use.sessionId, credential: use.kind, firstIp: other[1].ip, secondIp: use.ip },
      windowMinutes: this.deps.config.alerts.distantIpWindowMinutes,
    }));
  }

  /** Resolves once everything observed so far has been examined and its webhooks settled (tests, shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      await chain;
      await Promise.all(this.deliveries);
      if (chain === this.chain && this.deliveries.size === 0) return;
    }
  }

  /** One examination at a time, in the order observed: the counts then match what a reader of the log would see. */
  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch((err: unknown) => this.deps.log.error({ err }, 'anomaly detection failed'));
  }

  private async examine(entry: auditLog.AuditRow): Promise<void> {
    const cfg = this.deps.config.alerts;
    const db = this.deps.db;
    if (entry.action === 'auth.login_failed') {
      const { threshold, windowMinutes } = cfg.failedLogins;
      const since = new Date(entry.at.getTime() - windowMinutes * MINUTE);
      const name = typeof entry.detail.username === 'string' ? entry.detail.username : entry.target_id;
      const perAccount = entry.target_type === 'user' && entry.target_id
        ? await auditLog.countSince(db, entry.action, { targetId: entry.target_id }, since) : 0;
      if (perAccount >= threshold) {
        await this.raise({
          kind: 'failed_login_burst', subject: `account:${entry.target_id}`, severity: 'high', actorId: entry.target_id, ip: entry.ip,
          summary: `${perAccount} failed sign-ins to ${name} within ${windowMinutes} minutes`,
          detail: { scope: 'account', userId: entry.target_id, count: perAccount, windowMinutes }, windowMinutes,
        });
      }
      const perIp = entry.ip ? await auditLog.countSince(db, entry.action, { ip: entry.ip }, since) : 0;
      if (perIp >= threshold) {
        await this.raise({
          kind: 'failed_login_burst', subject: `ip:${entry.ip}`, severity: 'high', actorId: null, ip: entry.ip,
          summary: `${perIp} failed sign-ins from ${entry.ip} within ${windowMinutes} minutes`,
          detail: { scope: 'ip', count: perIp, windowMinutes }, windowMinutes,
        });
      }
    } else if (entry.action === 'message.deleted') {
      const { threshold, windowMinutes } = cfg.massDeletion;
      if (!entry.actor_id) return;
      const since = new Date(entry.at.getTime() - windowMinutes * MINUTE);
      const count = await auditLog.countSince(db, entry.action, { actorId: entry.actor_id }, since);
      if (count < threshold) return;
      await this.raise({
        kind: 'mass_deletion', subject: `user:${entry.actor_id}`, severity: 'medium', actorId: entry.actor_id, ip: entry.ip,
        summary: `${entry.actor_name ?? entry.actor_id} deleted ${count} messages within ${windowMinutes} minutes`,
        detail: { count, windowMinutes }, windowMinutes,
      });
    } else if (entry.detail.role === 'admin' && entry.actor_id && entry.ip) {
      // An admin's very first sign-in has nothing to compare with, so it raises nothing.
      if (!(await auditLog.signedInBefore(db, entry.actor_id, entry.id))) return;
      if (await auditLog.signedInBefore(db, entry.actor_id, entry.id, entry.ip)) return;
      await this.raise({
        kind: 'new_admin_ip', subject: `${entry.actor_id}:${entry.ip}`, severity: 'medium', actorId: entry.actor_id, ip: entry.ip,
        summary: `Admin ${entry.actor_name ?? entry.actor_id} signed in from ${entry.ip}, an address not seen for this account before`,
        detail: { userAgent: entry.user_agent }, windowMinutes: 24 * 60,
      });
    }
  }

  private async raise(r: Raise): Promise<void> {
    const deps = this.deps;
    const alert = await transact(deps, async (tx, events): Promise<Alert | null> => {
      await alerts.lockSubject(tx, r.kind, r.subject);
      const now = new Date();
      if (await alerts.raisedSince(tx, r.kind, r.subject, new Date(now.getTime() - r.windowMinutes * MINUTE))) return null;
      const row = await alerts.insertAlert(tx, {
        id: newId(), at: now, kind: r.kind, subject: r.subject, severity: r.severity, summary: r.summary,
        actor_id: r.actorId, ip: r.ip, detail: r.detail,
      });
      const presented = presentAlert(row);
      await audit({ deps, tx, events, by: null, client: null }, 'alert.raised', { type: 'alert', id: row.id },
        { kind: r.kind, severity: r.severity, summary: r.summary, subjectUserId: r.actorId, subjectIp: r.ip });
      events.toAdmins('alert.raised', { alert: presented }, await alerts.activeAdminIds(tx));
      return presented;
    });
    if (!alert) return;
    deps.log.warn({ alert }, 'security alert');
    const delivery = postAlert(deps.config.alerts, deps.config.publicUrl, deps.log, alert);
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
  }
}
