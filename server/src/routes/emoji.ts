// Custom emoji: add (multipart: name + image), list, image, remove.
import Type from 'typebox';
import { CustomEmoji } from '@parley/protocol';
import { AppError } from '../errors.js';
import * as emoji from '../actions/emoji.js';
import { FILE_CSP } from '../files/content.js';
import { readUpTo } from '../files/intake.js';
import { Errors, NoContent, actor, clientInfo, session, type RouteModule } from './plumbing.js';
import { requireMultipart, withUploadErrors } from './uploads.js';
import { Binary } from './files.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 66 }) });

export const emojiRoutes: RouteModule = (app, deps) => {
  const max = deps.config.files.maxEmojiSize;

  app.post('/api/v1/emoji', {
    schema: {
      summary: `Add a custom emoji (multipart/form-data: name, and an image up to ${max} bytes); admins, or members when allowed`,
      tags: ['emoji'],
      consumes: ['multipart/form-data'],
      // For the OpenAPI document only: the handler reads the form itself.
      body: Type.Object({ name: Type.Optional(Type.String({ description: 'partyparrot or :partyparrot:' })), image: Type.Optional(Binary) }),
      response: { 201: CustomEmoji, ...Errors, 415: Errors[400] },
    },
  }, async (req, reply) => {
    const me = actor(req);
    requireMultipart(req);
    const { name, image } = await withUploadErrors(max, async () => {
      let name: string | undefined;
      let image: Buffer | undefined;
      for await (const part of req.parts({ limits: { files: 1, fields: 5, fieldSize: 256, parts: 6, fileSize: max + 1 } })) {
        if (part.type === 'file') image = await readUpTo(part.file, max);
        else if (part.fieldname === 'name' && typeof part.value === 'string') name = part.value;
      }
      return { name, image };
    }, { readingOnly: true });
    if (name === undefined || image === undefined) throw new AppError(400, 'invalid_request', 'Send a name field and an image file.');
    return reply.code(201).send(await emoji.doAddEmoji(deps, me, name, image));
  });

  app.get('/api/v1/emoji', {
    schema: { summary: 'All custom emoji', tags: ['emoji'], response: { 200: Type.Object({ emoji: Type.Array(CustomEmoji) }), ...Errors } },
  }, async () => ({ emoji: await emoji.listEmoji(deps) }));

  app.get('/api/v1/emoji/:name/image', {
    exposeHeadRoute: false,
    schema: {
      summary: "A custom emoji's image",
      tags: ['emoji'],
      params: NameParams,
      querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }),
      response: { 200: Binary, ...Errors },
    },
  }, async (req, reply) => {
    const img = await emoji.openEmojiImage(deps, req.params.name);
    return reply
      .header('content-type', img.mimeType)
      .header('content-length', String(img.size))
      .header('content-security-policy', FILE_CSP)
      .header('cross-origin-resource-policy', 'same-origin')
      .header('cache-control', 'private, max-age=86400')
      .send(img.stream);
  });

  app.delete('/api/v1/emoji/:name', {
    schema: { summary: 'Remove a custom emoji (admins and whoever added it)', tags: ['emoji'], params: NameParams, response: { 204: NoContent, ...Errors } },
  }, async (req, reply) => {
    await emoji.doDeleteEmoji(deps, session(req).user, req.params.name, clientInfo(req));
    return reply.code(204).send(null);
  });
};
