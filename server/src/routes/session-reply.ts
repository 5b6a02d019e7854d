// The reply that starts a session (sign-up, sign-in, a completed second factor, a passkey
// sign-in): cookies for the web client, the token in the body for API clients. A sign-in
// that needs a second factor answers with a challenge instead and sets no cookie.
import Type from 'typebox';
import { LoginChallenge, TwoFactorNotice, User } from '@parley/protocol';
import type { FastifyReply } from 'fastify';
import type { LoginResult, NewSession } from '../actions/auth.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/cookies.js';

export const SessionReply = Type.Object({
  user: User,
  token: Type.String(),
  csrfToken: Type.String(),
  /** Only when the workspace requires two-factor of this user and they have none yet. */
  twoFactor: Type.Optional(TwoFactorNotice),
});

export const LoginReply = Type.Union([SessionReply, LoginChallenge]);

export function beginSession(reply: FastifyReply, s: NewSession, secure: boolean) {
  const opts = { path: '/', sameSite: 'lax' as const, secure, expires: s.expiresAt };
  reply.setCookie(SESSION_COOKIE, s.token, { ...opts, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...opts, httpOnly: false });
  return { user: s.user, token: s.token, csrfToken: s.csrfToken, ...(s.twoFactor && { twoFactor: s.twoFactor }) };
}

export function loginReply(reply: FastifyReply, r: LoginResult, secure: boolean) {
  return 'challenge' in r ? r.challenge : beginSession(reply, r.session, secure);
}
