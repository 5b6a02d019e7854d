// SAML sign-in: start (an AuthnRequest whose id we remember), the assertion consumer service
// (a signed assertion checked by auth/sso/saml.ts, then its id recorded so it is good once),
// and the SP metadata for the IdP's administrator.
import { AppError } from '../errors.js';
import { peekAssertionId, samlAuthorizeUrl, samlMetadata, samlValidate, SamlRefused, REQUEST_TTL_MS, type RequestCache } from '../auth/sso/saml.js';
import * as sso from '../store/sso.js';
import type { Deps } from './context.js';
import type { LoginResult } from './login.js';
import type { ClientInfo } from './sessions.js';
import { enabledProvider, signInExternal } from './sso.js';

export const samlAcsUrl = (deps: Deps) => `${deps.config.publicUrl}/api/v1/auth/saml/acs`;

function requestCache(deps: Deps): RequestCache {
  const key = (k: string) => `saml:${k}`;
  return {
    save: (k, value) => sso.saveRequest(deps.db, key(k), 'saml', { value }, new Date(Date.now() + REQUEST_TTL_MS)),
    get: async (k) => (await sso.peekRequest(deps.db, key(k), 'saml'))?.value ?? null,
    remove: async (k) => (await sso.takeRequest(deps.db, key(k), 'saml'))?.value ?? null,
  };
}

const unavailable = (deps: Deps, err: unknown) => {
  deps.log.warn({ reason: (err as Error).message }, 'SAML misconfigured');
  return new AppError(502, 'sso_unavailable', 'SAML sign-in is misconfigured; ask an admin.');
};

export async function doSamlStart(deps: Deps): Promise<string> {
  const settings = await enabledProvider(deps, 'saml');
  return samlAuthorizeUrl(settings, samlAcsUrl(deps), requestCache(deps), '').catch((err) => { throw unavailable(deps, err); });
}

export async function getSamlMetadata(deps: Deps): Promise<string> {
  const settings = await enabledProvider(deps, 'saml');
  return samlMetadata(settings, samlAcsUrl(deps), requestCache(deps)).catch((err) => { throw unavailable(deps, err); });
}

const replayed = () => new AppError(401, 'saml_replayed', 'This SAML assertion was already used; sign in again.');

export async function doSamlAcs(deps: Deps, samlResponse: string, client: ClientInfo): Promise<LoginResult> {
  const settings = await enabledProvider(deps, 'saml');
  const claimedId = peekAssertionId(samlResponse);
  // A read-only look before the checks, so a replay is named as such; the verified id is recorded below.
  if (claimedId && (await sso.assertionSeen(deps.db, claimedId))) throw replayed();
  let id;
  try {
    id = await samlValidate(settings, samlAcsUrl(deps), requestCache(deps), samlResponse);
  } catch (err) {
    if (!(err instanceof SamlRefused)) throw err;
    deps.log.info({ reason: err.message }, 'SAML response refused');
    throw new AppError(401, 'sso_failed', 'The SAML response could not be verified; sign in again.');
  }
  // Good once: the verified assertion id is recorded until the assertion would have expired anyway.
  if (!(await sso.markAssertionSeen(deps.db, id.assertionId, id.notOnOrAfter))) throw replayed();
  const attr = (name: string) => id.attributes[name]?.[0] ?? null;
  const email = attr(settings.emailAttribute) ?? (/@/.test(id.nameId) ? id.nameId : null);
  return signInExternal(deps, {
    provider: 'saml', subject: `${id.issuer}|${id.nameId}`, email, emailVerified: true,
    username: attr(settings.usernameAttribute), displayName: attr(settings.displayNameAttribute),
    groups: id.attributes[settings.groupsAttribute] ?? [],
  }, settings.mapping, client);
}
