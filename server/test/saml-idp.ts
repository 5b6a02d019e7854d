// A small SAML 2.0 identity provider for the tests, built on xml-crypto (the signing library
// node-saml itself verifies with): it takes a real AuthnRequest (HTTP-Redirect, deflated),
// answers with a real Response whose Assertion carries an enveloped XML-DSig signature
// (RSA-SHA256, exclusive c14n), auto-posted to the requester's ACS. Knobs make it misbehave
// the ways the refusal tests need: unsigned, signed with another key, expired, not yet valid,
// another audience or recipient, and altered after signing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';

export interface KeyPair { key: string; cert: string }

export function makeKeyPair(cn: string): KeyPair {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-saml-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', `/CN=${cn}`,
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SamlUser { nameId: string; email: string; uid: string; displayName: string; groups: string[] }

export interface Misbehaviour {
  unsigned?: boolean;
  signWith?: KeyPair;
  /** Shift every time in the assertion by this many seconds (negative: in the past). */
  shiftSeconds?: number;
  audience?: string;
  recipient?: string;
  /** Change the email after signing. */
  tamper?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export class TestIdp {
  entityId = '';
  ssoUrl = '';
  user: SamlUser | null = null;
  misbehave: Misbehaviour = {};
  /** The last Response (base64) the IdP sent, for replay tests. */
  lastResponse = '';
  private server!: http.Server;

  constructor(readonly keys: KeyPair) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      try {
        const url = new URL(req.url!, this.entityId || 'http://x');
        if (url.pathname !== '/sso') { res.writeHead(404).end(); return; }
        const request = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
        const id = /\sID="([^"]+)"/.exec(request)?.[1];
        const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(request)?.[1];
        const sp = /<(?:saml2?:)?Issuer[^>]*>([^<]+)</.exec(request)?.[1];
        if (!id || !acs || !sp || !this.user) { res.writeHead(400).end('bad AuthnRequest'); return; }
        const response = this.respond(id, acs, sp, this.user);
        this.lastResponse = response;
        res.writeHead(200, { 'content-type': 'text/html' }).end(
          `<html><body onload="document.forms[0].submit()"><form method="post" action="${esc(acs)}">` +
          `<input type="hidden" name="SAMLResponse" value="${response}"/>` +
          `<input type="hidden" name="RelayState" value="${esc(url.searchParams.get('RelayState') ?? '')}"/></form></body></html>`);
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as { port: number }).port;
    this.entityId = `http://127.0.0.1:${port}/idp`;
    this.ssoUrl = `http://127.0.0.1:${port}/sso`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private respond(inResponseTo: string, acs: string, sp: string, user: SamlUser): string {
    const m = this.misbehave;
    const at = (offsetSeconds: number) => new Date(Date.now() + ((m.shiftSeconds ?? 0) + offsetSeconds) * 1000).toISOString();
    const assertionId = `_a${randomBytes(16).toString('hex')}`;
    const recipient = m.recipient ?? acs;
    const attr = (name: string, values: string[]) =>
      `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
    let assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${at(0)}">` +
      `<saml:Issuer>${this.entityId}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${esc(user.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData InResponseTo="${inResponseTo}" Recipient="${esc(recipient)}" NotOnOrAfter="${at(300)}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${at(-30)}" NotOnOrAfter="${at(300)}">` +
      `<saml:AudienceRestriction><saml:Audience>${esc(m.audience ?? sp)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${at(0)}" SessionIndex="${assertionId}"><saml:AuthnContext>` +
      `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
      `</saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attr('email', [user.email])}${attr('uid', [user.uid])}${attr('displayName', [user.displayName])}` +
      `${user.groups.length ? attr('groups', user.groups) : ''}</saml:AttributeStatement>` +
      `</saml:Assertion>`;
    if (!m.unsigned) {
      const keys = m.signWith ?? this.keys;
      const sig = new SignedXml({
        privateKey: keys.key, publicCert: keys.cert,
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
      });
      sig.addReference({
        xpath: "//*[local-name(.)='Assertion']",
        transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
      sig.computeSignature(assertion, { location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
      assertion = sig.getSignedXml();
    }
    if (m.tamper) assertion = assertion.replace(esc(user.email), 'boss@corp.test');
    const response =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
      `ID="_r${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${at(0)}" Destination="${esc(acs)}" InResponseTo="${inResponseTo}">` +
      `<saml:Issuer>${this.entityId}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      assertion + `</samlp:Response>`;
    return Buffer.from(response).toString('base64');
  }
}
