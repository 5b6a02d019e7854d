// The event bus: actions publish batches of events after their transaction commits; the
// realtime hub subscribes. In one process this is a direct call; across nodes a Redis
// implementation of the same interface carries the batches.
import type { ParleyEvent } from '@parley/protocol';

/** Who receives an event. Always chosen explicitly by the action that emits it. */
export type Recipients = { userIds: readonly string[] } | { everyone: true; except?: readonly string[] };

export interface Outgoing {
  event: ParleyEvent;
  to: Recipients;
}

export interface EventBus {
  publish(batch: readonly Outgoing[]): void;
  subscribe(handler: (batch: readonly Outgoing[]) => void): () => void;
}

export class InProcessBus implements EventBus {
  private handlers = new Set<(batch: readonly Outgoing[]) => void>();

  publish(batch: readonly Outgoing[]): void {
    if (batch.length === 0) return;
    for (const h of this.handlers) h(batch);
  }

  subscribe(handler: (batch: readonly Outgoing[]) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
