// /admin/audit (a page, or /export as NDJSON) and /admin/alerts: admins only.
import { Readable } from 'node:stream';
import Type from 'typebox';
import { AlertPage, AuditPage, Id } from '@parley/protocol';
import { listAlerts, listAudit, startAuditExport } from '../actions/admin-audit.js';
import { Errors, Limit, clientInfo, session, type RouteModule } from './plumbing.js';

const Filters = {
  action: Type.Optional(Type.String({ maxLength: 64, description: "An action ('auth.login') or a prefix ('auth.*')" })),
  actorId: Type.Optional(Id),
  targetId: Type.Optional(Type.String({ maxLength: 200 })),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
};
const NdJson = Type.Unsafe<unknown>({ type: 'string', description: 'One AuditEntry (JSON) per line' });
const Cursor = Type.Optional(Type.String({ maxLength: 100 }));

export const auditRoutes: RouteModule = (app, deps) => {
  app.get('/api/v1/admin/audit', {
    schema: {
      summary: 'The audit log, newest first (admins): sign-ins, security changes, admin actions, alerts',
      tags: ['admin'],
      querystring: Type.Object({ ...Filters, cursor: Cursor, limit: Type.Optional(Limit(50, 200)) }),
      response: { 200: AuditPage, ...Errors },
    },
  }, async (req) => listAudit(deps, session(req).user, { ...req.query, limit: req.query.limit ?? 50 }));

  app.get('/api/v1/admin/audit/export', {
    schema: {
      summary: 'The filtered audit log as JSON lines (application/x-ndjson), streamed; the export itself is audited (admins)',
      tags: ['admin'],
      querystring: Type.Object(Filters),
      response: { 200: NdJson, ...Errors },
    },
  }, async (req, reply) => {
    const lines = await startAuditExport(deps, session(req).user, clientInfo(req), req.query);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="parley-audit-${day}.ndjson"`)
      .send(Readable.from(lines));
  });

  app.get('/api/v1/admin/alerts', {
    schema: {
      summary: 'Security alerts raised by the anomaly detector, newest first (admins)',
      tags: ['admin'],
      querystring: Type.Object({ cursor: Cursor, limit: Type.Optional(Limit(50, 200)) }),
      response: { 200: AlertPage, ...Errors },
    },
  }, async (req) => listAlerts(deps, session(req).user, { cursor: req.query.cursor, limit: req.query.limit ?? 50 }));
};
