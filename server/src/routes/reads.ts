// Read state and threads: mark read, follow, and the Threads view.
import Type from 'typebox';
import { Id, MyChannel, ThreadSummary } from '@parley/protocol';
import * as reads from '../actions/reads.js';
import { Errors, IdParams, Limit, actor, type RouteModule } from './plumbing.js';

export const readRoutes: RouteModule = (app, deps) => {
  app.post('/api/v1/channels/:id/read', {
    schema: {
      summary: 'Mark the channel read up to a message (or to its newest one); all my devices update',
      tags: ['read state'],
      params: IdParams,
      body: Type.Object({ messageId: Type.Optional(Id) }, { additionalProperties: false }),
      response: { 200: MyChannel, ...Errors },
    },
  }, async (req) => reads.doMarkChannelRead(deps, actor(req), req.params.id, req.body?.messageId));

  app.get('/api/v1/threads', {
    schema: {
      summary: 'Threads I follow, most recent activity first, with unread replies',
      tags: ['threads'],
      querystring: Type.Object({ limit: Type.Optional(Limit(50, 200)) }),
      response: { 200: Type.Object({ threads: Type.Array(ThreadSummary) }), ...Errors },
    },
  }, async (req) => ({ threads: await reads.listThreads(deps, actor(req), req.query.limit ?? 50) }));

  app.post('/api/v1/messages/:id/thread/read', {
    schema: { summary: 'Mark a thread read', tags: ['threads'], params: IdParams, response: { 200: ThreadSummary, ...Errors } },
  }, async (req) => reads.doMarkThreadRead(deps, actor(req), req.params.id));

  for (const [method, following] of [['put', true], ['delete', false]] as const) {
    app[method]('/api/v1/messages/:id/thread/follow', {
      schema: { summary: following ? 'Follow a thread' : 'Unfollow a thread', tags: ['threads'], params: IdParams, response: { 200: ThreadSummary, ...Errors } },
    }, async (req) => reads.doSetFollowing(deps, actor(req), req.params.id, following));
  }
};
