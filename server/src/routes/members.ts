// /channels/{id}/members: list, add, remove.
import Type from 'typebox';
import { ChannelMember, Id } from '@parley/protocol';
import * as ch from '../actions/channels.js';
import { Errors, IdParams, Limit, actor, type RouteModule } from './plumbing.js';

export const memberRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/channels/:id/members', {
    schema: {
      summary: 'Members of a channel, paged by user id',
      tags: ['members'],
      params: IdParams,
      querystring: Type.Object({ after: Type.Optional(Id), limit: Type.Optional(Limit(500, 1000)) }),
      response: { 200: Type.Object({ members: Type.Array(ChannelMember) }), ...Errors },
    },
  }, async (req) => ({ members: await ch.listMembers(deps, actor(req), req.params.id, req.query.limit ?? 500, req.query.after ?? null) }));

  app.post('/api/v1/channels/:id/members', {
    schema: {
      summary: 'Add people to a channel',
      tags: ['members'],
      params: IdParams,
      body: Type.Object({ userIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ added: Type.Array(Id) }), ...Errors },
    },
  }, async (req) => ch.doAddMembers(deps, actor(req), req.params.id, req.body.userIds));

  app.delete('/api/v1/channels/:id/members/:userId', {
    schema: {
      summary: 'Remove someone (owners and admins), or yourself',
      tags: ['members'],
      params: Type.Object({ id: Id, userId: Id }),
      response: { 204: Type.Null(), ...Errors },
    },
  }, async (req, reply) => {
    await ch.doRemoveMember(deps, actor(req), req.params.id, req.params.userId);
    return reply.code(204).send(null);
  });
};
