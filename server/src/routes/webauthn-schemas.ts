// Request schemas for WebAuthn answers, as PublicKeyCredential.toJSON() produces them. The
// shape is checked here; the signatures and challenges by @simplewebauthn/server.
import Type from 'typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../auth/webauthn.js';

const B64url = Type.String({ minLength: 1, maxLength: 16_384, pattern: '^[A-Za-z0-9_-]+={0,2}$' });
const Transports = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 });
const Attachment = Type.Union([Type.Literal('platform'), Type.Literal('cross-platform')]);

export const RegistrationResponse = Type.Object({
  id: B64url,
  rawId: B64url,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64url,
    attestationObject: B64url,
    transports: Type.Optional(Transports),
  }),
  authenticatorAttachment: Type.Optional(Attachment),
  clientExtensionResults: Type.Object({}),
});

export const AuthenticationResponse = Type.Object({
  id: B64url,
  rawId: B64url,
  type: Type.Literal('public-key'),
  response: Type.Object({
    clientDataJSON: B64url,
    authenticatorData: B64url,
    signature: B64url,
    userHandle: Type.Optional(Type.Union([B64url, Type.Null()])),
  }),
  authenticatorAttachment: Type.Optional(Type.Union([Attachment, Type.Null()])),
  clientExtensionResults: Type.Object({}),
});

/** The validated body as the library's type (browsers send null where the library has undefined). */
export function asRegistration(r: Type.Static<typeof RegistrationResponse>): RegistrationResponseJSON {
  return r as unknown as RegistrationResponseJSON;
}

export function asAuthentication(r: Type.Static<typeof AuthenticationResponse>): AuthenticationResponseJSON {
  const { userHandle, ...response } = r.response;
  return {
    ...r, response: { ...response, ...(userHandle ? { userHandle } : {}) },
    authenticatorAttachment: r.authenticatorAttachment ?? undefined,
    clientExtensionResults: r.clientExtensionResults,
  } as AuthenticationResponseJSON;
}

/** Options are passed through as generated (see @simplewebauthn/server) for the browser's parse*OptionsFromJSON. */
export const WebAuthnOptions = Type.Object({}, { additionalProperties: true });
