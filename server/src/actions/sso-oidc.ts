// OpenID Connect sign-in: start (a pending request keyed by the state's hash, bound to the
// browser by a cookie holding the state) and callback (the state used up once, the code
// exchanged with the PKCE verifier, the ID token checked by openid-client).
import { AppError } from '../errors.js';
import { hashToken } from '../auth/tokens.js';
import { oidcAuthorizationUrl, oidcFinish } from '../auth/sso/oidc.js';
import * as sso from '../store/sso.js';
import type { Deps } from './context.js';
import type { LoginResult } from './login.js';
import type { ClientInfo } from './sessions.js';
import { enabledProvider, signInExternal } from './sso.js';

export const SSO_REQUEST_TTL_MS = 10 * 60_000;

export const oidcRedirectUri = (deps: Deps) => `${deps.config.publicUrl}/api/v1/auth/oidc/callback`;

const unavailable = (deps: Deps, err: unknown) => {
  deps.log.warn({ err: { message: (err as Error).message } }, 'OIDC provider unavailable');
  return new AppError(502, 'sso_unavailable', 'The identity provider cannot be reached or is misconfigured; try again later.');
};

/** Where to send the browser, and the state to keep in its cookie. */
export async function doOidcStart(deps: Deps): Promise<{ url: string; state: string }> {
  const settings = await enabledProvider(deps, 'oidc');
  const { url, pending } = await oidcAuthorizationUrl(settings, oidcRedirectUri(deps)).catch((err) => { throw unavailable(deps, err); });
  await sso.saveRequest(deps.db, hashToken(pending.state), 'oidc', { nonce: pending.nonce, verifier: pending.verifier },
    new Date(Date.now() + SSO_REQUEST_TTL_MS));
  return { url, state: pending.state };
}

/** The provider sent the browser back with `?code&state&iss` (or `?error`). */
export async function doOidcCallback(deps: Deps, query: Record<string, string | undefined>, cookieState: string | undefined,
  client: ClientInfo): Promise<LoginResult> {
  const settings = await enabledProvider(deps, 'oidc');
  if (query.error) throw new AppError(401, 'sso_failed', `The identity provider refused the sign-in (${String(query.error).slice(0, 100)}).`);
  const state = query.state;
  // The state must be the one this browser started with (login CSRF) and is good once.
  if (!state || !cookieState || state !== cookieState) throw new AppError(401, 'sso_failed', 'This sign-in was not started from this browser; start again.');
  const pending = await sso.takeRequest(deps.db, hashToken(state), 'oidc');
  if (!pending) throw new AppError(401, 'sso_failed', 'This sign-in has expired or was already used; start again.');
  const url = new URL(oidcRedirectUri(deps));
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') url.searchParams.set(k, v);
  let claims;
  try {
    claims = await oidcFinish(settings, url, { state, nonce: pending.nonce!, verifier: pending.verifier! });
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string; error?: string };
    if (e.name === 'TypeError' && /fetch failed/.test(e.message ?? '')) throw unavailable(deps, err);
    deps.log.info({ code: e.code ?? e.error, reason: e.message }, 'OIDC sign-in refused');
    throw new AppError(401, 'sso_failed', 'The identity provider\'s answer could not be verified; start again.');
  }
  return signInExternal(deps, {
    provider: 'oidc', subject: `${claims.issuer}|${claims.sub}`, email: claims.email, emailVerified: claims.emailVerified,
    username: claims.preferredUsername, displayName: claims.name, groups: claims.groups,
  }, settings.mapping, client);
}
