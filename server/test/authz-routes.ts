// Every route of the API with the rule it must enforce and a request that would succeed for
// a principal the rule allows. The matrix test fails when a route is missing here, so a new
// route cannot ship without saying who may call it.
import fs from 'node:fs';
import { PASSWORD, type Client } from './harness.js';
import { form, postForm } from './files-helpers.js';
import { png, slackExport, type ChannelKind, type Scene } from './authz-world.js';
import {
  addEmoji, admin, channel, deleteAdminsEmoji, memberUpload, message, openDmWithOutsider, seeOutsider,
  signedIn, storageReport, workspaceChannels, type Rule,
} from './authz-rules.js';

export interface Call {
  path: string;
  body?: unknown;
  form?: FormData;
}

export interface RouteSpec {
  /** As in the OpenAPI document: `METHOD /api/v1/path/{param}`. */
  route: string;
  rule: Rule;
  public?: boolean;
  /** Account-security routes that a personal access token may not use. */
  sessionOnly?: boolean;
  /** Run once per channel kind: the route acts on the scene's channel or its message. */
  perChannel?: true;
  /**
   * The matrix cannot complete this route's protocol (a WebAuthn response, an identity
   * provider, a valid one-time code): allowed principals must get past authorization (any
   * answer but 401/403/5xx), refused ones must get the refusal.
   */
  pastAuthOnly?: true;
  call: (s: Scene, me: Client) => Promise<Call>;
}

const uniqueName = () => `n${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const ch = async (s: Scene, rest = '') => `/api/v1/channels/${await s.channel()}${rest}`;
const msg = async (s: Scene, rest = '') => `/api/v1/messages/${await s.message()}${rest}`;
const adminUploadsEmoji = async (s: Scene) => {
  const name = uniqueName();
  const r = await postForm(s.w.server, s.w.people.admin, '/api/v1/emoji', form([{ name: 'e.png', data: await png() }], { name }));
  if (r.status !== 201) throw new Error(`emoji: ${JSON.stringify(r.body)}`);
  return name;
};
const memberUploads = async (s: Scene) => {
  const r = await postForm(s.w.server, s.w.people.member, '/api/v1/files', form([{ name: 'notes.txt', data: 'hello' }]));
  if (r.status !== 201) throw new Error(`upload: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.files[0].id as string;
};
const resetLink = async (s: Scene) => {
  const target = await s.w.someone();
  const r = await s.w.people.admin.post(`/api/v1/users/${target.id}/password-reset`, {});
  return new URL(r.body.url).searchParams.get('token')!;
};

