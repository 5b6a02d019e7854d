// Presence derived from connections and activity: online while a client is connected and
// active, away after a quiet spell, offline when the last connection has been gone for a
// short grace period (so a reconnect does not flap). Changes go out on the bus to the
// connections watching that user, never to everyone: a connect storm stays O(N), not O(N²).
import type { PresenceStatus } from '@parley/protocol';
import type { EventBus } from '../events/bus.js';
import type { PresenceView } from '../actions/context.js';

export interface PresenceOptions {
  awayAfterMs: number;
  offlineGraceMs: number;
}

export class PresenceTracker implements PresenceView {
  private status = new Map<string, PresenceStatus>();
  private lastActive = new Map<string, number>();
  private offlineTimers = new Map<string, NodeJS.Timeout>();
  private ticker: NodeJS.Timeout;

  constructor(private readonly bus: EventBus, private readonly opts: PresenceOptions, private readonly isConnected: (userId: string) => boolean) {
    this.ticker = setInterval(() => this.checkAway(), Math.min(30_000, Math.max(1000, opts.awayAfterMs / 4))).unref();
  }

  private set(userId: string, status: PresenceStatus): void {
    if ((this.status.get(userId) ?? 'offline') === status) return;
    if (status === 'offline') this.status.delete(userId);
    else this.status.set(userId, status);
    this.bus.publish([{ event: { type: 'presence.changed', data: { userId, status } }, to: { watchersOf: userId } }]);
  }

  connectivity(userId: string, connected: boolean): void {
    clearTimeout(this.offlineTimers.get(userId));
    this.offlineTimers.delete(userId);
    if (connected) {
      this.lastActive.set(userId, Date.now());
      this.set(userId, 'online');
      return;
    }
    const goOffline = () => {
      this.offlineTimers.delete(userId);
      if (!this.isConnected(userId)) {
        this.lastActive.delete(userId);
        this.set(userId, 'offline');
      }
    };
    if (this.opts.offlineGraceMs === 0) goOffline();
    else this.offlineTimers.set(userId, setTimeout(goOffline, this.opts.offlineGraceMs).unref());
  }

  activity(userId: string): void {
    this.lastActive.set(userId, Date.now());
    if (this.isConnected(userId)) this.set(userId, 'online');
  }

  private checkAway(): void {
    const cutoff = Date.now() - this.opts.awayAfterMs;
    for (const [userId, status] of this.status) {
      if (status === 'online' && (this.lastActive.get(userId) ?? 0) < cutoff) this.set(userId, 'away');
    }
  }

  statusOf(userId: string): PresenceStatus {
    return this.status.get(userId) ?? 'offline';
  }

  snapshot(): Record<string, PresenceStatus> {
    return Object.fromEntries(this.status);
  }

  close(): void {
    clearInterval(this.ticker);
    for (const t of this.offlineTimers.values()) clearTimeout(t);
  }
}
