// Password reset: admins make single-use links; anyone may ask for one by email when SMTP is
// configured; the link's token and a new password finish it.
import Type from 'typebox';
import { checkResetLink, doCreateResetLink, doRequestResetEmail, doResetPasswordWithLink } from '../actions/password-reset.js';
import { Errors, IdParams, NoContent, clientInfo, session, type RouteModule, authRateLimit } from './plumbing.js';

const ResetLink = Type.Object({ url: Type.String(), token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });
const Token = Type.String({ minLength: 1, maxLength: 200 });

export const passwordResetRoutes: RouteModule = (app, deps) => {
  const authLimit = authRateLimit(deps);

  app.post('/api/v1/users/:id/password-reset', {
    config: { sessionOnly: true },
    schema: {
      summary: 'Create a single-use password-reset link for a user (admins)',
      tags: ['auth'],
      params: IdParams,
      body: Type.Object({ expiresInMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10_080 })) }, { additionalProperties: false }),
      response: { 201: ResetLink, ...Errors },
    },
  }, async (req, reply) => reply.code(201).send(await doCreateResetLink(deps, session(req).user, req.params.id, req.body?.expiresInMinutes ?? 1440, clientInfo(req))));

  app.post('/api/v1/auth/password-reset/request', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Email a reset link to the account with this username or email (202 whether or not it exists)',
      tags: ['auth'],
      body: Type.Object({ login: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }),
      response: { 202: NoContent, ...Errors },
    },
  }, async (req, reply) => {
    await doRequestResetEmail(deps, req.body.login, clientInfo(req));
    return reply.code(202).send(null);
  });

  app.get('/api/v1/auth/password-reset/:token', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Whether a reset link can still be used',
      tags: ['auth'],
      params: Type.Object({ token: Token }),
      response: { 200: Type.Object({ valid: Type.Boolean() }), ...Errors },
    },
  }, async (req) => ({ valid: await checkResetLink(deps, req.params.token) }));

  app.post('/api/v1/auth/password-reset', {
    config: { public: true, ...authLimit },
    schema: {
      summary: "Set a new password with a reset link's token; every session and token of the account ends",
      tags: ['auth'],
      body: Type.Object({ token: Token, password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
      response: { 204: NoContent, ...Errors },
    },
  }, async (req, reply) => {
    await doResetPasswordWithLink(deps, req.body.token, req.body.password, clientInfo(req));
    return reply.code(204).send(null);
  });
};
