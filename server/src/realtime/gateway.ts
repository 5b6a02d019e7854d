// The WebSocket endpoint. A client's first frame is `auth` (with a token, or without one
// when the upgrade carried a valid session cookie), optionally with `resume`. The server
// answers `ready` and then streams events; on a failed resume it says `resync` first.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket, RawData } from 'ws';
import type { ClientFrame } from '@parley/protocol';
import { authenticate, type Authenticated } from '../actions/auth.js';
import { doTyping } from '../actions/typing.js';
import type { Deps } from '../actions/context.js';
import { isUuid } from '../ids.js';
import type { Hub } from './hub.js';
import type { PresenceTracker } from './presence.js';
import type { Stream } from './stream.js';

import { SESSION_COOKIE } from '../auth/cookies.js';
import { makeAllowlist, restrictAdmin } from '../security/ip-allowlist.js';
const AUTH_TIMEOUT_MS = 10_000;
const PING_EVERY_MS = 30_000;
const TYPING_MIN_INTERVAL_MS = 1_000;
const MAX_PRESENCE_WATCH = 1_000;

function send(socket: WebSocket, obj: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(obj));
}

function parse(data: RawData): ClientFrame | null {
  try {
    const v = JSON.parse(data.toString());
    return v && typeof v === 'object' && typeof v.type === 'string' ? (v as ClientFrame) : null;
  } catch {
    return null;
  }
}

/** A cookie is only honoured on an upgrade from our own origin (cross-site WebSocket hijacking). */
function sameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  const host = req.headers.host;
  return origin === new URL(publicUrl).origin || (host !== undefined && new URL(origin).host === host);
}

export function registerGateway(app: FastifyInstance, deps: Deps, hub: Hub, presence: PresenceTracker): void {
  const adminAllowed = makeAllowlist(deps.config.adminAllowlist);
  app.get('/api/v1/ws', { websocket: true, schema: { hide: true } }, (socket, req) => {
    let stream: Stream | null = null;
    let who: Authenticated | null = null;
    let lastTyping = 0;
    let authing = false;
    const pending: RawData[] = [];
    let alive = true;
    const cookieToken = req.cookies?.[SESSION_COOKIE];
    const cookieOk = cookieToken && sameOrigin(req, deps.config.publicUrl) ? cookieToken : null;

    const authTimer = setTimeout(() => socket.close(4000, 'auth timeout'), AUTH_TIMEOUT_MS);
    const pinger = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, PING_EVERY_MS);
    socket.on('pong', () => (alive = true));

    const fail = (code: string, message: string, close = false) => {
      send(socket, { type: 'error', error: { code, message } });
      if (close) socket.close(4003, code);
    };

    const onAuth = async (f: Extract<ClientFrame, { type: 'auth' }>) => {
      const token = typeof f.token === 'string' ? f.token : cookieOk;
      who = token ? await authenticate(deps, token) : null;
      clearTimeout(authTimer);
      if (!who) return fail('unauthorized', 'Authentication failed.', true);
      // As over HTTP (app.ts): outside PARLEY_ADMIN_ALLOWLIST an admin has member rights.
      who = restrictAdmin(who, req.ip, adminAllowed).auth;
      if (who.session.stage !== 'full') {
        who = null;
        return fail('enrolment_required', 'Set up two-factor authentication first.', true);
      }
      if (socket.readyState !== socket.OPEN) return;
      // A socket is a use of the session too, for the distant-addresses watch (security/anomalies.ts).
      deps.security?.sessionUsed({ sessionId: who.session.id, kind: who.session.kind, userId: who.user.id, ip: req.ip });
      // `who` carries the effective role (token scopes, allowlist): admin-only events go by it.
      const adminRights = who.user.role === 'admin';
      const r = f.resume;
      if (r && typeof r.connectionId === 'string' && Number.isInteger(r.lastSeq)) {
        const old = isUuid(r.connectionId) ? hub.findResumable(who.user.id, r.connectionId, adminRights) : null;
        const missed = old ? old.framesAfter(r.lastSeq) : null;
        if (old && missed) {
          const userId = who.user.id;
          stream = old;
          hub.attach(old, socket, () => {
            send(socket, { type: 'ready', connectionId: old.id, userId, resumed: true, seq: r.lastSeq });
            for (const fr of missed) socket.send(fr);
          });
          return;
        }
        send(socket, { type: 'resync' });
      }
      const userId = who.user.id;
      stream = hub.open(userId, who.session.id, adminRights, socket, (s) =>
        send(socket, { type: 'ready', connectionId: s.id, userId, resumed: false, seq: s.seq }));
    };

    socket.on('message', (data) => {
      const f = parse(data);
      if (!f) return fail('invalid_json', 'Frames must be JSON objects with a type.');
      if (!who) {
        // Frames sent right behind `auth` (a pipelining client) wait for it to finish.
        if (authing) return void pending.push(data);
        if (f.type !== 'auth') return fail('unauthorized', 'The first frame must be {"type":"auth"}.', true);
        authing = true;
        onAuth(f).then(
          () => {
            authing = false;
            if (who) for (const d of pending.splice(0)) socket.emit('message', d, false);
          },
          (err) => {
            req.log.error({ err }, 'websocket auth failed');
            fail('internal_error', 'Authentication could not be completed.', true);
          },
        );
        return;
      }
      const actor = { id: who.user.id, role: who.user.role };
      switch (f.type) {
        case 'ping':
          return send(socket, { type: 'pong' });
        case 'activity':
          return presence.activity(actor.id);
        case 'presence.subscribe': {
          const ids = Array.isArray(f.userIds) ? f.userIds : null;
          if (!ids || ids.length > MAX_PRESENCE_WATCH || !ids.every((u) => typeof u === 'string' && isUuid(u))) {
            return fail('invalid_request', `presence.subscribe needs userIds: at most ${MAX_PRESENCE_WATCH} UUIDs.`);
          }
          hub.watch(stream!, ids);
          // The current state of the newly watched, so the client need not fetch it separately.
          send(socket, { type: 'presence.snapshot', presence: Object.fromEntries(ids.map((u) => [u, presence.statusOf(u)])) });
          return;
        }
        case 'typing': {
          const now = Date.now();
          if (now - lastTyping < TYPING_MIN_INTERVAL_MS) return;
          lastTyping = now;
          const root = f.threadRootId ?? null;
          if (typeof f.channelId !== 'string' || !isUuid(f.channelId) || (root !== null && (typeof root !== 'string' || !isUuid(root)))) {
            return fail('invalid_request', 'typing needs a channelId (and optionally threadRootId) as UUIDs.');
          }
          presence.activity(actor.id);
          doTyping(deps, actor, f.channelId, root).catch(() => {});
          return;
        }
        case 'auth':
          return fail('invalid_request', 'Already authenticated.');
        default:
          return fail('invalid_request', `Unknown frame type.`);
      }
    });

    socket.on('close', () => {
      clearTimeout(authTimer);
      clearInterval(pinger);
      if (stream) hub.detach(stream, socket);
    });
    socket.on('error', () => socket.terminate());
  });
}
