// DELETE /messages/{id}/previews: the author removes link previews from their message.
import Type from 'typebox';
import { Message } from '@parley/protocol';
import { doRemovePreviews } from '../actions/previews.js';
import { Errors, IdParams, actor, type RouteModule } from './plumbing.js';

export const previewRoutes: RouteModule = (app, deps) => {
  app.delete('/api/v1/messages/:id/previews', {
    schema: {
      summary: "Remove the link previews of my message (all, or one link's with ?url=); they are not fetched again",
      tags: ['messages'],
      params: IdParams,
      querystring: Type.Object({ url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })) }),
      response: { 200: Message, ...Errors },
    },
  }, async (req) => doRemovePreviews(deps, actor(req), req.params.id, req.query.url));
};
