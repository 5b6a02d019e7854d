// REST calls of sign-in options, account security (two-factor, passkeys, sessions, tokens,
// password reset) and the admin area. Kept apart from endpoints.ts, which is the chat's.
import type {
  AccessToken, Alert, AuditEntry, LoginChallenge, Passkey, SessionInfo, TokenScope, TwoFactorPolicy, TwoFactorRequirement, TwoFactorStatus, User, UserRole,
} from '@parley/protocol';
import type { Session } from './endpoints';
import { get, post, request } from './http';

const enc = encodeURIComponent;
const qs = (o: Record<string, string | number | undefined>) => {
  const p = Object.entries(o).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${enc(String(v))}`);
  return p.length ? `?${p.join('&')}` : '';
};
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
const del = <T>(path: string) => request<T>('DELETE', path);
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

/** A sign-in answer: a session (maybe one that may only enrol in two-factor), or a second-factor challenge. */
export type SignInReply = (Session & { twoFactor?: { enrolmentRequired: boolean; enrolBy: string | null } }) | LoginChallenge;
export const needsSecondFactor = (r: SignInReply): r is LoginChallenge => 'twoFactorRequired' in r;

export interface Provider { id: string; label: string; kind: 'redirect' | 'password' | string; loginUrl: string }
/** WebAuthn options as JSON, handed to @simplewebauthn/browser untouched. */
type WebAuthnJson = Record<string, unknown>;

export interface AuditQuery { action?: string; actorId?: string; since?: string; until?: string; cursor?: string; limit?: number }

export const security = {
  // ---- signing in
  providers: () => get<{ passwordLogin: boolean; providers: Provider[] }>('/auth/providers'),
  login: (login: string, password: string) => post<SignInReply>('/auth/login', { login, password }),
  ldapLogin: (login: string, password: string) => post<SignInReply>('/auth/ldap/login', { login, password }),
  secondFactor: (body: { challenge: string; code?: string; recoveryCode?: string; passkey?: unknown }) => post<Session>('/auth/2fa', body),
  secondFactorPasskeyOptions: (challenge: string) => post<{ options: WebAuthnJson }>('/auth/2fa/passkey-options', { challenge }),
  passkeyLoginOptions: () => post<{ challengeId: string; options: WebAuthnJson }>('/auth/passkey/options'),
  passkeyLogin: (challengeId: string, response: unknown) => post<SignInReply>('/auth/passkey', { challengeId, response }),
  requestReset: (login: string) => post<void>('/auth/password-reset/request', { login }),
  checkReset: (token: string) => get<{ valid: boolean }>(`/auth/password-reset/${enc(token)}`),
  reset: (token: string, password: string) => post<void>('/auth/password-reset', { token, password }),

  // ---- my account
  changePassword: (currentPassword: string, password: string) => patch<User>('/users/me', { currentPassword, password }),
  twoFactor: () => get<TwoFactorStatus>('/2fa'),
  beginTotp: () => post<{ secret: string; otpauthUrl: string; qrDataUrl: string }>('/2fa/totp'),
  confirmTotp: (code: string) => post<{ recoveryCodes: string[] }>('/2fa/totp/confirm', { code }),
  disableTotp: (password: string, code: string) => post<void>('/2fa/totp/disable', { password, code }),
  regenerateCodes: (password: string) => post<{ recoveryCodes: string[] }>('/2fa/recovery-codes', { password }),
  passkeys: () => get<{ passkeys: Passkey[] }>('/passkeys'),
  passkeyOptions: () => post<{ challengeId: string; options: WebAuthnJson }>('/passkeys/options'),
  addPasskey: (challengeId: string, response: unknown, name: string) =>
    post<{ passkey: Passkey; recoveryCodes: string[] | null }>('/passkeys', { challengeId, response, ...(name && { name }) }),
  removePasskey: (id: string) => del<void>(`/passkeys/${enc(id)}`),
  sessions: () => get<{ sessions: SessionInfo[] }>('/sessions'),
  revokeSession: (id: string) => del<void>(`/sessions/${enc(id)}`),
  tokens: () => get<{ tokens: AccessToken[] }>('/tokens'),
  createToken: (body: { name: string; scopes: TokenScope[]; expiresInDays?: number }) => post<{ token: AccessToken; secret: string }>('/tokens', body),
  revokeToken: (id: string) => del<void>(`/tokens/${enc(id)}`),

  // ---- admin
  users: (query = '') => get<{ users: User[] }>(`/users${qs({ query, limit: 1000 })}`),
  updateUser: (id: string, body: { role?: UserRole; deactivated?: boolean }) => patch<User>(`/users/${enc(id)}`, body),
  revokeUserSessions: (id: string) => post<{ revoked: number }>(`/users/${enc(id)}/sessions/revoke`),
  resetLink: (id: string) => post<{ url: string; expiresAt: string }>(`/users/${enc(id)}/password-reset`, {}),
  policy: () => get<TwoFactorPolicy>('/2fa/policy'),
  setPolicy: (require: TwoFactorRequirement, graceDays: number) => put<TwoFactorPolicy>('/2fa/policy', { require, graceDays }),
  sso: () => get<{ source: 'config' | 'admin'; settings: Record<string, unknown> }>('/admin/sso'),
  setSso: (settings: Record<string, unknown>) => put<{ source: 'config' | 'admin'; settings: Record<string, unknown> }>('/admin/sso', settings),
  ldapSync: () => post<{ directoryUsers: number; created: number; updated: number; deactivated: number; skipped: string[] }>('/admin/sso/ldap/sync'),
  audit: (q: AuditQuery) => get<{ entries: AuditEntry[]; nextCursor: string | null }>(`/admin/audit${qs({ ...q })}`),
  auditExportUrl: (q: AuditQuery) => `/api/v1/admin/audit/export${qs({ ...q, cursor: undefined, limit: undefined })}`,
  alerts: (cursor?: string) => get<{ alerts: Alert[]; nextCursor: string | null }>(`/admin/alerts${qs({ cursor })}`),
};
