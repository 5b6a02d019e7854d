// /tokens: personal access tokens for scripts. The secret is in the create answer only.
import Type from 'typebox';
import { AccessToken, TokenScope } from '@parley/protocol';
import { doCreateToken, doRevokeToken, listTokens } from '../actions/tokens.js';
import { Errors, IdParams, NoContent, clientInfo, session, type RouteModule } from './plumbing.js';

export const tokenRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/tokens', {
    config: { sessionOnly: true },
    schema: { summary: 'My personal access tokens', tags: ['tokens'], response: { 200: Type.Object({ tokens: Type.Array(AccessToken) }), ...Errors } },
  }, async (req) => ({ tokens: await listTokens(deps, session(req).user) }));

  app.post('/api/v1/tokens', {
    config: { sessionOnly: true },
    schema: {
      summary: 'Create a personal access token (read: GET only; write: member rights; admin: admin rights, admins only)',
      tags: ['tokens'],
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Array(TokenScope, { minItems: 1, maxItems: 3 }),
        expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ token: AccessToken, secret: Type.String({ description: 'Shown once: use as Authorization: Bearer <secret>' }) }), ...Errors },
    },
  }, async (req, reply) => reply.code(201).send(await doCreateToken(deps, session(req).user, req.body, clientInfo(req))));

  app.delete('/api/v1/tokens/:id', {
    config: { sessionOnly: true },
    schema: { summary: 'Revoke a personal access token', tags: ['tokens'], params: IdParams, response: { 204: NoContent, ...Errors } },
  }, async (req, reply) => {
    await doRevokeToken(deps, session(req).user, req.params.id, clientInfo(req));
    return reply.code(204).send(null);
  });
};
