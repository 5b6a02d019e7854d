// DELETE /messages/{id}/previews: the author removes link previews from their message.
// GET /messages/{id}/previews/{imageId}/image: a preview's image, as Parley stored it.
import Type from 'typebox';
import { Id, Message } from '@parley/protocol';
import { accessPreviewImage, doRemovePreviews } from '../actions/previews.js';
import { FILE_CSP } from '../files/content.js';
import { Binary } from './files.js';
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

  app.get('/api/v1/messages/:id/previews/:imageId/image', {
    exposeHeadRoute: false,
    schema: {
      summary: "A link preview's image (webp, at most 600 px), stored by Parley so viewers never contact the linked site",
      tags: ['messages'],
      params: Type.Object({ id: Id, imageId: Id }),
      response: { 200: Binary, ...Errors, 503: Errors[400] },
    },
  }, async (req, reply) => {
    const img = await accessPreviewImage(deps, actor(req), req.params.id, req.params.imageId);
    const stream = await img.open();
    return reply
      .header('content-type', 'image/webp')
      .header('content-length', String(img.size))
      .header('content-disposition', 'inline; filename="preview.webp"')
      // The same rules as file downloads: opened directly it is a sandboxed document.
      .header('content-security-policy', FILE_CSP)
      .header('cross-origin-resource-policy', 'same-origin')
      .header('cache-control', 'private, max-age=3600')
      .send(stream);
  });
};
