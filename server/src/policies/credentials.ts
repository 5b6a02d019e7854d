// What a credential may do on a route: personal access tokens are limited by their scopes
// and kept away from account-security routes; a session that signed in while two-factor
// enrolment was overdue may only enrol. Checked once per request in app.ts.
import type { ErrorCode } from '@parley/protocol';

export type TokenScope = 'read' | 'write' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];

export interface Credential {
  kind: 'session' | 'token';
  scopes: readonly string[];
  stage: 'full' | 'enrol_2fa';
}

export interface RouteNeeds {
  method: string;
  /** Account-security routes (passwords, 2FA, passkeys, sessions, tokens): real sign-in sessions only. */
  sessionOnly?: boolean;
  /** Routes that work while enrolment is overdue (enrolment itself, me, sign-out). */
  duringEnrolment?: boolean;
}

export type CredentialVerdict = { ok: true } | { ok: false; status: 403; code: ErrorCode; message: string };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkCredential(c: Credential, route: RouteNeeds): CredentialVerdict {
  if (c.kind === 'token') {
    if (route.sessionOnly) {
      return { ok: false, status: 403, code: 'session_required', message: 'Personal access tokens cannot use this route; sign in.' };
    }
    const writes = c.scopes.includes('write') || c.scopes.includes('admin');
    if (!SAFE.has(route.method) && !writes) {
      return { ok: false, status: 403, code: 'insufficient_scope', message: 'This token is read-only; it needs the write scope.' };
    }
    return { ok: true };
  }
  if (c.stage === 'enrol_2fa' && !route.duringEnrolment) {
    return {
      ok: false, status: 403, code: 'enrolment_required',
      message: 'Set up two-factor authentication first (an authenticator app or a passkey); the workspace requires it.',
    };
  }
  return { ok: true };
}

/** A token without the admin scope acts with member rights, even when its owner is an admin. */
export function effectiveRole<R extends string>(role: R, c: Pick<Credential, 'kind' | 'scopes'>): R | 'member' {
  return c.kind === 'token' && role === 'admin' && !c.scopes.includes('admin') ? 'member' : role;
}
