// Files: upload (multipart), metadata, download with Range, image thumbnails and previews,
// a channel's files, search by name, and storage use for admins.
import Type from 'typebox';
import { FileInfo, Id } from '@parley/protocol';
import { AppError } from '../errors.js';
import * as files from '../actions/files.js';
import { contentDisposition, FILE_CSP, isInline, parseRange } from '../files/content.js';
import { Errors, IdParams, Limit, NoContent, actor, type RouteModule } from './plumbing.js';
import { fileParts, requireMultipart, withUploadErrors } from './uploads.js';

/** The bytes themselves (streamed, not serialized). */
export const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'File content' });
const FilePage = Type.Object({ files: Type.Array(FileInfo), hasMore: Type.Boolean() });
const Paging = { before: Type.Optional(Id), limit: Type.Optional(Limit(50, 200)) };

export const fileRoutes: RouteModule = (app, deps) => {
  const max = deps.config.files.maxFileSize;

  app.post('/api/v1/files', {
    schema: {
      summary: `Upload one or several files (multipart/form-data, at most ${files.MAX_FILES_PER_UPLOAD}, each up to ${max} bytes); ` +
        'they stay private to you until posted with a message (fileIds)',
      tags: ['files'],
      consumes: ['multipart/form-data'],
      // For the OpenAPI document only: the form is read as a stream, part by part, by the handler.
      body: Type.Object({ file: Type.Optional(Type.Array(Binary, { description: 'One part per file' })) }),
      response: { 201: Type.Object({ files: Type.Array(FileInfo) }), ...Errors, 415: Errors[400] },
    },
  }, async (req, reply) => {
    const me = actor(req);
    requireMultipart(req);
    // The transport's limit sits one byte above ours, so the action's own check answers first.
    const parts = fileParts(req, { fileSize: max + 1, files: files.MAX_FILES_PER_UPLOAD + 1 });
    const out = await withUploadErrors(max, () => files.doUploadFiles(deps, me, parts));
    return reply.code(201).send({ files: out });
  });

  app.get('/api/v1/files', {
    schema: {
      summary: 'Files I can read whose name contains the query, newest first',
      tags: ['files'],
      querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 200 })), ...Paging }),
      response: { 200: FilePage, ...Errors },
    },
  }, async (req) => files.searchFiles(deps, actor(req), req.query.query ?? '', { before: req.query.before, limit: req.query.limit ?? 50 }));

  app.get('/api/v1/files/:id', {
    schema: { summary: "A file's metadata", tags: ['files'], params: IdParams, response: { 200: FileInfo, ...Errors } },
  }, async (req) => files.getFile(deps, actor(req), req.params.id));

  app.delete('/api/v1/files/:id', {
    schema: {
      summary: 'Delete one of my uploads not yet sent (files in messages go with the message)',
      tags: ['files'], params: IdParams, response: { 204: NoContent, ...Errors },
    },
  }, async (req, reply) => {
    await files.doDeleteUpload(deps, actor(req), req.params.id);
    return reply.code(204).send(null);
  });

  const variants = [['content', 'original'], ['thumbnail', 'thumbnail'], ['preview', 'preview']] as const;
  for (const [path, variant] of variants) {
    app.get(`/api/v1/files/:id/${path}`, {
      exposeHeadRoute: false,
      schema: {
        summary: variant === 'original'
          ? 'Download a file (Range supported; ?download=true forces an attachment)'
          : `The ${variant} of an image (webp)`,
        tags: ['files'],
        params: IdParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
        response: { 200: Binary, 206: Binary, ...Errors, 416: Errors[400], 503: Errors[400] },
      },
    }, async (req, reply) => {
      const c = await files.accessFileContent(deps, actor(req), req.params.id, variant);
      const range = variant === 'original' ? parseRange(req.headers.range, c.size) : null;
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${c.size}`);
        throw new AppError(416, 'range_not_satisfiable', `The file has ${c.size} bytes.`);
      }
      const stream = await c.open(range ?? undefined);
      reply
        .code(range ? 206 : 200)
        .header('content-type', c.mimeType)
        .header('content-length', String(range ? range.end - range.start + 1 : c.size))
        .header('content-disposition', contentDisposition(c.name, !req.query.download && isInline(c.mimeType)))
        // Even opened directly, an uploaded page is a sandboxed document with no script and no access to our origin.
        .header('content-security-policy', FILE_CSP)
        .header('cross-origin-resource-policy', 'same-origin')
        .header('accept-ranges', variant === 'original' ? 'bytes' : 'none')
        .header('cache-control', 'private, max-age=3600');
      if (range) reply.header('content-range', `bytes ${range.start}-${range.end}/${c.size}`);
      return reply.send(stream);
    });
  }

  app.get('/api/v1/channels/:id/files', {
    schema: {
      summary: "A channel's files, newest first; page with before=<file id>",
      tags: ['files'],
      params: IdParams,
      querystring: Type.Object(Paging),
      response: { 200: FilePage, ...Errors },
    },
  }, async (req) => files.listChannelFiles(deps, actor(req), req.params.id, { before: req.query.before, limit: req.query.limit ?? 50 }));

  app.get('/api/v1/admin/storage', {
    schema: {
      summary: 'Storage used per person (admins)',
      tags: ['files'],
      response: {
        200: Type.Object({
          totalBytes: Type.Integer(),
          totalFiles: Type.Integer(),
          users: Type.Array(Type.Object({ userId: Id, username: Type.String(), files: Type.Integer(), bytes: Type.Integer() })),
        }),
        ...Errors,
      },
    },
  }, async (req) => files.getStorageUse(deps, actor(req)));
};