export function routeTable(membersCanAddEmoji: boolean): RouteSpec[] {
  const open = { public: true as const };
  return [
    // Sign-in and public workspace information.
    { route: 'GET /api/v1/workspace', ...open, rule: signedIn, call: async () => ({ path: '/api/v1/workspace' }) },
    { route: 'POST /api/v1/auth/signup', ...open, rule: signedIn, call: async () => {
      const n = uniqueName();
      return { path: '/api/v1/auth/signup', body: { username: n, email: `${n}@example.test`, password: 'a long and unusual passphrase 42' } };
    } },
    { route: 'POST /api/v1/auth/login', ...open, rule: signedIn, call: async (s) => {
      const u = await s.w.someone();
      return { path: '/api/v1/auth/login', body: { login: u.user.username, password: PASSWORD } };
    } },
    { route: 'GET /api/v1/invites/{token}', ...open, rule: signedIn, call: async (s) => {
      const r = await s.w.people.admin.post('/api/v1/invites', {});
      return { path: `/api/v1/invites/${r.body.token}` };
    } },
    { route: 'GET /api/v1/auth/providers', ...open, rule: signedIn, call: async () => ({ path: '/api/v1/auth/providers' }) },
    { route: 'POST /api/v1/auth/passkey/options', ...open, rule: signedIn, call: async () => ({ path: '/api/v1/auth/passkey/options', body: {} }) },
    { route: 'POST /api/v1/auth/password-reset/request', ...open, rule: signedIn,
      call: async (s) => ({ path: '/api/v1/auth/password-reset/request', body: { login: (await s.w.someone()).user.username } }) },
    { route: 'GET /api/v1/auth/password-reset/{token}', ...open, rule: signedIn,
      call: async (s) => ({ path: `/api/v1/auth/password-reset/${await resetLink(s)}` }) },
    { route: 'POST /api/v1/auth/password-reset', ...open, rule: signedIn,
      call: async (s) => ({ path: '/api/v1/auth/password-reset', body: { token: await resetLink(s), password: 'a brand new passphrase 77' } }) },
    ...(['POST /api/v1/auth/passkey', 'POST /api/v1/auth/2fa', 'POST /api/v1/auth/2fa/passkey-options', 'POST /api/v1/auth/ldap/login',
      'POST /api/v1/auth/saml/acs', 'GET /api/v1/auth/saml/login', 'GET /api/v1/auth/saml/metadata', 'GET /api/v1/auth/oidc/login',
      'GET /api/v1/auth/oidc/callback'] as const).map((route): RouteSpec => ({
      route, ...open, rule: signedIn, pastAuthOnly: true,
      call: async () => ({ path: route.split(' ')[1]!, ...(route.startsWith('POST') ? { body: {} } : {}) }),
    })),
    { route: 'POST /api/v1/auth/logout', rule: signedIn, call: async () => ({ path: '/api/v1/auth/logout' }) },

    // Me and people.
    { route: 'GET /api/v1/users/me', rule: signedIn, call: async () => ({ path: '/api/v1/users/me' }) },
    { route: 'PATCH /api/v1/users/me', rule: signedIn, call: async () => ({ path: '/api/v1/users/me', body: { statusText: 'in the matrix' } }) },
    { route: 'GET /api/v1/users', rule: signedIn, call: async () => ({ path: '/api/v1/users' }) },
    { route: 'GET /api/v1/users/presence', rule: signedIn, call: async () => ({ path: '/api/v1/users/presence' }) },
    { route: 'GET /api/v1/users/{id}', rule: seeOutsider, call: async (s) => ({ path: `/api/v1/users/${s.w.people.outsider.id}` }) },
    { route: 'PATCH /api/v1/users/{id}', rule: admin('manageAccounts'),
      call: async (s) => ({ path: `/api/v1/users/${(await s.w.someone()).id}`, body: { displayName: 'Renamed by the matrix' } }) },
    { route: 'POST /api/v1/users/{id}/password-reset', rule: admin('resetLinks'), sessionOnly: true,
      call: async (s) => ({ path: `/api/v1/users/${(await s.w.someone()).id}/password-reset`, body: {} }) },
    { route: 'POST /api/v1/users/{id}/sessions/revoke', rule: admin('endSessions'),
      call: async (s) => ({ path: `/api/v1/users/${(await s.w.someone()).id}/sessions/revoke` }) },
    { route: 'POST /api/v1/dms', rule: openDmWithOutsider, call: async (s) => ({ path: '/api/v1/dms', body: { userIds: [s.w.people.outsider.id] } }) },

    // Workspace administration.
    { route: 'PATCH /api/v1/workspace', rule: admin('workspaceSettings'), call: async () => ({ path: '/api/v1/workspace', body: { openSignup: true } }) },
    { route: 'POST /api/v1/invites', rule: admin('invite'), call: async () => ({ path: '/api/v1/invites', body: {} }) },
    { route: 'GET /api/v1/2fa/policy', rule: admin('viewTwoFactorPolicy'), call: async () => ({ path: '/api/v1/2fa/policy' }) },
    { route: 'PUT /api/v1/2fa/policy', rule: admin('twoFactorPolicy'), sessionOnly: true,
      call: async () => ({ path: '/api/v1/2fa/policy', body: { require: 'off', graceDays: 7 } }) },
    { route: 'GET /api/v1/admin/sso', rule: admin('singleSignOn'), call: async () => ({ path: '/api/v1/admin/sso' }) },
    { route: 'PUT /api/v1/admin/sso', rule: admin('singleSignOn'), call: async () => ({ path: '/api/v1/admin/sso', body: { passwordLogin: true } }) },
    { route: 'POST /api/v1/admin/sso/ldap/sync', rule: admin('directorySync'), pastAuthOnly: true, call: async () => ({ path: '/api/v1/admin/sso/ldap/sync' }) },
    { route: 'GET /api/v1/admin/storage', rule: storageReport, call: async () => ({ path: '/api/v1/admin/storage' }) },
    { route: 'POST /api/v1/admin/imports', rule: admin('import'), call: async () => {
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(fs.readFileSync(slackExport()))], { type: 'application/zip' }), 'export.zip');
      return { path: '/api/v1/admin/imports?dryRun=true', form: f };
    } },
    { route: 'GET /api/v1/admin/imports/{id}', rule: admin('import'), call: async (s) => {
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(fs.readFileSync(slackExport()))], { type: 'application/zip' }), 'export.zip');
      const r = await postForm(s.w.server, s.w.people.admin, '/api/v1/admin/imports?dryRun=true', f);
      return { path: `/api/v1/admin/imports/${r.body.id}` };
    } },

    { route: 'GET /api/v1/admin/audit', rule: admin('auditLog'), call: async () => ({ path: '/api/v1/admin/audit' }) },
    { route: 'GET /api/v1/admin/audit/export', rule: admin('auditLog'), call: async () => ({ path: '/api/v1/admin/audit/export' }) },
    { route: 'GET /api/v1/admin/alerts', rule: admin('auditLog'), call: async () => ({ path: '/api/v1/admin/alerts' }) },

    // Account security (session-only: a script's token cannot change how its owner signs in).
    { route: 'GET /api/v1/sessions', rule: signedIn, sessionOnly: true, call: async () => ({ path: '/api/v1/sessions' }) },
    { route: 'DELETE /api/v1/sessions/{id}', rule: signedIn, sessionOnly: true, call: async (s, me) => {
      // Another of my own sessions, e.g. a laptop left signed in.
      const other = await s.w.as(roleOf(s, me));
      const list = await other.get('/api/v1/sessions');
      return { path: `/api/v1/sessions/${list.body.sessions.find((x: any) => x.current).id}` };
    } },
    { route: 'GET /api/v1/tokens', rule: signedIn, sessionOnly: true, call: async () => ({ path: '/api/v1/tokens' }) },
    { route: 'POST /api/v1/tokens', rule: signedIn, sessionOnly: true,
      call: async () => ({ path: '/api/v1/tokens', body: { name: uniqueName(), scopes: ['read'] } }) },
    { route: 'DELETE /api/v1/tokens/{id}', rule: signedIn, sessionOnly: true, call: async (s, me) => {
      const owner = await s.w.as(roleOf(s, me));
      const t = await owner.post('/api/v1/tokens', { name: uniqueName(), scopes: ['read'] });
      if (t.status !== 201) throw new Error(`token: ${JSON.stringify(t.body)}`);
      return { path: `/api/v1/tokens/${t.body.token.id}` };
    } },
    { route: 'GET /api/v1/2fa', rule: signedIn, sessionOnly: true, call: async () => ({ path: '/api/v1/2fa' }) },
    { route: 'POST /api/v1/2fa/totp', rule: signedIn, sessionOnly: true, call: async () => ({ path: '/api/v1/2fa/totp' }) },
    { route: 'POST /api/v1/2fa/totp/confirm', rule: signedIn, sessionOnly: true, pastAuthOnly: true,
      call: async () => ({ path: '/api/v1/2fa/totp/confirm', body: { code: '000000' } }) },
    { route: 'POST /api/v1/2fa/totp/disable', rule: signedIn, sessionOnly: true, pastAuthOnly: true,
      call: async () => ({ path: '/api/v1/2fa/totp/disable', body: { password: PASSWORD, code: '000000' } }) },
    { route: 'POST /api/v1/2fa/recovery-codes', rule: signedIn, sessionOnly: true, pastAuthOnly: true,
      call: async () => ({ path: '/api/v1/2fa/recovery-codes', body: { password: PASSWORD } }) },
    { route: 'GET /api/v1/passkeys', rule: signedIn, sessionOnly: true, call: async () => ({ path: '/api/v1/passkeys' }) },
    { route: 'POST /api/v1/passkeys/options', rule: signedIn, sessionOnly: true, call: async () => ({ path: '/api/v1/passkeys/options', body: {} }) },
    { route: 'POST /api/v1/passkeys', rule: signedIn, sessionOnly: true, pastAuthOnly: true, call: async () => ({ path: '/api/v1/passkeys', body: {} }) },
    { route: 'DELETE /api/v1/passkeys/{id}', rule: signedIn, sessionOnly: true, pastAuthOnly: true,
      call: async () => ({ path: '/api/v1/passkeys/01890a5d-ac96-774b-bcce-b302099a8057' }) },

    // Channels, workspace-wide.
    { route: 'GET /api/v1/channels', rule: signedIn, call: async () => ({ path: '/api/v1/channels' }) },
    { route: 'GET /api/v1/channels/browse', rule: workspaceChannels('browse'), call: async () => ({ path: '/api/v1/channels/browse' }) },
    { route: 'POST /api/v1/channels', rule: workspaceChannels('create'),
      call: async () => ({ path: '/api/v1/channels', body: { name: uniqueName(), kind: 'public' } }) },
    { route: 'GET /api/v1/threads', rule: signedIn, call: async () => ({ path: '/api/v1/threads' }) },
    { route: 'GET /api/v1/search', rule: signedIn, call: async () => ({ path: '/api/v1/search?q=plan' }) },

    // One channel (run for a private and a public one).
    ...perChannel([
      { route: 'GET /api/v1/channels/{id}', rule: channel('view'), call: async (s) => ({ path: await ch(s) }) },
      { route: 'PATCH /api/v1/channels/{id}', rule: channel('editInfo'), call: async (s) => ({ path: await ch(s), body: { topic: 'matrix' } }) },
      { route: 'POST /api/v1/channels/{id}/archive', rule: channel('manage'), call: async (s) => ({ path: await ch(s, '/archive') }) },
      { route: 'POST /api/v1/channels/{id}/unarchive', rule: channel('manage'),
        call: async (s) => ({ path: `/api/v1/channels/${await s.archivedChannel()}/unarchive` }) },
      { route: 'POST /api/v1/channels/{id}/join', rule: joinRule, call: async (s) => ({ path: await ch(s, '/join') }) },
      { route: 'POST /api/v1/channels/{id}/leave', rule: channel('leave'), call: async (s) => ({ path: await ch(s, '/leave') }) },
      { route: 'PUT /api/v1/channels/{id}/mute', rule: channel('interact'), call: async (s) => ({ path: await ch(s, '/mute') }) },
      { route: 'DELETE /api/v1/channels/{id}/mute', rule: channel('interact'), call: async (s) => ({ path: await ch(s, '/mute') }) },
      { route: 'GET /api/v1/channels/{id}/members', rule: channel('view'), call: async (s) => ({ path: await ch(s, '/members') }) },
      { route: 'POST /api/v1/channels/{id}/members', rule: channel('addMembers'),
        call: async (s) => ({ path: await ch(s, '/members'), body: { userIds: [(await s.w.someone()).id] } }) },
      { route: 'DELETE /api/v1/channels/{id}/members/{userId}', rule: channel('removeMembers'),
        call: async (s) => ({ path: await ch(s, `/members/${s.w.people.victim.id}`) }) },
      { route: 'GET /api/v1/channels/{id}/messages', rule: channel('view'), call: async (s) => ({ path: await ch(s, '/messages') }) },
      { route: 'POST /api/v1/channels/{id}/messages', rule: channel('post'), call: async (s) => ({ path: await ch(s, '/messages'), body: { text: 'hello' } }) },
      { route: 'GET /api/v1/channels/{id}/pins', rule: channel('view'), call: async (s) => ({ path: await ch(s, '/pins') }) },
      { route: 'POST /api/v1/channels/{id}/read', rule: channel('interact'), call: async (s) => ({ path: await ch(s, '/read') }) },
      { route: 'GET /api/v1/channels/{id}/files', rule: channel('view'), call: async (s) => ({ path: await ch(s, '/files') }) },
      { route: 'GET /api/v1/messages/{id}', rule: channel('view'), call: async (s) => ({ path: await msg(s) }) },
      { route: 'PATCH /api/v1/messages/{id}', rule: message('edit'), call: async (s) => ({ path: await msg(s), body: { text: 'edited' } }) },
      { route: 'DELETE /api/v1/messages/{id}', rule: message('delete'), call: async (s) => ({ path: await msg(s) }) },
      { route: 'GET /api/v1/messages/{id}/versions', rule: message('history'), call: async (s) => ({ path: await msg(s, '/versions') }) },
      { route: 'DELETE /api/v1/messages/{id}/previews', rule: message('removePreviews'), call: async (s) => ({ path: await msg(s, '/previews') }) },
      { route: 'GET /api/v1/messages/{id}/previews/{imageId}/image', rule: channel('view'), call: async (s) => ({ path: await s.previewImage() }) },
      { route: 'GET /api/v1/messages/{id}/thread', rule: channel('view'),
        call: async (s) => ({ path: `/api/v1/messages/${await s.thread()}/thread` }) },
      { route: 'POST /api/v1/messages/{id}/thread/read', rule: channel('interact'),
        call: async (s) => ({ path: `/api/v1/messages/${await s.thread()}/thread/read` }) },
      { route: 'PUT /api/v1/messages/{id}/thread/follow', rule: channel('interact'),
        call: async (s) => ({ path: `/api/v1/messages/${await s.thread()}/thread/follow` }) },
      { route: 'DELETE /api/v1/messages/{id}/thread/follow', rule: channel('interact'),
        call: async (s) => ({ path: `/api/v1/messages/${await s.thread()}/thread/follow` }) },
      { route: 'PUT /api/v1/messages/{id}/pin', rule: channel('interact'), call: async (s) => ({ path: await msg(s, '/pin') }) },
      { route: 'DELETE /api/v1/messages/{id}/pin', rule: channel('interact'), call: async (s) => ({ path: await msg(s, '/pin') }) },
      { route: 'PUT /api/v1/messages/{id}/reactions/{emoji}', rule: channel('interact'), call: async (s) => ({ path: await msg(s, '/reactions/tada') }) },
      { route: 'DELETE /api/v1/messages/{id}/reactions/{emoji}', rule: channel('interact'), call: async (s) => ({ path: await msg(s, '/reactions/tada') }) },
      { route: 'GET /api/v1/files/{id}', rule: channel('view'), call: async (s) => ({ path: `/api/v1/files/${await s.file()}` }) },
      ...(['content', 'preview', 'thumbnail'] as const).map((v): RouteSpec => ({
        route: `GET /api/v1/files/{id}/${v}`, rule: channel('view'), call: async (s) => ({ path: `/api/v1/files/${await s.file()}/${v}` }),
      })),
    ]),

    // Files and emoji, workspace-wide.
    { route: 'POST /api/v1/files', rule: signedIn, call: async () => ({ path: '/api/v1/files', form: form([{ name: 'a.txt', data: 'hi' }]) }) },
    { route: 'GET /api/v1/files', rule: signedIn, call: async () => ({ path: '/api/v1/files' }) },
    { route: 'DELETE /api/v1/files/{id}', rule: memberUpload, call: async (s) => ({ path: `/api/v1/files/${await memberUploads(s)}` }) },
    { route: 'GET /api/v1/emoji', rule: signedIn, call: async () => ({ path: '/api/v1/emoji' }) },
    { route: 'GET /api/v1/emoji/{name}/image', rule: signedIn, call: async (s) => ({ path: `/api/v1/emoji/${await adminUploadsEmoji(s)}/image` }) },
    { route: 'POST /api/v1/emoji', rule: addEmoji(membersCanAddEmoji),
      call: async () => ({ path: '/api/v1/emoji', form: form([{ name: 'e.png', data: await png() }], { name: uniqueName() }) }) },
    { route: 'DELETE /api/v1/emoji/{name}', rule: deleteAdminsEmoji, call: async (s) => ({ path: `/api/v1/emoji/${await adminUploadsEmoji(s)}` }) },
  ];
}

/** Joining: members are already in (a no-op that succeeds); others by the join rule. */
const joinRule: Rule = (i) => (i.scene.isMember(i.p) ? channel('view')(i) : channel('join')(i));

function perChannel(specs: RouteSpec[]): RouteSpec[] {
  return specs.map((s) => ({ ...s, perChannel: true }));
}

function roleOf(s: Scene, me: Client) {
  const people = s.w.people;
  if (me.user.id === people.admin.id) return 'admin' as const;
  if (me.user.id === people.guest.id) return 'guest' as const;
  if (me.user.id === people.outsider.id) return 'outsider' as const;
  return 'member' as const;
}

export type { ChannelKind };
