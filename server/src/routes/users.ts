// /users: me, profiles, search, presence, and admin changes to accounts.
import Type from 'typebox';
import { PresenceStatus, User, UserRole } from '@parley/protocol';
import { presentUser } from '../presenters/user.js';
import { doAdminUpdateUser, doUpdateMe, getUser, listUsers } from '../actions/users.js';
import { Errors, IdParams, Limit, clientInfo, session, type RouteModule } from './plumbing.js';

export const userRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/users/me', {
    config: { duringEnrolment: true },
    schema: { summary: 'The signed-in user', tags: ['users'], response: { 200: User, ...Errors } },
  }, async (req) => presentUser(session(req).user, session(req).user));

  app.patch('/api/v1/users/me', {
    schema: {
      summary: 'Update my profile; changing email or password needs currentPassword',
      tags: ['users'],
      body: Type.Object({
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        statusText: Type.Optional(Type.String({ maxLength: 100 })),
        statusEmoji: Type.Optional(Type.String({ maxLength: 64 })),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
        password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
        currentPassword: Type.Optional(Type.String({ maxLength: 1024 })),
      }, { additionalProperties: false }),
      response: { 200: User, ...Errors },
    },
  }, async (req) => doUpdateMe(deps, session(req).user, session(req).session.id, req.body, clientInfo(req)));

  app.get('/api/v1/users', {
    schema: {
      summary: 'Find people by username or display name (admins also by email)',
      tags: ['users'],
      querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Limit(100, 1000)) }),
      response: { 200: Type.Object({ users: Type.Array(User) }), ...Errors },
    },
  }, async (req) => ({ users: await listUsers(deps, session(req).user, req.query.query ?? '', req.query.limit ?? 100) }));

  app.get('/api/v1/users/presence', {
    schema: {
      summary: 'Everyone who is online or away (anyone absent is offline)',
      tags: ['users'],
      response: { 200: Type.Object({ presence: Type.Record(Type.String(), PresenceStatus) }), ...Errors },
    },
  }, async (req) => {
    session(req);
    return { presence: deps.presence.snapshot() };
  });

  app.get('/api/v1/users/:id', {
    schema: { summary: 'One user', tags: ['users'], params: IdParams, response: { 200: User, ...Errors } },
  }, async (req) => getUser(deps, session(req).user, req.params.id));

  app.patch('/api/v1/users/:id', {
    schema: {
      summary: 'Change role, deactivate or reactivate an account (admins)',
      tags: ['users'],
      params: IdParams,
      body: Type.Object({
        role: Type.Optional(UserRole),
        deactivated: Type.Optional(Type.Boolean()),
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
      }, { additionalProperties: false }),
      response: { 200: User, ...Errors },
    },
  }, async (req) => doAdminUpdateUser(deps, session(req).user, req.params.id, req.body, clientInfo(req)));
};
