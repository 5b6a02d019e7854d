// /sessions: my signed-in devices, revoking one; admins end all of someone's sessions.
import Type from 'typebox';
import { SessionInfo } from '@parley/protocol';
import { doRevokeSession, doRevokeUserSessions, listMySessions } from '../actions/sessions.js';
import { Errors, IdParams, NoContent, clientInfo, session, type RouteModule } from './plumbing.js';

export const sessionRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/sessions', {
    config: { sessionOnly: true },
    schema: {
      summary: 'My signed-in sessions: client, IP, created, last seen; `current` marks this one',
      tags: ['sessions'],
      response: { 200: Type.Object({ sessions: Type.Array(SessionInfo) }), ...Errors },
    },
  }, async (req) => ({ sessions: await listMySessions(deps, session(req).user, session(req).session) }));

  app.delete('/api/v1/sessions/:id', {
    config: { sessionOnly: true },
    schema: {
      summary: 'End one of my sessions (its sockets close at once)',
      tags: ['sessions'],
      params: IdParams,
      response: { 204: NoContent, ...Errors },
    },
  }, async (req, reply) => {
    await doRevokeSession(deps, session(req).user, req.params.id, clientInfo(req));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/users/:id/sessions/revoke', {
    schema: {
      summary: "End every session and personal access token of a user (admins)",
      tags: ['sessions'],
      params: IdParams,
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...Errors },
    },
  }, async (req) => doRevokeUserSessions(deps, session(req).user, req.params.id, clientInfo(req)));
};
