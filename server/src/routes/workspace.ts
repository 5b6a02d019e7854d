// GET/PATCH /workspace: the name, whether setup is needed, whether sign-up is open.
import Type from 'typebox';
import { Workspace } from '@parley/protocol';
import { doUpdateWorkspace, getWorkspace } from '../actions/workspace.js';
import { Errors, clientInfo, session, type RouteModule } from './plumbing.js';

export const workspaceRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/workspace', {
    config: { public: true },
    schema: { summary: 'Workspace name and sign-up state (no sign-in needed)', tags: ['workspace'], response: { 200: Workspace, ...Errors } },
  }, async () => getWorkspace(deps));

  app.patch('/api/v1/workspace', {
    schema: {
      summary: 'Change workspace settings (admins)',
      tags: ['workspace'],
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        openSignup: Type.Optional(Type.Boolean()),
        membersCanAddEmoji: Type.Optional(Type.Boolean()),
        linkPreviews: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 200: Workspace, ...Errors },
    },
  }, async (req) => doUpdateWorkspace(deps, session(req).user, {
    workspaceName: req.body.name, openSignup: req.body.openSignup, membersCanAddEmoji: req.body.membersCanAddEmoji,
    linkPreviews: req.body.linkPreviews,
  }, clientInfo(req)));
};
