// What every action needs, passed in explicitly (no globals), and the one way to write:
// `transact` runs the work in a transaction and hands its events to the bus only after
// COMMIT returns, so an event never announces a row that was rolled back.
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EventBus } from '../events/bus.js';
import type { PreviewQueue } from '../previews/queue.js';
import { EventQueue } from '../events/queue.js';
import type { Db } from '../store/db.js';
import type { FileStore } from '../files/open.js';
import type { Mailer } from '../mail/mailer.js';
import type { PresenceStatus } from '@parley/protocol';
import type { SecurityMonitor } from '../security/monitor.js';

/** Read access to who is connected; implemented by the realtime layer. */
export interface PresenceView {
  statusOf(userId: string): PresenceStatus;
  snapshot(): Record<string, PresenceStatus>;
}

export interface Deps {
  db: Db;
  bus: EventBus;
  config: Config;
  log: Logger;
  presence: PresenceView;
  /** Where uploaded files and custom emoji are stored (disk or S3, maybe encrypted). */
  files: FileStore;
  /** Outgoing email; null when no SMTP server is configured. */
  mailer?: Mailer | null;
  /** Link-preview fetches after commit; absent where nothing posts (CLI, benchmarks). */
  previews?: PreviewQueue;
  /** Anomaly detection over the audit log and session use; absent in the CLI. */
  security?: SecurityMonitor;
  /** The time for sign-in lockouts (security/brute-force.ts); tests move it forward instead of sleeping. */
  clock?: () => Date;
}

export async function transact<T>(deps: Deps, work: (tx: Db, events: EventQueue) => Promise<T>): Promise<T> {
  const events = new EventQueue();
  const result = await deps.db.transaction().execute((tx) => work(tx, events));
  deps.bus.publish(events.items);
  for (const run of events.afterCommit) run();
  return result;
}

/** Postgres unique_violation, for turning a lost race into the right 409 or a re-read. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  return !constraint || e.constraint === constraint || (e.message ?? '').includes(constraint);
}
