// POST /auth/signup, /auth/login, /auth/logout and admin invites.
import Type from 'typebox';
import { doCreateInvite, doLogin, doLogout, doSignup, checkInvite } from '../actions/auth.js';
import { auditingSignIn } from '../actions/sign-in-audit.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/cookies.js';
import { Errors, NoContent, clientInfo as client, session, type RouteModule, authRateLimit } from './plumbing.js';
import { LoginReply, SessionReply, beginSession, loginReply } from './session-reply.js';

export const authRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = authRateLimit(deps);
  // The web client uses the httpOnly cookie; API clients use the token from the body.
  const begin = (reply: Parameters<typeof beginSession>[0], s: Parameters<typeof beginSession>[1]) => beginSession(reply, s, secure);

  app.post('/api/v1/auth/signup', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Create an account (the first one becomes admin; later ones need an invite unless sign-up is open)',
      tags: ['auth'],
      body: Type.Object({
        username: Type.String({ minLength: 2, maxLength: 32 }),
        email: Type.String({ format: 'email', maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
        displayName: Type.Optional(Type.String({ maxLength: 80 })),
        inviteToken: Type.Optional(Type.String({ maxLength: 200 })),
        workspaceName: Type.Optional(Type.String({ maxLength: 80 })),
      }, { additionalProperties: false }),
      response: { 201: SessionReply, ...Errors },
    },
  }, async (req, reply) => {
    const s = await doSignup(deps, req.body, client(req));
    return reply.code(201).send(begin(reply, s));
  });

  app.post('/api/v1/auth/login', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Sign in with username or email and password; with two-factor on, the answer is a challenge for POST /auth/2fa',
      tags: ['auth'],
      body: Type.Object({
        login: Type.String({ minLength: 1, maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
      }, { additionalProperties: false }),
      response: { 200: LoginReply, ...Errors },
    },
  }, async (req, reply) => loginReply(reply, await auditingSignIn(deps, client(req), { method: 'password', login: req.body.login },
    () => doLogin(deps, req.body.login, req.body.password, client(req))), secure));

  app.post('/api/v1/auth/logout', {
    config: { duringEnrolment: true },
    schema: { summary: 'End this session', tags: ['auth'], response: { 204: NoContent, ...Errors } },
  }, async (req, reply) => {
    await doLogout(deps, session(req).session, session(req).user, client(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.post('/api/v1/invites', {
    schema: {
      summary: 'Create a single-use invite link (admins); role guest makes a guest who joins no channel until added',
      tags: ['auth'],
      body: Type.Object({
        expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
        role: Type.Optional(Type.Union([Type.Literal('member'), Type.Literal('guest')])),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ token: Type.String(), url: Type.String(), expiresAt: Type.String() }), ...Errors },
    },
  }, async (req, reply) => {
    const invite = await doCreateInvite(deps, session(req).user, client(req), req.body?.expiresInDays ?? 7, req.body?.role ?? 'member');
    return reply.code(201).send(invite);
  });

  app.get('/api/v1/invites/:token', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Whether an invite can still be used',
      tags: ['auth'],
      params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
      response: { 200: Type.Object({ valid: Type.Boolean() }), ...Errors },
    },
  }, async (req) => ({ valid: await checkInvite(deps, req.params.token) }));
};
