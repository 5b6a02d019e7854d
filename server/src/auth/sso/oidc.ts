// OpenID Connect relying party on `openid-client` (loaded on first use, so a server without
// OIDC never pays for it): authorization code flow with PKCE (S256), state and nonce. The
// library checks the ID token's signature, issuer, audience, expiry and nonce, the `iss`
// authorization-response parameter (RFC 9207) and the state.
import { createHash } from 'node:crypto';
import type { OidcSettings } from './config.js';

type Lib = typeof import('openid-client');
let lib: Promise<Lib> | null = null;
const load = () => (lib ??= import('openid-client'));

/** Discovered provider configurations, by issuer, client and secret (a changed secret rediscovers). */
const configs = new Map<string, Promise<import('openid-client').Configuration>>();

async function configuration(s: OidcSettings) {
  const key = createHash('sha256').update(JSON.stringify([s.issuer, s.clientId, s.clientSecret])).digest('hex');
  let found = configs.get(key);
  if (!found) {
    found = (async () => {
      const c = await load();
      const insecure = new URL(s.issuer).protocol === 'http:';
      const auth = s.clientSecret ? c.ClientSecretBasic(s.clientSecret) : c.None();
      return c.discovery(new URL(s.issuer), s.clientId, undefined, auth,
        { ...(insecure && { execute: [c.allowInsecureRequests] }), timeout: 10 });
    })();
    configs.set(key, found);
    // A failed discovery (provider down, wrong issuer) is not cached: the next attempt retries.
    found.catch(() => configs.delete(key));
  }
  return found;
}

export interface OidcPending {
  state: string;
  nonce: string;
  verifier: string;
}

export async function oidcAuthorizationUrl(s: OidcSettings, redirectUri: string): Promise<{ url: string; pending: OidcPending }> {
  const [c, config] = await Promise.all([load(), configuration(s)]);
  const pending = { state: c.randomState(), nonce: c.randomNonce(), verifier: c.randomPKCECodeVerifier() };
  const url = c.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: s.scopes,
    response_type: 'code',
    code_challenge: await c.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, pending };
}

export interface OidcClaims {
  issuer: string;
  sub: string;
  email: string | null;
  emailVerified: boolean;
  preferredUsername: string | null;
  name: string | null;
  groups: string[];
}

/** Exchanges the code (with the PKCE verifier) and returns the checked ID token's claims, with userinfo. */
export async function oidcFinish(s: OidcSettings, callbackUrl: URL, pending: OidcPending): Promise<OidcClaims> {
  const [c, config] = await Promise.all([load(), configuration(s)]);
  const tokens = await c.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
  });
  const id = tokens.claims();
  if (!id) throw new Error('the provider returned no ID token');
  let claims: Record<string, unknown> = { ...id };
  if (tokens.access_token && config.serverMetadata().userinfo_endpoint) {
    const info = await c.fetchUserInfo(config, tokens.access_token, id.sub);
    claims = { ...info, ...id, ...(info.email !== undefined && { email: info.email, email_verified: info.email_verified }) };
    if (info[s.groupsClaim] !== undefined && id[s.groupsClaim] === undefined) claims[s.groupsClaim] = info[s.groupsClaim];
  }
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const groups = claims[s.groupsClaim];
  return {
    issuer: String(id.iss),
    sub: id.sub,
    email: text(claims.email),
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    preferredUsername: text(claims.preferred_username),
    name: text(claims.name),
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : typeof groups === 'string' ? [groups] : [],
  };
}
