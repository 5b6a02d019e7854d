// SAML 2.0: start (redirect to the IdP), the assertion consumer service (HTTP-POST binding,
// form-encoded), and the SP metadata.
import Type from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { doSamlAcs, doSamlStart, getSamlMetadata } from '../actions/sso-saml.js';
import { auditingSignIn } from '../actions/sign-in-audit.js';
import { Errors, clientInfo as client, type RouteModule } from './plumbing.js';
import { redirectAfterSignIn } from './sso.js';

export const samlRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: '1 minute' } };

  app.get('/api/v1/auth/saml/login', {
    config: { public: true, ...authLimit },
    schema: { summary: 'Start SAML sign-in: redirects to the identity provider with an AuthnRequest', tags: ['sso'], response: Errors },
  }, async (_req, reply) => reply.redirect(await doSamlStart(deps), 302));

  app.get('/api/v1/auth/saml/metadata', {
    config: { public: true },
    schema: { summary: 'This service provider\'s SAML metadata (entity id, ACS URL) for the IdP', tags: ['sso'], response: { 200: Type.String(), ...Errors } },
  }, async (_req, reply) => reply.type('application/samlmetadata+xml; charset=utf-8').send(await getSamlMetadata(deps)));

  // The IdP's auto-submitted form posts here; the body parser is local to this route.
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 512 * 1024 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post('/api/v1/auth/saml/acs', {
      config: { public: true, ...authLimit },
      schema: {
        summary: 'SAML assertion consumer service (HTTP-POST binding): signs in and redirects to the app',
        tags: ['sso'],
        consumes: ['application/x-www-form-urlencoded'],
        body: Type.Object({
          SAMLResponse: Type.String({ minLength: 1, maxLength: 500_000 }),
          RelayState: Type.Optional(Type.String({ maxLength: 1000 })),
        }),
        response: Errors,
      },
    }, async (req, reply) => redirectAfterSignIn(reply, await auditingSignIn(deps, client(req), { method: 'saml' },
      () => doSamlAcs(deps, req.body.SAMLResponse, client(req))), secure));
  });
};
