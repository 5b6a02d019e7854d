// GET /search: messages matching words and filters, in the channels the searcher can read.
import Type from 'typebox';
import { SearchPage, SearchSort } from '@parley/protocol';
import { searchMessages } from '../actions/search.js';
import { Errors, Limit, actor, type RouteModule } from './plumbing.js';

export const searchRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/search', {
    schema: {
      summary: 'Search messages: words, "phrases", -exclusions and the filters from:@user, in:#channel, in:@user, '
        + 'before:/after:/on:YYYY-MM-DD (UTC days), has:link, has:file and is:thread',
      tags: ['search'],
      querystring: Type.Object({
        q: Type.String({ maxLength: 1000 }),
        cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
        limit: Type.Optional(Limit(20, 100)),
        sort: Type.Optional(SearchSort),
      }),
      response: { 200: SearchPage, ...Errors },
    },
  }, async (req) => searchMessages(deps, actor(req), { ...req.query, limit: req.query.limit ?? 20 }));
};
