// Shared route plumbing: the typed Fastify instance, the session from the request, and the
// schemas every route repeats (ids in paths, error bodies, paging).
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorBody, Id } from '@parley/protocol';
import { AppError } from '../errors.js';
import type { Authenticated } from '../actions/auth.js';
import type { Deps } from '../actions/context.js';
import type { Actor } from '../policies/channels.js';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    /** Routes that work without a session (signup, login, workspace info). */
    public?: boolean;
    /** Account-security routes: refused to personal access tokens (policies/credentials.ts). */
    sessionOnly?: boolean;
    /** Routes a session may use while two-factor enrolment is overdue (enrolment itself, me, sign-out). */
    duringEnrolment?: boolean;
  }
}

export type RouteModule = (app: App, deps: Deps) => void;

/** The stricter limit for sign-up, login, second factors and password resets (off with PARLEY_RATE_LIMIT=false). */
export function authRateLimit(deps: Deps): { rateLimit?: { max: number; timeWindow: string } } {
  return deps.config.rateLimit.enabled ? { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: '1 minute' } } : {};
}

/** The signed-in user, or 401. Every authorization decision starts from this, never from ids in the request. */
export function session(req: FastifyRequest): Authenticated {
  if (!req.auth) throw new AppError(401, 'unauthorized', 'Sign in first.');
  return req.auth;
}

export function actor(req: FastifyRequest): Actor {
  const { user } = session(req);
  return { id: user.id, role: user.role };
}

/** Who is signing in from where, as sessions record it. */
export function clientInfo(req: FastifyRequest): { userAgent: string; ip: string } {
  return { userAgent: String(req.headers['user-agent'] ?? ''), ip: req.ip };
}

export const IdParams = Type.Object({ id: Id });
export const Errors = {
  400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody,
};
export const NoContent = Type.Null({ description: 'No content' });
export const Limit = (def: number, max: number) => Type.Integer({ minimum: 1, maximum: max, default: def });
