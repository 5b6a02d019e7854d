// The hub owns every stream on this node. It subscribes to the event bus and delivers each
// event to the streams of the users the event names: the event's data is serialized once,
// and only the short envelope with each stream's seq is built per connection.
import type { Logger } from 'pino';
import { newId } from '../ids.js';
import type { BusItem, EventBus } from '../events/bus.js';
import { Stream } from './stream.js';
import type { WebSocket } from 'ws';

export interface HubOptions {
  resumeTtlMs: number;
  maxEvents: number;
}

export class Hub {
  private streams = new Map<string, Stream>();
  private byUser = new Map<string, Set<Stream>>();
  /** Presence watchers: user id → the streams that asked for that user's presence. */
  private watchers = new Map<string, Set<Stream>>();
  private sweeper: NodeJS.Timeout;
  private unsubscribe: () => void;
  /** Called when a user's first stream attaches or last one detaches (for presence). */
  onUserConnectivity: (userId: string, connected: boolean) => void = () => {};

  constructor(bus: EventBus, private readonly opts: HubOptions, private readonly log: Logger) {
    this.unsubscribe = bus.subscribe((batch) => this.deliver(batch));
    this.sweeper = setInterval(() => this.sweep(), Math.min(10_000, opts.resumeTtlMs)).unref();
  }

  deliver(batch: readonly BusItem[]): void {
    for (const item of batch) {
      if ('endSessions' in item) {
        this.endSessions(item.endSessions);
        continue;
      }
      const { event, to } = item;
      const payload = JSON.stringify(event.data);
      if ('watchersOf' in to) {
        for (const s of this.watchers.get(to.watchersOf) ?? []) s.push(event.type, payload);
      } else if ('everyone' in to) {
        const except = to.except && to.except.length > 0 ? new Set(to.except) : null;
        const adminView = to.exceptAdminRightsOf && to.exceptAdminRightsOf.length > 0 ? new Set(to.exceptAdminRightsOf) : null;
        for (const s of this.streams.values()) {
          if (except?.has(s.userId) || (s.adminRights && adminView?.has(s.userId))) continue;
          s.push(event.type, payload);
        }
      } else {
        for (const userId of to.userIds) {
          const set = this.byUser.get(userId);
          if (set) for (const s of set) if (!to.adminRights || s.adminRights) s.push(event.type, payload);
        }
      }
      if (event.type === 'user.updated') {
        const user = event.data.user;
        if (user.deactivated) this.disconnectUser(user.id);
        // A demoted admin's open connections lose admin rights at once (a promotion waits for a new connection).
        else if (user.role !== 'admin') for (const s of this.byUser.get(user.id) ?? []) s.adminRights = false;
      }
    }
  }

  /** `greet` sends `ready` (and any replay) before this attach can cause events of its own. */
  open(userId: string, sessionId: string, adminRights: boolean, socket: WebSocket, greet: (stream: Stream) => void): Stream {
    const stream = new Stream(newId(), userId, sessionId, adminRights, this.opts.maxEvents);
    this.streams.set(stream.id, stream);
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(stream);
    this.attach(stream, socket, () => greet(stream));
    return stream;
  }

  /**
   * The stream to resume, if it exists and belongs to this user with the same rights: a stream
   * that held admin-only events is never resumed by a connection without admin rights.
   */
  findResumable(userId: string, connectionId: string, adminRights: boolean): Stream | null {
    const s = this.streams.get(connectionId);
    if (!s || s.userId !== userId || s.adminRights !== adminRights) return null;
    return s;
  }

  attach(stream: Stream, socket: WebSocket, greet: () => void): void {
    // A client resuming while its old socket still looks open: the new socket wins.
    if (stream.socket && stream.socket !== socket) stream.socket.terminate();
    const wasConnected = this.connectedCount(stream.userId) > 0;
    stream.socket = socket;
    stream.detachedAt = null;
    // Synchronous: no event can be pushed between the greeting and the replay it carries.
    greet();
    if (!wasConnected) this.onUserConnectivity(stream.userId, true);
  }

  detach(stream: Stream, socket: WebSocket): void {
    if (stream.socket !== socket) return;
    stream.socket = null;
    stream.detachedAt = Date.now();
    if (this.connectedCount(stream.userId) === 0) this.onUserConnectivity(stream.userId, false);
  }

  private connectedCount(userId: string): number {
    let n = 0;
    for (const s of this.byUser.get(userId) ?? []) if (s.socket) n++;
    return n;
  }

  isConnected(userId: string): boolean {
    return this.connectedCount(userId) > 0;
  }

  connectedUserIds(): string[] {
    return [...this.byUser.keys()].filter((u) => this.isConnected(u));
  }

  /** Replaces the set of users whose presence this stream receives. */
  watch(stream: Stream, userIds: readonly string[]): void {
    for (const u of stream.watching) this.unwatch(stream, u);
    stream.watching = new Set(userIds);
    for (const u of stream.watching) {
      let set = this.watchers.get(u);
      if (!set) this.watchers.set(u, (set = new Set()));
      set.add(stream);
    }
  }

  private unwatch(stream: Stream, userId: string): void {
    const set = this.watchers.get(userId);
    set?.delete(stream);
    if (set && set.size === 0) this.watchers.delete(userId);
  }

  private drop(stream: Stream): void {
    for (const u of stream.watching) this.unwatch(stream, u);
    this.streams.delete(stream.id);
    const set = this.byUser.get(stream.userId);
    set?.delete(stream);
    if (set && set.size === 0) this.byUser.delete(stream.userId);
  }

  /** Logged out or revoked: the session's sockets close and cannot resume. */
  endSessions(sessionIds: readonly string[]): void {
    const ended = new Set(sessionIds);
    for (const s of [...this.streams.values()]) {
      if (!ended.has(s.sessionId)) continue;
      s.socket?.close(4001, 'session ended');
      this.drop(s);
    }
  }

  disconnectUser(userId: string): void {
    for (const s of [...(this.byUser.get(userId) ?? [])]) {
      s.socket?.close(4001, 'deactivated');
      this.drop(s);
    }
  }

  private sweep(): void {
    const cutoff = Date.now() - this.opts.resumeTtlMs;
    for (const s of this.streams.values()) if (s.detachedAt !== null && s.detachedAt < cutoff) this.drop(s);
  }

  stats() {
    let held = 0;
    for (const s of this.streams.values()) held += s.held;
    return { streams: this.streams.size, users: this.byUser.size, heldEvents: held };
  }

  close(): void {
    clearInterval(this.sweeper);
    this.unsubscribe();
    for (const s of this.streams.values()) s.socket?.close(1001, 'server shutting down');
    this.streams.clear();
    this.byUser.clear();
  }
}
