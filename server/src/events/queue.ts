// Events collected while a transaction runs. They are handed to the bus only after COMMIT
// succeeds (see actions/context.ts), so no client ever hears of a row that was rolled back.
import type { EventMap, EventName, ParleyEvent } from '@parley/protocol';
import type { BusItem, Recipients } from './bus.js';

export class EventQueue {
  readonly items: BusItem[] = [];
  /** Work for after COMMIT, on this node only (feeding the security monitor); never run on rollback. */
  readonly afterCommit: Array<() => void> = [];

  emit<K extends EventName>(type: K, data: EventMap[K], to: Recipients): void {
    this.items.push({ event: { type, data } as ParleyEvent, to });
  }

  toUsers<K extends EventName>(type: K, data: EventMap[K], userIds: readonly string[]): void {
    if (userIds.length > 0) this.emit(type, data, { userIds });
  }

  /** For admins' eyes only: delivered to these users' connections that carry admin rights (not outside
   * PARLEY_ADMIN_ALLOWLIST, not on a token without the admin scope). */
  toAdmins<K extends EventName>(type: K, data: EventMap[K], adminIds: readonly string[]): void {
    if (adminIds.length > 0) this.emit(type, data, { userIds: adminIds, adminRights: true });
  }

  /** After commit, the sockets of these (now deleted) sessions are closed on every node. */
  endSessions(sessionIds: readonly string[]): void {
    if (sessionIds.length > 0) this.items.push({ endSessions: sessionIds });
  }
}
