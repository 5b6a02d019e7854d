// /channels: my channels, browse, create, read, update, archive, join, leave, mute.
import Type from 'typebox';
import { Channel, MyChannel } from '@parley/protocol';
import * as ch from '../actions/channels.js';
import { Errors, IdParams, Limit, actor, type RouteModule } from './plumbing.js';

const ChannelOrMine = Type.Union([MyChannel, Channel]);

export const channelRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/channels', {
    schema: {
      summary: 'My channels, DMs and group DMs with unread and mention counts',
      tags: ['channels'],
      response: { 200: Type.Object({ channels: Type.Array(MyChannel) }), ...Errors },
    },
  }, async (req) => ({ channels: await ch.listMyChannels(deps, actor(req)) }));

  app.get('/api/v1/channels/browse', {
    schema: {
      summary: 'Public channels I may join',
      tags: ['channels'],
      querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Limit(100, 500)) }),
      response: { 200: Type.Object({ channels: Type.Array(Channel) }), ...Errors },
    },
  }, async (req) => ({ channels: await ch.browseChannels(deps, actor(req), req.query.query ?? '', req.query.limit ?? 100) }));

  app.post('/api/v1/channels', {
    schema: {
      summary: 'Create a public or private channel (the creator becomes its owner)',
      tags: ['channels'],
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 80 }),
        kind: Type.Union([Type.Literal('public'), Type.Literal('private')]),
        topic: Type.Optional(Type.String({ maxLength: 250 })),
        purpose: Type.Optional(Type.String({ maxLength: 250 })),
      }, { additionalProperties: false }),
      response: { 201: MyChannel, ...Errors },
    },
  }, async (req, reply) => reply.code(201).send(await ch.doCreateChannel(deps, actor(req), req.body)));

  app.get('/api/v1/channels/:id', {
    schema: { summary: 'One channel (with my read state when I am a member)', tags: ['channels'], params: IdParams, response: { 200: ChannelOrMine, ...Errors } },
  }, async (req) => ch.getChannel(deps, actor(req), req.params.id));

  app.patch('/api/v1/channels/:id', {
    schema: {
      summary: 'Change topic or purpose (members); name or read-only (owners and admins)',
      tags: ['channels'],
      params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        topic: Type.Optional(Type.String({ maxLength: 250 })),
        purpose: Type.Optional(Type.String({ maxLength: 250 })),
        readOnly: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 200: ChannelOrMine, ...Errors },
    },
  }, async (req) => ch.doUpdateChannel(deps, actor(req), req.params.id, req.body));

  app.post('/api/v1/channels/:id/archive', {
    schema: { summary: 'Archive: readable, no new posts (owners and admins)', tags: ['channels'], params: IdParams, response: { 200: ChannelOrMine, ...Errors } },
  }, async (req) => ch.doSetArchived(deps, actor(req), req.params.id, true));

  app.post('/api/v1/channels/:id/unarchive', {
    schema: { summary: 'Bring an archived channel back (owners and admins)', tags: ['channels'], params: IdParams, response: { 200: ChannelOrMine, ...Errors } },
  }, async (req) => ch.doSetArchived(deps, actor(req), req.params.id, false));

  app.post('/api/v1/channels/:id/join', {
    schema: { summary: 'Join a public channel', tags: ['channels'], params: IdParams, response: { 200: MyChannel, ...Errors } },
  }, async (req) => ch.doJoin(deps, actor(req), req.params.id));

  app.post('/api/v1/channels/:id/leave', {
    schema: { summary: 'Leave a channel', tags: ['channels'], params: IdParams, response: { 204: Type.Null(), ...Errors } },
  }, async (req, reply) => {
    await ch.doLeave(deps, actor(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.put('/api/v1/channels/:id/mute', {
    schema: { summary: 'Mute a channel for me', tags: ['channels'], params: IdParams, response: { 200: MyChannel, ...Errors } },
  }, async (req) => ch.doSetMuted(deps, actor(req), req.params.id, true));

  app.delete('/api/v1/channels/:id/mute', {
    schema: { summary: 'Unmute a channel for me', tags: ['channels'], params: IdParams, response: { 200: MyChannel, ...Errors } },
  }, async (req) => ch.doSetMuted(deps, actor(req), req.params.id, false));
};
