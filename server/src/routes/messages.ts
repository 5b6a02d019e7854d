// Messages: channel history, posting, and one message's read, edit, delete and history.
import Type from 'typebox';
import { Id, Message, MessageVersion } from '@parley/protocol';
import * as msg from '../actions/messages.js';
import { Errors, IdParams, Limit, NoContent, actor, clientInfo, session, type RouteModule } from './plumbing.js';

export const messageRoutes: RouteModule = (app, deps) => {
  // The length limit is checked by the action, so every over-long text gets 413 message_too_long
  // (a schema maxLength would turn some of them into a 400); the body limit bounds parsing.
  const text = Type.String({ description: `At most ${deps.config.maxMessageLength} characters` });

  app.get('/api/v1/channels/:id/messages', {
    schema: {
      summary: 'A page of top-level messages, oldest first: the newest page by default, or before/after/around a message',
      tags: ['messages'],
      params: IdParams,
      querystring: Type.Object({
        before: Type.Optional(Id), after: Type.Optional(Id), around: Type.Optional(Id), limit: Type.Optional(Limit(50, 200)),
      }),
      response: {
        200: Type.Object({ messages: Type.Array(Message), hasMore: Type.Boolean(), hasOlder: Type.Boolean(), hasNewer: Type.Boolean() }),
        ...Errors,
      },
    },
  }, async (req) => msg.listChannelMessages(deps, actor(req), req.params.id, { ...req.query, limit: req.query.limit ?? 50 }));

  app.post('/api/v1/channels/:id/messages', {
    schema: {
      summary: 'Post a message or a thread reply; a repeated clientId returns the first message instead of a second',
      tags: ['messages'],
      params: IdParams,
      body: Type.Object({
        text,
        threadRootId: Type.Optional(Type.Union([Id, Type.Null()])),
        clientId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000]*$' }), Type.Null()])),
        confirmChannelMention: Type.Optional(Type.Boolean()),
        /** My own uploads (POST /files) to share with the message; then text may be empty. */
        fileIds: Type.Optional(Type.Array(Id, { maxItems: 10, description: 'Uploads to share; then text may be empty' })),
      }, { additionalProperties: false }),
      response: { 201: Message, ...Errors },
    },
  }, async (req, reply) => {
    const { message } = await msg.doPostMessage(deps, actor(req), req.params.id, req.body);
    // The same answer for a retry as for the first attempt: that is what makes retries safe.
    return reply.code(201).send(message);
  });

  app.get('/api/v1/messages/:id', {
    schema: { summary: 'One message', tags: ['messages'], params: IdParams, response: { 200: Message, ...Errors } },
  }, async (req) => msg.getMessage(deps, actor(req), req.params.id));

  app.patch('/api/v1/messages/:id', {
    schema: {
      summary: 'Edit my message (the previous text is kept as a version)',
      tags: ['messages'],
      params: IdParams,
      body: Type.Object({ text }, { additionalProperties: false }),
      response: { 200: Message, ...Errors },
    },
  }, async (req) => msg.doEditMessage(deps, actor(req), req.params.id, req.body.text));

  app.delete('/api/v1/messages/:id', {
    schema: { summary: 'Delete a message (author, channel owners, admins); leaves a tombstone', tags: ['messages'], params: IdParams, response: { 204: NoContent, ...Errors } },
  }, async (req, reply) => {
    await msg.doDeleteMessage(deps, session(req).user, req.params.id, clientInfo(req));
    return reply.code(204).send(null);
  });

  app.get('/api/v1/messages/:id/versions', {
    schema: {
      summary: 'Earlier versions of an edited message (author and admins)',
      tags: ['messages'],
      params: IdParams,
      response: { 200: Type.Object({ versions: Type.Array(MessageVersion) }), ...Errors },
    },
  }, async (req) => ({ versions: await msg.listVersions(deps, actor(req), req.params.id) }));

  app.get('/api/v1/messages/:id/thread', {
    schema: {
      summary: 'A thread: its root and replies, oldest first',
      tags: ['threads'],
      params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Limit(1000, 5000)) }),
      response: { 200: Type.Object({ root: Message, replies: Type.Array(Message) }), ...Errors },
    },
  }, async (req) => msg.getThread(deps, actor(req), req.params.id, req.query.limit ?? 1000));

  app.get('/api/v1/channels/:id/pins', {
    schema: {
      summary: 'Pinned messages, most recently pinned first',
      tags: ['messages'],
      params: IdParams,
      response: { 200: Type.Object({ messages: Type.Array(Message) }), ...Errors },
    },
  }, async (req) => ({ messages: await msg.listPins(deps, actor(req), req.params.id) }));

  for (const [method, pinned] of [['put', true], ['delete', false]] as const) {
    app[method]('/api/v1/messages/:id/pin', {
      schema: { summary: pinned ? 'Pin a message' : 'Unpin a message', tags: ['messages'], params: IdParams, response: { 200: Message, ...Errors } },
    }, async (req) => msg.doSetPinned(deps, actor(req), req.params.id, pinned));
  }
};
