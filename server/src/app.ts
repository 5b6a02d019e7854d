// Builds the Fastify instance: plugins, the session hook, error mapping, routes and the
// realtime gateway. Everything it needs is passed in; nothing is global.
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AppError, RetryLaterError } from './errors.js';
import { UUID_RE } from './ids.js';
import { authenticate } from './actions/auth.js';
import type { Deps } from './actions/context.js';
import { CSRF_HEADER, SESSION_COOKIE } from './auth/cookies.js';
import { Hub } from './realtime/hub.js';
import { PresenceTracker } from './realtime/presence.js';
import { registerGateway } from './realtime/gateway.js';
import type { App, RouteModule } from './routes/plumbing.js';
import { authRoutes } from './routes/auth.js';
import { workspaceRoutes } from './routes/workspace.js';
import { userRoutes } from './routes/users.js';
import { channelRoutes } from './routes/channels.js';
import { memberRoutes } from './routes/members.js';
import { dmRoutes } from './routes/dms.js';
import { messageRoutes } from './routes/messages.js';
import { reactionRoutes } from './routes/reactions.js';
import { readRoutes } from './routes/reads.js';
import { searchRoutes } from './routes/search.js';
import { previewRoutes } from './routes/previews.js';
import { HTML_CSP, registerWeb } from './routes/web.js';
import { fileRoutes } from './routes/files.js';
import { emojiRoutes } from './routes/emoji.js';
import { sessionRoutes } from './routes/sessions.js';
import { tokenRoutes } from './routes/tokens.js';
import { twoFactorRoutes } from './routes/two-factor.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { importRoutes } from './routes/imports.js';
import { auditRoutes } from './routes/audit.js';
import { checkCredential } from './policies/credentials.js';
import { ssoRoutes } from './routes/sso.js';
import { ldapRoutes } from './routes/sso-ldap.js';
import { samlRoutes } from './routes/sso-saml.js';
import { securityHeaders, setSecurityHeaders } from './security/headers.js';
import { makeAllowlist, restrictAdmin } from './security/ip-allowlist.js';
import { addressKey } from './security/brute-force.js';
import { httpsOptions } from './security/tls.js';
import { openRedis } from './store/redis.js';

const ROUTES: RouteModule[] = [
  authRoutes, workspaceRoutes, userRoutes, channelRoutes, memberRoutes, dmRoutes, messageRoutes, reactionRoutes, readRoutes,
  sessionRoutes, tokenRoutes, twoFactorRoutes, passkeyRoutes, passwordResetRoutes,
  fileRoutes, emojiRoutes,
  searchRoutes, previewRoutes,
  ssoRoutes, ldapRoutes, samlRoutes,
  importRoutes, auditRoutes,
];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const BODY_LIMIT = 1024 * 1024;

export interface Realtime {
  hub: Hub;
  presence: PresenceTracker;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : '';
}

/** Maps every error to `{error: {code, message}}` with a 4xx where the client is at fault. */
function toErrorReply(err: FastifyError | AppError): { status: number; code: string; message: string } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  const e = err as FastifyError;
  if (e.validation) return { status: 400, code: 'invalid_request', message: e.message };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'payload_too_large', message: `The request body is larger than ${BODY_LIMIT} bytes.` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'Send JSON with Content-Type: application/json.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' };
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' };
  }
  const status = e.statusCode ?? 500;
  if (status === 429) return { status, code: 'rate_limited', message: 'Too many requests; slow down and retry later.' };
  if (status >= 400 && status < 500) return { status, code: 'invalid_request', message: e.message };
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side; it has been logged.' };
}

