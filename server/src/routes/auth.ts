// POST /auth/signup, /auth/login, /auth/logout and admin invites.
import Type from 'typebox';
import { User } from '@parley/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { doCreateInvite, doLogin, doLogout, doSignup, checkInvite, type NewSession } from '../actions/auth.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/cookies.js';
import { Errors, NoContent, session, type RouteModule } from './plumbing.js';


const SessionReply = Type.Object({ user: User, token: Type.String(), csrfToken: Type.String() });

function client(req: FastifyRequest) {
  return { userAgent: String(req.headers['user-agent'] ?? ''), ip: req.ip };
}

export const authRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: '1 minute' } };

  // The web client uses the httpOnly cookie; API clients use the token from the body.
  const begin = (reply: FastifyReply, s: NewSession) => {
    const opts = { path: '/', sameSite: 'lax' as const, secure, expires: s.expiresAt };
    reply.setCookie(SESSION_COOKIE, s.token, { ...opts, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, s.csrfToken, { ...opts, httpOnly: false });
    return { user: s.user, token: s.token, csrfToken: s.csrfToken };
  };

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
      summary: 'Sign in with username or email and password',
      tags: ['auth'],
      body: Type.Object({
        login: Type.String({ minLength: 1, maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
      }, { additionalProperties: false }),
      response: { 200: SessionReply, ...Errors },
    },
  }, async (req, reply) => begin(reply, await doLogin(deps, req.body.login, req.body.password, client(req))));

  app.post('/api/v1/auth/logout', {
    schema: { summary: 'End this session', tags: ['auth'], response: { 204: NoContent, ...Errors } },
  }, async (req, reply) => {
    await doLogout(deps, session(req).session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.post('/api/v1/invites', {
    schema: {
      summary: 'Create a single-use invite link (admins)',
      tags: ['auth'],
      body: Type.Object({ expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ token: Type.String(), url: Type.String(), expiresAt: Type.String() }), ...Errors },
    },
  }, async (req, reply) => {
    const invite = await doCreateInvite(deps, session(req).user, req.body?.expiresInDays ?? 7);
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
