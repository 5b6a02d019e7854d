// Signing in and out, and the realtime connection's life: connect, then fetch, then apply
// events; flush the outbox whenever the connection is back.
import type { User } from '@parley/protocol';
import { emptyState } from '@parley/protocol/reducer';
import { api } from '../api/endpoints';
import { needsSecondFactor, security, type SignInReply } from '../api/security';
import { ApiError, setUnauthorizedHandler } from '../api/http';
import { Realtime } from '../realtime/socket';
import { receive } from './apply';
import { applyPresenceSnapshot, presenceConnection } from './presence';
import { flushOutbox, restoreOutbox } from './outbox';
import { bootstrap } from './sync';
import { getStore, initialStore, setStore } from './store';

let realtime: Realtime | null = null;
let lastActivity = 0;

export function sendTyping(channelId: string, threadRootId: string | null): void {
  realtime?.send({ type: 'typing', channelId, threadRootId });
}

/** Tells the server the person is here (presence goes away after a quiet spell). */
export function noteActivity(): void {
  const now = Date.now();
  if (now - lastActivity < 60_000) return;
  lastActivity = now;
  realtime?.send({ type: 'activity' });
}

export function reconnectNow(): void {
  realtime?.reconnectNow();
}

async function syncAfterReady(resumed: boolean): Promise<void> {
  if (!resumed || !getStore().synced) {
    for (let i = 0; ; i++) {
      try {
        await bootstrap();
        break;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return signedOut();
        if (!realtime?.isReady || i >= 5) return realtime?.reconnectNow();
        await new Promise((r) => setTimeout(r, 500 * (i + 1)));
      }
    }
  }
  void flushOutbox();
}

function startSession(user: User): void {
  setStore({ phase: 'ready', data: { ...emptyState(user.id), users: { [user.id]: user } }, synced: false, connection: 'connecting' });
  restoreOutbox(user.id);
  realtime = new Realtime({
    onReady: (resumed) => {
      void syncAfterReady(resumed);
      presenceConnection((userIds) => realtime?.send({ type: 'presence.subscribe', userIds }));
    },
    onPresence: applyPresenceSnapshot,
    onEvent: receive,
    onStatus: (connection) => {
      if (connection !== 'online') presenceConnection(null);
      const prev = getStore();
      setStore({
        connection,
        offlineSince: connection === 'online' ? null : (prev.offlineSince ?? Date.now()),
      });
    },
    onUnauthorized: () => signedOut(),
  });
  realtime.start();
}

function signedOut(): void {
  presenceConnection(null);
  realtime?.stop();
  realtime = null;
  const workspace = getStore().workspace;
  setStore({ ...initialStore(), phase: 'signedOut', workspace });
}

/** On page load: setup screen, sign-in screen, or straight into the workspace. */
export async function boot(): Promise<void> {
  setUnauthorizedHandler(() => {
    if (getStore().phase === 'ready') signedOut();
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const workspace = await api.workspace();
      setStore({ workspace, bootError: null });
      if (workspace.setupRequired) return setStore({ phase: 'setup' });
      try {
        const me = await api.me();
        // A session restricted to two-factor enrolment cannot open the socket: enrol first.
        if ((await security.twoFactor()).enrolmentRequired) return setStore({ phase: 'enrol' });
        startSession(me);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return setStore({ phase: 'signedOut' });
        throw err;
      }
      return;
    } catch (err) {
      setStore({ bootError: err instanceof ApiError ? err.message : 'Cannot reach Parley.' });
      await new Promise((r) => setTimeout(r, Math.min(10_000, 1000 * 2 ** attempt)));
    }
  }
}

/** Finishes a sign-in answer: into the workspace, to forced enrolment, or back with the challenge to answer. */
export function completeSignIn(r: SignInReply): Extract<SignInReply, { twoFactorRequired: true }> | null {
  if (needsSecondFactor(r)) return r;
  if (r.twoFactor?.enrolmentRequired) setStore({ phase: 'enrol' });
  else startSession(r.user);
  return null;
}

/** The enrolment-only session became a full one (a second factor was set up). */
export async function enrolmentDone(): Promise<void> {
  startSession(await api.me());
}

export async function signIn(login: string, password: string, ldap = false): Promise<ReturnType<typeof completeSignIn>> {
  return completeSignIn(await (ldap ? security.ldapLogin(login, password) : security.login(login, password)));
}

export async function signUp(body: Parameters<typeof api.signup>[0]): Promise<void> {
  const s = await api.signup(body);
  if (body.workspaceName) setStore({ workspace: await api.workspace() });
  startSession(s.user);
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } finally {
    signedOut();
  }
}
