// Sessions, access tokens and passkeys as their owner sees them. Token hashes, CSRF tokens
// and key material never leave the server.
import type { AccessToken, Passkey, SessionInfo, TokenScope } from '@parley/protocol';
import type { PasskeyRow, SessionRow } from '../store/schema.js';

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg\//, 'Edge'], [/OPR\//, 'Opera'], [/Firefox\//, 'Firefox'], [/Chrome\//, 'Chrome'], [/Chromium\//, 'Chromium'],
  [/Safari\//, 'Safari'], [/^curl\//, 'curl'], [/^node|undici/i, 'Node.js'], [/^python/i, 'Python'], [/^parley-cli/, 'Parley CLI'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/Android/, 'Android'], [/iPhone|iPad|iOS/, 'iOS'], [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'], [/Linux/, 'Linux'],
];

/** "Firefox on Linux" from a user agent; "Unknown client" when it says nothing we know. */
export function describeClient(userAgent: string): string {
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (userAgent ? userAgent.slice(0, 40) : 'Unknown client');
}

export function presentSession(row: SessionRow, currentId: string | null): SessionInfo {
  return {
    id: row.id,
    client: describeClient(row.user_agent),
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    current: row.id === currentId,
  };
}

/** Tokens without an expiry are stored with this far-future time and shown as null. */
export const NEVER = new Date('9999-12-31T00:00:00Z');

export function presentToken(row: SessionRow): AccessToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as TokenScope[],
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.getTime() >= NEVER.getTime() ? null : row.expires_at.toISOString(),
  };
}

export function presentPasskey(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
