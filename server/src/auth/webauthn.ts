// WebAuthn (passkeys) through @simplewebauthn/server. The relying party is Parley's public
// URL: its host name is the RP ID, its origin the only origin accepted.
import type {
  AuthenticationResponseJSON, AuthenticatorTransport, PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';

// Loaded on first passkey use, not at start-up.
const webauthn = () => import('@simplewebauthn/server');
import type { Config } from '../config.js';

export type { AuthenticationResponseJSON, RegistrationResponseJSON };

export function relyingParty(config: Pick<Config, 'publicUrl'>): { id: string; origin: string } {
  const u = new URL(config.publicUrl);
  return { id: u.hostname, origin: u.origin };
}

export interface StoredPasskey {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

export async function registrationOptions(config: Pick<Config, 'publicUrl'>, rpName: string,
  user: { id: string; username: string; displayName: string }, existing: StoredPasskey[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return (await webauthn()).generateRegistrationOptions({
    rpName,
    rpID: relyingParty(config).id,
    userName: user.username,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
    // Discoverable, so the same passkey also signs in without a username.
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
}

export interface VerifiedRegistration {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
}

/** The new credential, or null when the response does not prove the challenge. */
export async function verifyRegistration(config: Pick<Config, 'publicUrl'>, response: RegistrationResponseJSON,
  expectedChallenge: string): Promise<VerifiedRegistration | null> {
  const rp = relyingParty(config);
  try {
    const r = await (await webauthn()).verifyRegistrationResponse({
      response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false,
    });
    if (!r.verified || !r.registrationInfo) return null;
    const { credential, credentialDeviceType, credentialBackedUp } = r.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    };
  } catch {
    return null;
  }
}

export async function authenticationOptions(config: Pick<Config, 'publicUrl'>, allow: StoredPasskey[],
  userVerification: 'required' | 'preferred'): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return (await webauthn()).generateAuthenticationOptions({
    rpID: relyingParty(config).id,
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
    userVerification,
  });
}

/** The new signature counter, or null when the assertion does not verify. */
export async function verifyAuthentication(config: Pick<Config, 'publicUrl'>, response: AuthenticationResponseJSON,
  expectedChallenge: string, passkey: StoredPasskey, requireUserVerification: boolean): Promise<number | null> {
  const rp = relyingParty(config);
  try {
    const r = await (await webauthn()).verifyAuthenticationResponse({
      response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransport[],
      },
    });
    return r.verified ? r.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}
