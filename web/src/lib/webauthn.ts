// Passkeys in the browser through @simplewebauthn/browser (same major as the server's
// @simplewebauthn/server): options come from the API as JSON, answers go back as JSON.
import { WebAuthnError, browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

type Json = Record<string, unknown>;

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

export async function createPasskey(options: Json): Promise<unknown> {
  return startRegistration({ optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] });
}

export async function answerWithPasskey(options: Json): Promise<unknown> {
  return startAuthentication({ optionsJSON: options as unknown as Parameters<typeof startAuthentication>[0]['optionsJSON'] });
}

/** A sentence for a failed or cancelled browser prompt (the person pressing Cancel is not an error worth alarm). */
export function passkeyProblem(err: unknown): string {
  if (err instanceof WebAuthnError && err.code === 'ERROR_CEREMONY_ABORTED') return 'The passkey prompt was cancelled.';
  if (err instanceof Error && err.name === 'NotAllowedError') return 'No passkey was used (cancelled or timed out).';
  if (err instanceof Error && err.name === 'InvalidStateError') return 'This device already holds a passkey for your account.';
  return err instanceof Error ? err.message : 'The passkey could not be used.';
}
