// LDAP sign-in (search, then bind as the user) and the admin's "sync the directory now".
import Type from 'typebox';
import { doLdapLogin, doLdapSync } from '../actions/sso-ldap.js';
import { auditingSignIn } from '../actions/sign-in-audit.js';
import { Errors, clientInfo as client, session, type RouteModule } from './plumbing.js';
import { LoginReply, loginReply } from './session-reply.js';

export const ldapRoutes: RouteModule = (app, deps) => {
  const secure = deps.config.publicUrl.startsWith('https:');
  const authLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: '1 minute' } };

  app.post('/api/v1/auth/ldap/login', {
    config: { public: true, ...authLimit },
    schema: {
      summary: 'Sign in with directory (LDAP / Active Directory) credentials; two-factor rules apply as for passwords',
      tags: ['sso'],
      body: Type.Object({
        login: Type.String({ minLength: 1, maxLength: 256 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
      }, { additionalProperties: false }),
      response: { 200: LoginReply, ...Errors },
    },
  }, async (req, reply) => loginReply(reply, await auditingSignIn(deps, client(req), { method: 'ldap', login: req.body.login },
    () => doLdapLogin(deps, req.body.login, req.body.password, client(req))), secure));

  app.post('/api/v1/admin/sso/ldap/sync', {
    schema: {
      summary: 'Sync accounts with the directory now (admins): create, update, deactivate',
      tags: ['sso'],
      response: {
        200: Type.Object({
          directoryUsers: Type.Integer(), created: Type.Integer(), updated: Type.Integer(), deactivated: Type.Integer(),
          skipped: Type.Array(Type.String()),
        }),
        ...Errors,
      },
    },
  }, async (req) => doLdapSync(deps, session(req).user));
};
