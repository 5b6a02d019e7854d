// PUT/DELETE /messages/{id}/reactions/{emoji}
import Type from 'typebox';
import { Id, Message } from '@parley/protocol';
import { doReact } from '../actions/reactions.js';
import { Errors, actor, type RouteModule } from './plumbing.js';

export const reactionRoutes: RouteModule = (app, deps) => {
  const params = Type.Object({ id: Id, emoji: Type.String({ minLength: 1, maxLength: 80 }) });
  for (const [method, add] of [['put', true], ['delete', false]] as const) {
    app[method]('/api/v1/messages/:id/reactions/:emoji', {
      schema: {
        summary: add ? 'React with an emoji shortcode (once per person per emoji)' : 'Take my reaction back',
        tags: ['reactions'],
        params,
        response: { 200: Message, ...Errors },
      },
    }, async (req) => doReact(deps, actor(req), req.params.id, req.params.emoji, add));
  }
};
