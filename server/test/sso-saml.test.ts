// SAML 2.0 sign-in against a test IdP that issues real signed XML (xml-crypto): SP-initiated
// login, SP metadata, just-in-time accounts with group mapping, and the refusals: unsigned,
// signed with another key, expired, not yet valid, replayed, another audience, another
// recipient, and altered after signing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { bearer } from './identity-helpers.js';
import { Browser, freePort, parseForm } from './sso-helpers.js';
import { makeKeyPair, TestIdp, type KeyPair } from './saml-idp.js';

let server: TestServer;
let idp: TestIdp;
let base: string;
let acs: string;
let otherKey: KeyPair;
const SP_ENTITY = 'https://parley.test/saml';

beforeAll(async () => {
  idp = new TestIdp(makeKeyPair('test-idp'));
  otherKey = makeKeyPair('impostor');
  await idp.start();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  acs = `${base}/api/v1/auth/saml/acs`;
  server = await startTestServer({
    config: {
      port, publicUrl: base,
      sso: {
        oidc: null, ldap: null, passwordLogin: true, breakGlassUsers: [],
        saml: {
          enabled: true, label: 'Corp SAML', entryPoint: idp.ssoUrl, spEntityId: SP_ENTITY, idpCerts: [idp.keys.cert],
          groupsAttribute: 'groups', emailAttribute: 'email', usernameAttribute: 'uid', displayNameAttribute: 'displayName',
          clockSkewSeconds: 30, mapping: { roles: { 'it-admins': 'admin' }, channels: { sales: ['sales'] } },
        },
      },
    },
  });
  await server.admin.channel('sales');
});
afterAll(async () => {
  await server?.close();
  await idp?.close();
});
beforeEach(() => {
  idp.misbehave = {};
  idp.user = { nameId: 'sam-1', email: 'sam@corp.test', uid: 'sam', displayName: 'Sam Saml', groups: ['sales'] };
});

/** SP-initiated: Parley → IdP (AuthnRequest) → the IdP's auto-post form → our ACS. */
async function samlLogin(b = new Browser()) {
  const start = await b.request(`${base}/api/v1/auth/saml/login`);
  expect(start.status).toBe(302);
  expect(start.location!.startsWith(idp.ssoUrl)).toBe(true);
  const page = await b.request(start.location!);
  const form = parseForm(page.text, page.url);
  if (!form) throw new Error(`IdP answered ${page.status}: ${page.text}`);
  expect(form.action).toBe(acs);
  const r = await b.request(form.action, { form: form.fields });
  return { b, r, fields: form.fields };
}

const codeOf = (r: { text: string }) => JSON.parse(r.text).error.code;

describe('SAML sign-in', () => {
  it('serves SP metadata with our entity id and ACS', async () => {
    const r = await server.request<string>('GET', '/api/v1/auth/saml/metadata');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/samlmetadata\+xml/);
    expect(r.body).toContain(`entityID="${SP_ENTITY}"`);
    expect(r.body).toContain(`Location="${acs}"`);
  });

  it('signs in with a signed assertion, creating the account with mapped channels', async () => {
    const { b, r } = await samlLogin();
    expect(r.status).toBe(302);
    expect(r.location).toBe(`${base}/`);
    const token = b.session(base)!;
    const me = await server.request<any>('GET', '/api/v1/users/me', undefined, bearer(token));
    expect(me.body).toMatchObject({ username: 'sam', email: 'sam@corp.test', displayName: 'Sam Saml', role: 'member' });
    const chans = await server.request<any>('GET', '/api/v1/channels', undefined, bearer(token));
    expect(chans.body.channels.map((c: any) => c.name).sort()).toEqual(['general', 'sales']);
    // Same NameID next time: same account; a new group makes an admin.
    idp.user = { ...idp.user!, groups: ['it-admins'] };
    const again = await samlLogin();
    const me2 = await server.request<any>('GET', '/api/v1/users/me', undefined, bearer(again.b.session(base)!));
    expect(me2.body).toMatchObject({ id: me.body.id, role: 'admin' });
  });

  it('refuses a replayed response', async () => {
    const { r, fields } = await samlLogin();
    expect(r.status).toBe(302);
    const replay = await new Browser().request(acs, { form: fields });
    expect(replay.status).toBe(401);
    expect(codeOf(replay)).toBe('saml_replayed');
  });

  const refusals: Array<[string, () => void]> = [
    ['an unsigned assertion', () => { idp.misbehave = { unsigned: true }; }],
    ['an assertion signed with another key', () => { idp.misbehave = { signWith: otherKey }; }],
    ['an expired assertion', () => { idp.misbehave = { shiftSeconds: -3600 }; }],
    ['an assertion not valid yet', () => { idp.misbehave = { shiftSeconds: 3600 }; }],
    ['an assertion for another audience', () => { idp.misbehave = { audience: 'https://other-sp.test/saml' }; }],
    ['an assertion for another recipient', () => { idp.misbehave = { recipient: 'https://evil.test/acs' }; }],
    ['an assertion altered after signing', () => { idp.misbehave = { tamper: true }; }],
  ];
  for (const [what, arrange] of refusals) {
    it(`refuses ${what}`, async () => {
      arrange();
      const { b, r } = await samlLogin();
      expect(r.status).toBe(401);
      expect(codeOf(r)).toBe('sso_failed');
      expect(b.session(base)).toBeUndefined();
    });
  }

  it('refuses an unsolicited response and garbage, never 500', async () => {
    const { fields } = await samlLogin();
    // A fresh, valid response to a request we never made: the IdP's answer is replayed under another id.
    const forged = Buffer.from(Buffer.from(fields.SAMLResponse!, 'base64').toString('utf8').replace(/_a[0-9a-f]{32}/g, '_a' + 'f'.repeat(32))).toString('base64');
    const r1 = await new Browser().request(acs, { form: { SAMLResponse: forged } });
    expect(r1.status).toBe(401);
    const r2 = await new Browser().request(acs, { form: { SAMLResponse: 'bm90IHhtbA==' } });
    expect(r2.status).toBe(401);
    const r3 = await new Browser().request(acs, { form: { nothing: 'here' } });
    expect(r3.status).toBe(400);
  });
});
