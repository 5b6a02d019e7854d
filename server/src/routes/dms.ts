// POST /dms: the DM or group DM with exactly these people (and me).
import Type from 'typebox';
import { Id, MyChannel } from '@parley/protocol';
import { doOpenDm, MAX_GROUP } from '../actions/dms.js';
import { Errors, actor, type RouteModule } from './plumbing.js';

export const dmRoutes: RouteModule = (app, deps) => {
  app.post('/api/v1/dms', {
    schema: {
      summary: 'Open the DM or group DM with these people: 200 when it exists, 201 when new',
      tags: ['channels'],
      // The action counts distinct people (me included) and answers invalid_dm past MAX_GROUP; the
      // schema only bounds the request's size, so nine to 64 ids get invalid_dm rather than a schema error.
      body: Type.Object({ userIds: Type.Array(Id, { maxItems: MAX_GROUP * 8 }) }, { additionalProperties: false }),
      response: { 200: MyChannel, 201: MyChannel, ...Errors },
    },
  }, async (req, reply) => {
    const { channel, created } = await doOpenDm(deps, actor(req), req.body.userIds);
    return reply.code(created ? 201 : 200).send(channel);
  });
};
