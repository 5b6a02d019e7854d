// What the actions tell the security monitor (anomalies.ts). Kept apart as types only, so
// the actions' Deps can name it without importing the detector.
import type { AuditRow } from '../store/audit.js';

export interface SessionUse {
  sessionId: string;
  kind: 'session' | 'token';
  userId: string;
  ip: string;
}

export interface SecurityMonitor {
  /** An audit entry has committed (called after COMMIT, never inside the transaction). */
  recorded(entry: AuditRow): void;
  /** An authenticated request arrived: the detector watches where each session is used from. */
  sessionUsed(use: SessionUse): void;
}
