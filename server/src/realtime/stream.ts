// One client's event stream. It outlives its socket: when the socket drops, the stream
// keeps collecting events (up to a cap, for a while) so that a client resuming with its
// connectionId and lastSeq gets exactly what it missed, in order, without duplicates.
import type { WebSocket } from 'ws';

interface Entry {
  seq: number;
  type: string;
  /** JSON of the event's data, shared by every stream that carries the event. */
  payload: string;
}

/** If a socket has this much unsent data, the client is not keeping up: drop it and let it resume. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function frame(type: string, seq: number, payload: string): string {
  return `{"type":"${type}","seq":${seq},"data":${payload}}`;
}

export class Stream {
  seq = 0;
  private entries: Entry[] = [];
  private head = 0;
  socket: WebSocket | null = null;
  /** Users whose presence this client asked for. */
  watching = new Set<string>();
  detachedAt: number | null = null;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly sessionId: string,
    /**
     * The connection's effective rights at auth time: admin only for an admin on a session (or a
     * token with the admin scope) from inside PARLEY_ADMIN_ALLOWLIST. Admin-only events need it.
     * Cleared when the user stops being an admin; never raised (that takes a new connection).
     */
    public adminRights: boolean,
    private readonly maxEvents: number,
  ) {}

  push(type: string, payload: string): void {
    const seq = ++this.seq;
    this.entries.push({ seq, type, payload });
    if (this.entries.length - this.head > this.maxEvents) this.head++;
    // Compact once half the array is dead: amortized O(1), and dropped entries are freed promptly.
    if (this.head >= 32 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    const socket = this.socket;
    if (socket && socket.readyState === socket.OPEN) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.terminate();
      else socket.send(frame(type, seq, payload));
    }
  }

  /** Frames after lastSeq, or null when some of them are no longer held (the client must resync). */
  framesAfter(lastSeq: number): string[] | null {
    if (lastSeq > this.seq || lastSeq < 0) return null;
    if (lastSeq === this.seq) return [];
    const first = this.entries[this.head];
    if (!first || first.seq > lastSeq + 1) return null;
    const start = this.head + (lastSeq + 1 - first.seq);
    const out: string[] = [];
    for (let i = start; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      out.push(frame(e.type, e.seq, e.payload));
    }
    return out;
  }

  /** Events held for resume: memory is proportional to this, not to the connection count. */
  get held(): number {
    return this.entries.length - this.head;
  }
}
