// The security headers of every response: API answers, the web client, file downloads,
// errors and 404s. One onSend hook (app.ts) so that no route can forget them.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** API answers are data, never a page: nothing may load from them or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** Two years, the value browsers' preload lists ask for. */
export const HSTS = 'max-age=63072000; includeSubDomains';

export interface HeaderOptions {
  /** The web client's policy (routes/web.ts). */
  htmlCsp: string;
  /** Strict-Transport-Security, only when Parley itself serves HTTPS: over plain HTTP it would be ignored or wrong. */
  hsts: boolean;
}

/** The onSend hook; also called directly where Fastify's hooks do not run (the router's own refusals). */
export function securityHeaders(opts: HeaderOptions) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    setSecurityHeaders(req, reply, opts);
    return payload;
  };
}

export function setSecurityHeaders(req: FastifyRequest, reply: FastifyReply, opts: HeaderOptions): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  // A page we open in a new window (a link in a message) gets no handle on ours.
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  if (opts.hsts) reply.header('strict-transport-security', HSTS);
  if (req.url.startsWith('/api/')) {
    // File downloads set their own (sandboxed) policy and caching.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', API_CSP);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  } else {
    reply.header('content-security-policy', opts.htmlCsp);
  }
}
