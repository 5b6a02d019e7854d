// Two-factor: my status, TOTP enrolment, confirmation, disabling, recovery codes; the second
// step of a sign-in (POST /auth/2fa); and the workspace policy (admins).
import Type from 'typebox';
import { TwoFactorPolicy, TwoFactorRequirement, TwoFactorStatus } from '@parley/protocol';
import {
  doBeginTotp, doConfirmTotp, doDisableTotp, doRegenerateRecoveryCodes, doSetTwoFactorPolicy, getTwoFactorPolicy, getTwoFactorStatus,
} from '../actions/two-factor.js';
import { doSecondFactor, doSecondFactorPasskeyOptions } from '../actions/login.js';
import { auditingSignIn } from '../actions/sign-in-audit.js';
import { Errors, NoContent, clientInfo, session, type RouteModule, authRateLimit } from './plumbing.js';
import { SessionReply, beginSession } from './session-reply.js';
import { AuthenticationResponse, WebAuthnOptions, asAuthentication } from './webauthn-schemas.js';

const Code = Type.String({ minLength: 1, maxLength: 64 });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String(), { description: 'Shown once; each works once' }) });
const Challenge = Type.String({ minLength: 1, maxLength: 200 });

export const twoFactorRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = authRateLimit(deps);
  const enrol = { sessionOnly: true, duringEnrolment: true };

  app.get('/api/v1/2fa', {
    config: enrol,
    schema: { summary: 'My two-factor state and what the workspace requires of me', tags: ['two-factor'], response: { 200: TwoFactorStatus, ...Errors } },
  }, async (req) => getTwoFactorStatus(deps, session(req).user, session(req).session));

  app.post('/api/v1/2fa/totp', {
    config: enrol,
    schema: {
      summary: 'Start setting up an authenticator app: a secret, its otpauth:// URL and a QR code (data URL)',
      tags: ['two-factor'],
      response: { 200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() }), ...Errors },
    },
  }, async (req) => doBeginTotp(deps, session(req).user));

  app.post('/api/v1/2fa/totp/confirm', {
    config: enrol,
    schema: {
      summary: 'Finish setting up the app with a code from it; answers ten one-time recovery codes',
      tags: ['two-factor'],
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      response: { 200: RecoveryCodes, ...Errors },
    },
  }, async (req) => doConfirmTotp(deps, session(req).user, session(req).session, req.body.code, clientInfo(req)));

  app.post('/api/v1/2fa/totp/disable', {
    config: { sessionOnly: true },
    schema: {
      summary: 'Turn the authenticator app off: needs the password and a current code (or a recovery code)',
      tags: ['two-factor'],
      body: Type.Object({ password: Password, code: Code }, { additionalProperties: false }),
      response: { 204: NoContent, ...Errors },
    },
  }, async (req, reply) => {
    await doDisableTotp(deps, session(req).user, req.body.password, req.body.code, clientInfo(req));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/2fa/recovery-codes', {
    config: { sessionOnly: true },
    schema: {
      summary: 'Replace my recovery codes with ten new ones (needs the password)',
      tags: ['two-factor'],
      body: Type.Object({ password: Password }, { additionalProperties: false }),
      response: { 200: RecoveryCodes, ...Errors },
    },
  }, async (req) => doRegenerateRecoveryCodes(deps, session(req).user, req.body.password, clientInfo(req)));

  app.post('/api/v1/auth/2fa', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Second step of a sign-in: the challenge from /auth/login and one of code, recoveryCode or passkey',
      tags: ['auth'],
      body: Type.Object({
        challenge: Challenge,
        code: Type.Optional(Code),
        recoveryCode: Type.Optional(Code),
        passkey: Type.Optional(AuthenticationResponse),
      }, { additionalProperties: false }),
      response: { 200: SessionReply, ...Errors },
    },
  }, async (req, reply) => {
    const { passkey, ...rest } = req.body;
    const signIn = () => doSecondFactor(deps, { ...rest, ...(passkey && { passkey: asAuthentication(passkey) }) }, clientInfo(req));
    return beginSession(reply, await auditingSignIn(deps, clientInfo(req), { method: 'second_factor', challenge: rest.challenge }, signIn), secure);
  });

  app.post('/api/v1/auth/2fa/passkey-options', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'WebAuthn options for answering a sign-in challenge with a passkey',
      tags: ['auth'],
      body: Type.Object({ challenge: Challenge }, { additionalProperties: false }),
      response: { 200: Type.Object({ options: WebAuthnOptions }), ...Errors },
    },
  }, async (req) => ({ options: await doSecondFactorPasskeyOptions(deps, req.body.challenge) }));

  app.get('/api/v1/2fa/policy', {
    schema: { summary: 'The workspace two-factor policy (admins)', tags: ['two-factor'], response: { 200: TwoFactorPolicy, ...Errors } },
  }, async (req) => getTwoFactorPolicy(deps, session(req).user));

  app.put('/api/v1/2fa/policy', {
    config: { sessionOnly: true },
    schema: {
      summary: 'Require two-factor of everyone or of admins (admins); after graceDays, signing in without it forces enrolment',
      tags: ['two-factor'],
      body: Type.Object({ require: TwoFactorRequirement, graceDays: Type.Integer({ minimum: 0, maximum: 365 }) }, { additionalProperties: false }),
      response: { 200: TwoFactorPolicy, ...Errors },
    },
  }, async (req) => doSetTwoFactorPolicy(deps, session(req).user, req.body, clientInfo(req)));
};
