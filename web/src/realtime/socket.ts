// The WebSocket to /api/v1/ws. It authenticates with the session cookie, resumes after a
// drop ({connectionId, lastSeq}) so the server replays exactly what was missed, and says
// when it needs a full refetch (a fresh connection or `resync`). Reconnects with backoff,
// at once when the browser comes back online, and notices a dead link by ping/pong.
import type { ClientFrame, EventFrame, ParleyEvent, PresenceStatus, ServerFrame } from '@parley/protocol';

export interface RealtimeHandlers {
  /** resumed: the server replayed what was missed. Otherwise refetch state now. */
  onReady(resumed: boolean): void;
  onPresence(presence: Record<string, PresenceStatus>): void;
  onEvent(e: ParleyEvent): void;
  onStatus(status: 'connecting' | 'online' | 'offline'): void;
  onUnauthorized(): void;
}

const PING_EVERY_MS = 20_000;
const PONG_TIMEOUT_MS = 8_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

export class Realtime {
  private ws: WebSocket | null = null;
  private connectionId: string | null = null;
  private lastSeq = 0;
  private attempt = 0;
  private stopped = true;
  private ready = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly h: RealtimeHandlers, private readonly url = defaultUrl()) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.clearTimers();
    this.ws?.close();
    this.ws = null;
    this.connectionId = null;
    this.lastSeq = 0;
  }

  get isReady(): boolean {
    return this.ready;
  }

  send(frame: ClientFrame): void {
    if (this.ready && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Drops the current socket and reconnects now (a user's "Retry", or a dead link). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.drop();
    this.connect();
  }

  private onOnline = () => this.reconnectNow();
  private onOffline = () => {
    // The browser knows the network is gone: say so now rather than at the next ping.
    this.drop();
    this.h.onStatus('offline');
    this.scheduleRetry();
  };
  private onVisible = () => {
    if (document.visibilityState === 'visible' && !this.ready && !this.stopped) this.reconnectNow();
  };

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.retryTimer = this.pingTimer = this.pongTimer = null;
  }

  private drop(): void {
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        /* already closing */
      }
    }
  }

  private connect(): void {
    if (this.stopped) return;
    this.h.onStatus(this.attempt === 0 ? 'connecting' : 'offline');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      return this.scheduleRetry();
    }
    this.ws = ws;
    ws.onopen = () => {
      const auth: ClientFrame = this.connectionId
        ? { type: 'auth', resume: { connectionId: this.connectionId, lastSeq: this.lastSeq } }
        : { type: 'auth' };
      ws.send(JSON.stringify(auth));
    };
    ws.onmessage = (msg) => this.onFrame(JSON.parse(String(msg.data)) as ServerFrame);
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      this.clearTimers();
      if (ev.code === 4003) return this.h.onUnauthorized();
      this.h.onStatus('offline');
      this.scheduleRetry();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, base + Math.random() * base * 0.3);
  }

  private onFrame(f: ServerFrame): void {
    switch (f.type) {
      case 'ready':
        this.ready = true;
        this.attempt = 0;
        this.connectionId = f.connectionId;
        if (!f.resumed) this.lastSeq = f.seq;
        this.startPing();
        this.h.onStatus('online');
        this.h.onReady(f.resumed);
        return;
      case 'resync':
        // The server could not replay the gap; the `ready` that follows starts a fresh stream.
        this.connectionId = null;
        return;
      case 'pong':
        if (this.pongTimer) clearTimeout(this.pongTimer);
        this.pongTimer = null;
        return;
      case 'presence.snapshot':
        this.h.onPresence(f.presence);
        return;
      case 'error':
        if (f.error.code === 'unauthorized') this.h.onUnauthorized();
        return;
      default: {
        const e = f as EventFrame;
        if (typeof e.seq !== 'number') return; // a control frame this client does not know
        if (e.seq <= this.lastSeq) return; // already seen (a replay overlapping what we had)
        if (e.seq !== this.lastSeq + 1) {
          // A gap should never happen; if it does, resuming makes the server fill it.
          this.reconnectNow();
          return;
        }
        this.lastSeq = e.seq;
        this.h.onEvent({ type: e.type, data: e.data } as ParleyEvent);
      }
    }
  }

  private startPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      this.send({ type: 'ping' });
      if (this.pongTimer) return;
      this.pongTimer = setTimeout(() => {
        this.pongTimer = null;
        this.reconnectNow();
      }, PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
}