export async function buildApp(deps: Deps, logger: Logger): Promise<{ app: App; realtime: Realtime }> {
  const headerOptions = { htmlCsp: HTML_CSP, hsts: deps.config.tls !== null };
  const app = Fastify({
    loggerInstance: logger,
    // PARLEY_TLS_*: HTTPS served by Parley itself (security/tls.ts).
    ...(deps.config.tls ? { https: httpsOptions(deps.config.tls) } : {}),
    trustProxy: deps.config.trustProxy,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    // Long enough for invite tokens and ids; longer segments get 400 from frameworkErrors.
    routerOptions: { maxParamLength: 256 },
    // The router's own refusals (a malformed or over-long path segment) get the same error body as everything else.
    frameworkErrors: (err, req, reply) => {
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long.' : 'The URL is malformed.';
      // No hook runs for these, so the security headers are set here.
      setSecurityHeaders(req as FastifyRequest, reply as FastifyReply, headerOptions);
      void (reply as FastifyReply).code(400).send({ error: { code: 'invalid_request', message } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const hub = new Hub(deps.bus, { resumeTtlMs: deps.config.resume.ttlSeconds * 1000, maxEvents: deps.config.resume.maxEvents }, logger);
  const presence = new PresenceTracker(deps.bus, deps.config.presence, (u) => hub.isConnected(u));
  hub.onUserConnectivity = (u, connected) => presence.connectivity(u, connected);
  deps.presence = presence;
  app.addHook('onClose', async () => {
    hub.close();
    presence.close();
  });

  // Query strings and paths are text, so their numbers and booleans are coerced; bodies are
  // JSON and must already have the right types ({"topic": 5} is an error, not "5").
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  // ajv-formats' 'uuid' also takes "urn:uuid:…", which PostgreSQL's uuid type refuses (a 500):
  // every Id (protocol's schemas use format 'uuid') is held to the plain form here, in one place.
  const ajvFor = (coerceTypes: 'array' | false) =>
    addFormats(new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false }))
      .addFormat('uuid', UUID_RE);
  const lenient = ajvFor('array');
  const strictBodies = ajvFor(false);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictBodies : lenient).compile(schema));

  // JSON bodies, where an empty body on a bodiless POST (join, leave, archive) means "no body".
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    return json(req, body as string, done);
  });

  await app.register(cookie);
  // Uploads stream part by part to the actions; routes set their own per-request limits.
  await app.register(multipart, { limits: { fileSize: deps.config.files.maxFileSize + 1, files: 10, fields: 10, parts: 20 } });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Parley API', version: '1', description: 'REST API of Parley, the self-hosted team chat.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // With PARLEY_REDIS_URL the counters live in Redis, so every node counts the same requests.
  // If Redis is away, requests go through (skipOnError) rather than the whole service failing.
  const redis = deps.config.redis && deps.config.rateLimit.enabled ? await openRedis(deps.config.redis.url, logger) : null;
  if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  await app.register(rateLimit, {
    ...(redis && { redis, nameSpace: `${deps.config.redis!.prefix}rate-limit:`, skipOnError: true }),
    global: deps.config.rateLimit.enabled,
    max: deps.config.rateLimit.perMinute,
    timeWindow: '1 minute',
    hook: 'preHandler',
    // Signed-in traffic counts per person; anonymous traffic, and every public or sign-in route
    // (whatever token rides along), per address, an IPv6 client by its /64 as in the lockout.
    keyGenerator: (req) => {
      const cfg = req.routeOptions.config;
      const byAddress = !req.auth || cfg?.public === true || cfg?.rateLimit !== undefined;
      return byAddress ? `ip:${addressKey(req.ip)}` : `u:${req.auth!.user.id}`;
    },
    errorResponseBuilder: (_req, ctx) => new AppError(429, 'rate_limited', `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s.`),
  });

  const adminAllowed = makeAllowlist(deps.config.adminAllowlist);
  const adminsOutsideAllowlist = new WeakSet<FastifyRequest>();
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/') || req.url.startsWith('/api/v1/ws')) return;
    const fromHeader = bearer(req);
    const token = fromHeader ?? req.cookies[SESSION_COOKIE] ?? null;
    const isPublic = req.routeOptions.config?.public === true;
    if (!token) {
      if (isPublic) return;
      throw new AppError(401, 'unauthorized', 'Sign in first: send Authorization: Bearer <token>.');
    }
    const found = await authenticate(deps, token);
    if (!found) {
      if (isPublic) return;
      throw new AppError(401, 'unauthorized', 'The session is unknown or has expired; sign in again.');
    }
    // A cookie rides along on cross-site requests; a header the page must read from our cookie does not.
    if (fromHeader === null && !SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== found.session.csrf_token) {
      // Public routes (sign-in, sign-up) do not act on the session, so a leftover cookie is ignored there.
      if (isPublic) return;
      throw new AppError(403, 'csrf_failed', 'Missing or wrong x-csrf-token header.');
    }
    // Outside PARLEY_ADMIN_ALLOWLIST an admin acts with member rights (security/ip-allowlist.ts).
    const { auth: allowed, restricted } = restrictAdmin(found, req.ip, adminAllowed);
    if (restricted) adminsOutsideAllowlist.add(req);
    if (isPublic) return void (req.auth = allowed);
    // Token scopes, account-security routes, and sessions that must enrol in two-factor first.
    const cfg = req.routeOptions.config;
    const verdict = checkCredential(found.session, { method: req.method, sessionOnly: cfg?.sessionOnly, duringEnrolment: cfg?.duringEnrolment });
    if (!verdict.ok) throw new AppError(verdict.status, verdict.code, verdict.message);
    req.auth = allowed;
    // The anomaly detector watches where each session and token is used from (security/anomalies.ts).
    deps.security?.sessionUsed({ sessionId: found.session.id, kind: found.session.kind, userId: found.user.id, ip: req.ip });
  });

  // A bodiless POST (join, leave, mark read) validates as {}: required fields still report
  // which one is missing, and all-optional bodies need no body at all.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined || req.body === null) req.body = {};
  });

  app.addHook('onSend', securityHeaders(headerOptions));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const r = toErrorReply(err);
    // An admin refused only because of where they are gets a code that says so.
    if (r.status === 403 && r.code === 'forbidden' && adminsOutsideAllowlist.has(req)) {
      Object.assign(r, { code: 'admin_address_not_allowed', message: 'Admin actions are not allowed from this network address.' });
    }
    if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (r.status >= 500) req.log.error({ err }, 'request failed');
    if (r.status === 429 && !reply.getHeader('retry-after')) reply.header('retry-after', '60');
    return reply.code(r.status).send({ error: { code: r.code, message: r.message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}.` } }));

  for (const routes of ROUTES) routes(app, deps);
  registerGateway(app, deps, hub, presence);

  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  await registerWeb(app);

  return { app, realtime: { hub, presence } };
}
