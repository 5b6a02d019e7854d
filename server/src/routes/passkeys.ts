// /passkeys: register (a second factor and a passwordless sign-in), list, delete; and the
// passwordless sign-in itself under /auth/passkey.
import Type from 'typebox';
import { Id, Passkey } from '@parley/protocol';
import {
  doDeletePasskey, doPasskeyLogin, doPasskeyLoginOptions, doPasskeyRegistrationOptions, doRegisterPasskey, listPasskeys,
} from '../actions/passkeys.js';
import { Errors, IdParams, NoContent, clientInfo, session, type RouteModule, authRateLimit } from './plumbing.js';
import { LoginReply, loginReply } from './session-reply.js';
import { auditingSignIn } from '../actions/sign-in-audit.js';
import { AuthenticationResponse, RegistrationResponse, WebAuthnOptions, asAuthentication, asRegistration } from './webauthn-schemas.js';

const OptionsReply = Type.Object({ challengeId: Id, options: WebAuthnOptions });

export const passkeyRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = authRateLimit(deps);
  const enrol = { sessionOnly: true, duringEnrolment: true };

  app.get('/api/v1/passkeys', {
    config: enrol,
    schema: { summary: 'My passkeys', tags: ['passkeys'], response: { 200: Type.Object({ passkeys: Type.Array(Passkey) }), ...Errors } },
  }, async (req) => ({ passkeys: await listPasskeys(deps, session(req).user) }));

  app.post('/api/v1/passkeys/options', {
    config: enrol,
    schema: {
      summary: 'Start registering a passkey: options for navigator.credentials.create()',
      tags: ['passkeys'],
      response: { 200: OptionsReply, ...Errors },
    },
  }, async (req) => doPasskeyRegistrationOptions(deps, session(req).user));

  app.post('/api/v1/passkeys', {
    config: enrol,
    schema: {
      summary: "Finish registering a passkey with the authenticator's answer; the first second factor comes with recovery codes",
      tags: ['passkeys'],
      body: Type.Object({ challengeId: Id, response: RegistrationResponse, name: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false }),
      response: { 201: Type.Object({ passkey: Passkey, recoveryCodes: Type.Union([Type.Array(Type.String()), Type.Null()]) }), ...Errors },
    },
  }, async (req, reply) => reply.code(201).send(await doRegisterPasskey(deps, session(req).user, session(req).session,
    { ...req.body, response: asRegistration(req.body.response) }, clientInfo(req))));

  app.delete('/api/v1/passkeys/:id', {
    config: { sessionOnly: true },
    schema: { summary: 'Delete one of my passkeys', tags: ['passkeys'], params: IdParams, response: { 204: NoContent, ...Errors } },
  }, async (req, reply) => {
    await doDeletePasskey(deps, session(req).user, req.params.id, clientInfo(req));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/auth/passkey/options', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Start a passwordless sign-in: options for navigator.credentials.get()',
      tags: ['auth'],
      response: { 200: OptionsReply, ...Errors },
    },
  }, async () => doPasskeyLoginOptions(deps));

  app.post('/api/v1/auth/passkey', {
    config: { public: true, ...authLimit },
    schema: {
      summary: "Finish a passwordless sign-in with the authenticator's answer",
      tags: ['auth'],
      body: Type.Object({ challengeId: Id, response: AuthenticationResponse }, { additionalProperties: false }),
      response: { 200: LoginReply, ...Errors },
    },
  }, async (req, reply) => loginReply(reply, await auditingSignIn(deps, clientInfo(req), { method: 'passkey' },
    () => doPasskeyLogin(deps, { challengeId: req.body.challengeId, response: asAuthentication(req.body.response) }, clientInfo(req))), secure));
};
