// Wire objects of accounts and sign-in: sessions, personal access tokens, two-factor state,
// passkeys and the second step of a login.
import Type from 'typebox';
import { Id, Time } from './schemas.js';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** One signed-in device of mine. */
export const SessionInfo = Type.Object({
  id: Id,
  /** A short description of the client ("Firefox on Linux"), from its user agent. */
  client: Type.String(),
  userAgent: Type.String(),
  ip: Type.String(),
  createdAt: Time,
  lastSeenAt: Time,
  expiresAt: Time,
  /** True for the session making this request. */
  current: Type.Boolean(),
});
export type SessionInfo = Type.Static<typeof SessionInfo>;

/** read: GET only; write: everything a member may do; admin: also what admins may do. */
export const TokenScope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);
export type TokenScope = Type.Static<typeof TokenScope>;

export const AccessToken = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(TokenScope),
  createdAt: Time,
  lastUsedAt: Time,
  expiresAt: Nullable(Time),
});
export type AccessToken = Type.Static<typeof AccessToken>;

export const Passkey = Type.Object({
  id: Id,
  name: Type.String(),
  /** 'singleDevice' or 'multiDevice' (synced). */
  deviceType: Type.String(),
  backedUp: Type.Boolean(),
  createdAt: Time,
  lastUsedAt: Nullable(Time),
});
export type Passkey = Type.Static<typeof Passkey>;

export const TwoFactorRequirement = Type.Union([Type.Literal('off'), Type.Literal('admins'), Type.Literal('everyone')]);
export type TwoFactorRequirement = Type.Static<typeof TwoFactorRequirement>;

export const TwoFactorPolicy = Type.Object({
  require: TwoFactorRequirement,
  graceDays: Type.Integer(),
  /** When the grace period ends: after it, signing in without a second factor forces enrolment. */
  enforceAt: Nullable(Time),
});
export type TwoFactorPolicy = Type.Static<typeof TwoFactorPolicy>;

export const TwoFactorStatus = Type.Object({
  totp: Type.Boolean(),
  passkeys: Type.Integer(),
  recoveryCodesLeft: Type.Integer(),
  /** Whether the workspace policy requires a second factor of me. */
  required: Type.Boolean(),
  enrolBy: Nullable(Time),
  /** True while this session may do nothing but enrol. */
  enrolmentRequired: Type.Boolean(),
});
export type TwoFactorStatus = Type.Static<typeof TwoFactorStatus>;

export const SecondFactorMethod = Type.Union([Type.Literal('totp'), Type.Literal('recovery'), Type.Literal('passkey')]);
export type SecondFactorMethod = Type.Static<typeof SecondFactorMethod>;

/** The answer to a correct password when the account has two-factor on: no session yet. */
export const LoginChallenge = Type.Object({
  twoFactorRequired: Type.Literal(true),
  challenge: Type.String(),
  methods: Type.Array(SecondFactorMethod),
  expiresAt: Time,
});
export type LoginChallenge = Type.Static<typeof LoginChallenge>;

/** Present on a session reply when the policy requires two-factor of a user who has none yet. */
export const TwoFactorNotice = Type.Object({
  enrolmentRequired: Type.Boolean(),
  enrolBy: Nullable(Time),
});
export type TwoFactorNotice = Type.Static<typeof TwoFactorNotice>;
