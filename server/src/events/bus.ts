// The event bus: actions publish batches of events after their transaction commits; the
// realtime hub subscribes. In one process this is a direct call; across nodes a Redis
// implementation of the same interface carries the batches.
import type { ParleyEvent } from '@parley/protocol';

/** Who receives an event. Always chosen explicitly by the action that emits it. */
export type Recipients =
  /** `adminRights`: only those of their connections that carry admin rights (see realtime/stream.ts). */
  | { userIds: readonly string[]; adminRights?: true }
  /**
   * `exceptAdminRightsOf`: leaves out those of these users' connections that carry admin rights,
   * the exact complement of `{ userIds, adminRights: true }`, which gets the admin view instead.
   */
  | { everyone: true; except?: readonly string[]; exceptAdminRightsOf?: readonly string[] }
  /** The connections that asked for this user's presence (resolved by each node's hub). */
  | { watchersOf: string };

export interface Outgoing {
  event: ParleyEvent;
  to: Recipients;
}

/** Not a client event: every node closes the sockets opened with these sessions. */
export interface SessionsEnded {
  endSessions: readonly string[];
}

export type BusItem = Outgoing | SessionsEnded;

export interface EventBus {
  publish(batch: readonly BusItem[]): void;
  subscribe(handler: (batch: readonly BusItem[]) => void): () => void;
}

export class InProcessBus implements EventBus {
  private handlers = new Set<(batch: readonly BusItem[]) => void>();

  publish(batch: readonly BusItem[]): void {
    if (batch.length === 0) return;
    for (const h of this.handlers) h(batch);
  }

  subscribe(handler: (batch: readonly BusItem[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
