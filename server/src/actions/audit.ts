// Recording to the audit log. Everything goes through `audit()`, written in the same
// transaction as the action it records (so a rolled-back action leaves no entry), or through
// `auditNow()` for what has no transaction of its own, such as a failed sign-in. The detail's
// type refuses the keys that would carry a secret, and a runtime scrub drops them at any depth
// together with anything shaped like one of our tokens, so a slip cannot land a password, a
// code or a token in a log that can never be rewritten.
import type { AuditAction } from '@parley/protocol';
import { newId } from '../ids.js';
import * as auditLog from '../store/audit.js';
import type { Db } from '../store/db.js';
import type { EventQueue } from '../events/queue.js';
import { transact, type Deps } from './context.js';

type SecretKey =
  | 'password' | 'currentPassword' | 'newPassword' | 'token' | 'secret' | 'code' | 'codes' | 'recoveryCode' | 'recoveryCodes'
  | 'totp' | 'otp' | 'challenge' | 'clientSecret' | 'bindPassword' | 'csrfToken' | 'privateKey' | 'apiKey';
type Plain = string | number | boolean | null | undefined | readonly Plain[] | { readonly [k: string]: Plain };
/** Facts about an action. Secret-bearing keys are a type error. */
export type AuditDetail = { readonly [k: string]: Plain } & { readonly [K in SecretKey]?: never };

const SECRET_KEY = /^(password|currentpassword|newpassword|token|secret|code|codes|recoverycodes?|totp|otp|challenge|clientsecret|bindpassword|csrftoken|privatekey|apikey)$/i;
/** Parley's own bearer secrets: sessions, personal access tokens, reset links, invites, sign-in challenges. */
const TOKEN_VALUE = /\b(pst|pat|rst|inv|lch)_[A-Za-z0-9_-]{20,}/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** For the `parley` command line: no address, and a recognisable client. */
export const CLI_CLIENT: AuditClient = { ip: '', userAgent: 'parley-cli' };

export type AuditTargetType =
  | 'user' | 'session' | 'token' | 'passkey' | 'workspace' | 'sso' | 'two_factor_policy' | 'import' | 'emoji' | 'message'
  | 'invite' | 'alert' | 'audit';
export interface AuditTarget {
  type: AuditTargetType;
  id: string | null;
}

/** Who acted: a signed-in user, or null (the system, or an anonymous sign-in attempt). */
export interface AuditActor {
  id: string;
  username: string;
}

/** Where the request came from (sessions.ts's ClientInfo has this shape). */
export interface AuditClient {
  ip: string;
  userAgent: string;
}

export interface AuditCtx {
  deps: Deps;
  tx: Db;
  events: EventQueue;
  by: AuditActor | null;
  client: AuditClient | null;
}

function scrub(value: Plain): Plain {
  if (typeof value === 'string') return TOKEN_VALUE.test(value) ? '[redacted]' : value.slice(0, 1000);
  if (Array.isArray(value)) return value.slice(0, 100).map(scrub);
  if (value && typeof value === 'object') {
    const out: Record<string, Plain> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k) && v !== undefined) out[k] = scrub(v);
    return out;
  }
  return value;
}

/** Writes one entry in the caller's transaction; the security monitor hears of it after COMMIT. */
export async function audit(ctx: AuditCtx, action: AuditAction, target: AuditTarget | null, detail: AuditDetail = {}): Promise<void> {
  const row: auditLog.AuditRow = {
    id: newId(),
    at: new Date(),
    action,
    // The CLI acts as a synthetic admin whose id is not a user's.
    actor_id: ctx.by && UUID.test(ctx.by.id) ? ctx.by.id : null,
    actor_name: ctx.by?.username ?? null,
    ip: ctx.client?.ip || null,
    user_agent: ctx.client?.userAgent.slice(0, 512) || null,
    target_type: target?.type ?? null,
    target_id: target?.id ?? null,
    detail: scrub(detail) as Record<string, unknown>,
  };
  await auditLog.insertEntry(ctx.tx, row);
  const monitor = ctx.deps.security;
  if (monitor) ctx.events.afterCommit.push(() => monitor.recorded(row));
}

/** An entry on its own, for what happened outside a transaction (a refused sign-in, an export). */
export async function auditNow(deps: Deps, by: AuditActor | null, client: AuditClient | null,
  action: AuditAction, target: AuditTarget | null, detail: AuditDetail = {}): Promise<void> {
  await transact(deps, (tx, events) => audit({ deps, tx, events, by, client }, action, target, detail));
}

/** The audit context for work inside `transact`. */
export function auditCtx(deps: Deps, tx: Db, events: EventQueue, by: AuditActor | null, client: AuditClient | null): AuditCtx {
  return { deps, tx, events, by, client };
}
