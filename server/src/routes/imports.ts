// Imports started by an admin: upload a Slack export zip, then poll the job for progress and
// the report. The web client's screen for it lives in web/.
import Type from 'typebox';
import { ImportJob } from '@parley/protocol';
import * as imports from '../actions/imports.js';
import { Errors, IdParams, actor, clientInfo, session, type RouteModule } from './plumbing.js';
import { fileParts, withUploadErrors } from './uploads.js';

export const importRoutes: RouteModule = (app, deps) => {
  app.post('/api/v1/admin/imports', {
    schema: {
      summary: 'Start importing a Slack export (multipart/form-data, one zip file; admins)',
      tags: ['imports'],
      querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
      response: { 202: ImportJob, ...Errors },
    },
  }, async (req, reply) => {
    const parts = fileParts(req, { fileSize: imports.MAX_IMPORT_UPLOAD, files: 1 });
    const job = await withUploadErrors(imports.MAX_IMPORT_UPLOAD, () => imports.doStartImport(deps, session(req).user, parts, { dryRun: req.query.dryRun === true }, clientInfo(req)));
    return reply.code(202).send(job);
  });

  app.get('/api/v1/admin/imports/:id', {
    schema: {
      summary: "An import's status, progress and report (admins)",
      tags: ['imports'],
      params: IdParams,
      response: { 200: ImportJob, ...Errors },
    },
  }, async (req) => imports.getImport(deps, actor(req), req.params.id));
};
