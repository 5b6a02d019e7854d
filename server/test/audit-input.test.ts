// GET /admin/audit(/export) filters: an id that is not a plain UUID (e.g. "urn:uuid:…", which
// PostgreSQL's uuid type refuses) is a 400, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer(); });
afterAll(async () => { await server?.close(); });

describe('audit filters', () => {
  it('answers a urn:uuid actorId with 200 or 400, never 500', async () => {
    const id = 'urn:uuid:01900000-0000-7000-8000-000000000000';
    const page = await server.admin.get(`/api/v1/admin/audit?actorId=${encodeURIComponent(id)}`);
    const exp = await server.admin.get(`/api/v1/admin/audit/export?actorId=${encodeURIComponent(id)}`);
    expect({ page: page.status, export: exp.status, exportBody: String(exp.body).slice(0, 80) }).toEqual({ page: 400, export: 400, exportBody: expect.any(String) });
  });
});
