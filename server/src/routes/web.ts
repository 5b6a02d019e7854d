// Serves the built web client (web/dist) at `/`, with every unknown non-API path answered
// by index.html so that client-side routes (/c/<id>, permalinks) survive a reload.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './plumbing.js';

/** Same file layout from src/ (tests, tsx) and dist/ (npm start): server/<src|dist>/routes/web.*. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * Scripts only from our origin, no inline script, nothing framed, no plugins. Images only from
 * our origin too: link preview images are stored and served by Parley (previews/image.ts), so
 * a reader's browser never tells a third-party site who read what, and when.
 */
export const HTML_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:", "font-src 'self' data:", "object-src 'none'", "base-uri 'none'",
  "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Parley</title>
<p>Parley's API is running. The web client is not built yet: run <code>npm run build</code> and restart.</p>`;

export async function registerWeb(app: App, dir: string = WEB_DIST): Promise<void> {
  const built = fs.existsSync(path.join(dir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: false,
      // Hashed assets never change; index.html always revalidates.
      setHeaders: (res, file) => {
        res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const index = built ? fs.readFileSync(path.join(dir, 'index.html'), 'utf8') : NOT_BUILT;
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route for GET ${req.url.split('?')[0]}.` } });
    }
    if (built && req.url.startsWith('/assets/')) return reply.callNotFound();
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
  });
}
