// SAML 2.0 service provider on `@node-saml/node-saml` (loaded on first use). SP-initiated
// (HTTP-Redirect AuthnRequest, HTTP-POST response). The library checks the signature (the
// ASSERTION must be signed, by one of the configured IdP certificates), the audience, the
// NotBefore/NotOnOrAfter window with a small skew, and InResponseTo against the requests we
// issued (kept in the database). We add the recipient and destination checks and, in the
// action, the assertion-id replay cache.
import type { SamlSettings } from './config.js';

type Lib = typeof import('@node-saml/node-saml');
let lib: Promise<Lib> | null = null;
const load = () => (lib ??= import('@node-saml/node-saml'));

/** Where node-saml keeps the ids of the AuthnRequests we sent (our database). */
export interface RequestCache {
  save(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | null>;
  remove(key: string): Promise<string | null>;
}

export const REQUEST_TTL_MS = 10 * 60_000;

async function sp(s: SamlSettings, acsUrl: string, cache: RequestCache) {
  const { SAML, ValidateInResponseTo } = await load();
  return new SAML({
    callbackUrl: acsUrl,
    entryPoint: s.entryPoint,
    issuer: s.spEntityId,
    audience: s.spEntityId,
    idpCert: s.idpCerts,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: s.clockSkewSeconds * 1000,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    disableRequestedAuthnContext: true,
    identifierFormat: null,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    cacheProvider: {
      saveAsync: async (key, value) => { await cache.save(key, value); return { value, createdAt: Date.now() }; },
      getAsync: (key) => cache.get(key),
      removeAsync: async (key) => (key === null ? null : cache.remove(key)),
    },
  });
}

export async function samlAuthorizeUrl(s: SamlSettings, acsUrl: string, cache: RequestCache, relayState: string): Promise<string> {
  return (await sp(s, acsUrl, cache)).getAuthorizeUrlAsync(relayState, undefined, {});
}

export async function samlMetadata(s: SamlSettings, acsUrl: string, cache: RequestCache): Promise<string> {
  return (await sp(s, acsUrl, cache)).generateServiceProviderMetadata(null, null);
}

export interface SamlIdentity {
  assertionId: string;
  notOnOrAfter: Date;
  nameId: string;
  issuer: string;
  attributes: Record<string, string[]>;
}

export class SamlRefused extends Error {}

/** The id of the assertion in a response, read before any check (for the replay lookup only). */
export function peekAssertionId(samlResponse: string): string | null {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  return /<(?:\w+:)?Assertion\b[^>]*\sID="([^"]{1,200})"/.exec(xml)?.[1] ?? null;
}

type Node = { $?: Record<string, string>; _?: string } & Record<string, unknown>;
const kids = (n: unknown, name: string): Node[] => {
  if (!n || typeof n !== 'object') return [];
  const key = Object.keys(n).find((k) => k === name || k.endsWith(`:${name}`));
  const v = key ? (n as Record<string, Node[] | Node>)[key] : undefined;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

export async function samlValidate(s: SamlSettings, acsUrl: string, cache: RequestCache, samlResponse: string): Promise<SamlIdentity> {
  const saml = await sp(s, acsUrl, cache);
  let profile;
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (err) {
    throw new SamlRefused((err as Error).message);
  }
  if (!profile) throw new SamlRefused('no profile in the response');
  const root = profile.getAssertion?.() as Record<string, unknown> | undefined;
  const assertion = kids(root, 'Assertion')[0];
  if (!assertion?.$?.ID) throw new SamlRefused('no assertion id');
  // Recipient: the bearer confirmation must name our ACS URL, and a Destination must too.
  const confirmations = kids(kids(assertion, 'Subject')[0], 'SubjectConfirmation').map((c) => kids(c, 'SubjectConfirmationData')[0]?.$ ?? {});
  if (!confirmations.some((c) => c.Recipient === acsUrl)) throw new SamlRefused('the assertion is not addressed to this service (Recipient)');
  const destination = /<(?:\w+:)?Response\b[^>]*\sDestination="([^"]*)"/.exec(Buffer.from(samlResponse, 'base64').toString('utf8'))?.[1];
  if (destination !== undefined && destination !== acsUrl) throw new SamlRefused('the response is not addressed to this service (Destination)');
  const until = confirmations.map((c) => c.NotOnOrAfter).find(Boolean) ?? kids(assertion, 'Conditions')[0]?.$?.NotOnOrAfter;
  const attributes: Record<string, string[]> = {};
  for (const stmt of kids(assertion, 'AttributeStatement')) {
    for (const a of kids(stmt, 'Attribute')) {
      const name = a.$?.Name;
      if (!name) continue;
      attributes[name] = kids(a, 'AttributeValue').map((v) => (typeof v === 'string' ? v : String(v._ ?? ''))).filter(Boolean);
    }
  }
  return {
    assertionId: assertion.$.ID,
    notOnOrAfter: until ? new Date(until) : new Date(Date.now() + 24 * 3600_000),
    nameId: profile.nameID,
    issuer: profile.issuer,
    attributes,
  };
}
