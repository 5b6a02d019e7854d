// Single sign-on routes: the public provider list, OIDC and SAML redirects and callbacks, SAML
// metadata, LDAP sign-in, and the admin configuration (GET/PUT /admin/sso, LDAP sync now).
import Type from 'typebox';
import type { FastifyReply } from 'fastify';
import { doPutSsoConfig, getSsoConfig, listProviders } from '../actions/sso.js';
import { doOidcCallback, doOidcStart, SSO_REQUEST_TTL_MS } from '../actions/sso-oidc.js';
import { auditingSignIn } from '../actions/sign-in-audit.js';
import type { LoginResult } from '../actions/login.js';
import { Errors, clientInfo as client, session, type RouteModule } from './plumbing.js';
import { beginSession } from './session-reply.js';

export const OIDC_STATE_COOKIE = 'parley_oidc_state';

const Role = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('guest')]);
const Mapping = Type.Object({
  roles: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Role)),
  channels: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Type.Array(Type.String({ maxLength: 80 }), { maxItems: 100 }))),
}, { additionalProperties: false });
const Text = (max = 500) => Type.String({ maxLength: max });
const Secret = Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]));
const common = { enabled: Type.Optional(Type.Boolean()), label: Type.Optional(Text(80)), mapping: Type.Optional(Mapping) };
const SsoBody = Type.Object({
  passwordLogin: Type.Optional(Type.Boolean()),
  breakGlassUsers: Type.Optional(Type.Array(Text(32), { maxItems: 20 })),
  oidc: Type.Optional(Type.Union([Type.Null(), Type.Object({
    ...common, issuer: Text(), clientId: Text(), clientSecret: Secret, scopes: Type.Optional(Text()), groupsClaim: Type.Optional(Text(100)),
  }, { additionalProperties: false })])),
  saml: Type.Optional(Type.Union([Type.Null(), Type.Object({
    ...common, entryPoint: Text(), spEntityId: Text(), idpCerts: Type.Array(Type.String({ maxLength: 20_000 }), { minItems: 1, maxItems: 4 }),
    groupsAttribute: Type.Optional(Text(200)), emailAttribute: Type.Optional(Text(200)), usernameAttribute: Type.Optional(Text(200)),
    displayNameAttribute: Type.Optional(Text(200)), clockSkewSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
  }, { additionalProperties: false })])),
  ldap: Type.Optional(Type.Union([Type.Null(), Type.Object({
    ...common, url: Text(), bindDn: Text(), bindPassword: Secret, userBase: Text(), userFilter: Type.Optional(Text()),
    usernameAttribute: Type.Optional(Text(100)), emailAttribute: Type.Optional(Text(100)), displayNameAttribute: Type.Optional(Text(100)),
    groupBase: Type.Optional(Type.Union([Text(), Type.Null()])), groupFilter: Type.Optional(Text()),
    groupMemberAttribute: Type.Optional(Text(100)), groupNameAttribute: Type.Optional(Text(100)),
    syncIntervalMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
  }, { additionalProperties: false })])),
}, { additionalProperties: false });
const SsoConfigReply = Type.Object({ source: Type.Union([Type.Literal('config'), Type.Literal('admin')]), settings: Type.Unknown() });

/** After a browser round trip through a provider: cookies and home, or the second-factor step. */
export function redirectAfterSignIn(reply: FastifyReply, result: LoginResult, secure: boolean) {
  if ('challenge' in result) {
    // The fragment never reaches a server log; the web client answers it with POST /auth/2fa.
    return reply.redirect(`/login#sso_challenge=${encodeURIComponent(result.challenge.challenge)}`, 302);
  }
  beginSession(reply, result.session, secure);
  return reply.redirect('/', 302);
}

export const ssoRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: '1 minute' } };

  app.get('/api/v1/auth/providers', {
    config: { public: true },
    schema: {
      summary: 'The sign-in options for the login screen: password sign-in on or off, and the enabled SSO providers',
      tags: ['sso'],
      response: {
        200: Type.Object({
          passwordLogin: Type.Boolean(),
          providers: Type.Array(Type.Object({
            id: Type.String(), label: Type.String(), kind: Type.String(), loginUrl: Type.String(),
          })),
        }),
        ...Errors,
      },
    },
  }, async () => listProviders(deps));

  app.get('/api/v1/auth/oidc/login', {
    config: { public: true, ...authLimit },
    schema: { summary: 'Start OpenID Connect sign-in: redirects to the identity provider', tags: ['sso'], response: Errors },
  }, async (_req, reply) => {
    const { url, state } = await doOidcStart(deps);
    reply.setCookie(OIDC_STATE_COOKIE, state, {
      path: '/api/v1/auth/oidc/', httpOnly: true, sameSite: 'lax', secure, maxAge: SSO_REQUEST_TTL_MS / 1000,
    });
    return reply.redirect(url, 302);
  });

  app.get('/api/v1/auth/oidc/callback', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Where the OpenID provider sends the browser back; signs in and redirects to the app',
      tags: ['sso'],
      querystring: Type.Object({
        code: Type.Optional(Text(2000)), state: Type.Optional(Text(500)), iss: Type.Optional(Text(500)),
        error: Type.Optional(Text(200)), error_description: Type.Optional(Text(1000)), session_state: Type.Optional(Text(500)),
      }),
      response: Errors,
    },
  }, async (req, reply) => {
    const cookieState = req.cookies[OIDC_STATE_COOKIE];
    reply.clearCookie(OIDC_STATE_COOKIE, { path: '/api/v1/auth/oidc/' });
    const result = await auditingSignIn(deps, client(req), { method: 'oidc' }, () => doOidcCallback(deps, req.query, cookieState, client(req)));
    return redirectAfterSignIn(reply, result, secure);
  });

  app.get('/api/v1/admin/sso', {
    schema: { summary: 'Single sign-on settings (admins); secrets are never returned, only whether they are set', tags: ['sso'],
      response: { 200: SsoConfigReply, ...Errors } },
  }, async (req) => getSsoConfig(deps, session(req).user));

  app.put('/api/v1/admin/sso', {
    schema: { summary: 'Replace the single sign-on settings (admins); a secret left out keeps the current one', tags: ['sso'],
      body: SsoBody, response: { 200: SsoConfigReply, ...Errors } },
  }, async (req) => doPutSsoConfig(deps, session(req).user, req.body as Record<string, unknown>, client(req)));
};
