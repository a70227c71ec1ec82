import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import type { HttpResponse } from '../support/http.ts';
import { startTestServer, type TestContext } from '../support/server.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  await ctx?.close();
});

/** A 4xx answer in the shared error shape, without any stack trace. */
function expectClientError(res: HttpResponse, status?: number) {
  if (status) expect(res.status, res.text).toBe(status);
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = errorBodySchema.parse(res.body);
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return body.error;
}

describe('malformed and mistyped input', () => {
  it('malformed JSON → 400', async () => {
    const res = await ctx.owner.request('POST', '/api/users', { raw: '{"name": "x",' });
    expect(expectClientError(res, 400).code).toBe('validation_failed');
  });

  it('missing fields → 400 with field paths', async () => {
    const error = expectClientError(await ctx.owner.post('/api/users', { name: 'No login' }), 400);
    expect(error.fields).toHaveProperty('login');
    expect(error.fields).toHaveProperty('role');
  });

  it('wrong types → 400 with nested field paths', async () => {
    const error = expectClientError(
      await ctx.owner.post('/api/users', { name: 7, login: 'x', role: 'King', groups: ['nope'] }),
      400,
    );
    expect(Object.keys(error.fields ?? {})).toEqual(expect.arrayContaining(['name', 'role', 'groups.0']));
  });

  it('unknown fields are refused, not silently dropped', async () => {
    const error = expectClientError(
      await ctx.owner.post('/api/users', { name: 'X', login: 'x1', role: 'Member', passwordHash: 'x' }),
      400,
    );
    expect(error.code).toBe('validation_failed');
  });

  it('a non-JSON content type does not sneak a body in', async () => {
    const res = await ctx.owner.request('POST', '/api/groups', {
      raw: '{"name":"G"}',
      headers: { 'content-type': 'text/plain' },
    });
    expectClientError(res, 400);
  });

  it('oversized bodies → 413', async () => {
    const res = await ctx.owner.post('/api/groups', { name: 'G', description: 'x'.repeat(200_000) });
    expect(expectClientError(res, 413).code).toBe('payload_too_large');
  });

  it('bad ids and query values → 400; unknown ids → 404', async () => {
    expectClientError(await ctx.owner.get('/api/users/not-an-id'), 400);
    expectClientError(await ctx.owner.get('/api/users/000000000000000000000000'), 404);
    expectClientError(await ctx.owner.get('/api/audit?limit=100000'), 400);
    expectClientError(await ctx.owner.get('/api/audit?from=yesterday'), 400);
    expectClientError(await ctx.owner.get('/api/reports/time-in-system?from=2026-01-02&to=2026-01-01'), 400);
  });

  it('duplicate login → 409', async () => {
    await ctx.owner.post('/api/users', { name: 'Dup', login: 'dup', role: 'Member' });
    const error = expectClientError(
      await ctx.owner.post('/api/users', { name: 'Dup', login: 'DUP', role: 'Member' }),
      409,
    );
    expect(error.fields).toHaveProperty('login');
  });

  it('unknown API routes → 404 JSON', async () => {
    expect(expectClientError(await ctx.owner.get('/api/nope'), 404).code).toBe('not_found');
    expectClientError(await ctx.anonymous().post('/api/does/not/exist'), 404);
  });
});

describe('injection-shaped values', () => {
  const shapes: unknown[] = [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, ['admin'], null, 12];

  it.each(shapes)('login %j → 4xx, never a login', async (shape) => {
    const res = await ctx.anonymous().post('/api/auth/login', { login: shape, password: { $ne: '' } });
    expectClientError(res, 400);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('operator objects in updates, filters and ids → 4xx', async () => {
    const me = (await ctx.owner.get('/api/me')).body;
    expectClientError(await ctx.owner.patch(`/api/users/${me.id}`, { role: { $ne: null } }), 400);
    expectClientError(await ctx.owner.patch(`/api/users/${encodeURIComponent('{"$gt":""}')}`, { name: 'x' }), 400);
    const filtered = await ctx.owner.get('/api/audit?user[$ne]=x&action[$gt]=');
    expect(filtered.status).toBeLessThan(500);
    expectClientError(await ctx.owner.get('/api/audit?code=a&code=b'), 400);
  });

  it('SQL-shaped strings are just strings', async () => {
    const res = await ctx.anonymous().login("' OR 1=1 --", "' OR '1'='1");
    expect(expectClientError(res, 401).code).toBe('invalid_credentials');
    const ok = await ctx.anonymous().login('robert@example.test', "'); DROP TABLE users;--");
    expect(expectClientError(ok, 401).code).toBe('invalid_credentials');
  });
});

describe('CSRF and headers', () => {
  it('refuses a cookie-authenticated write from a foreign Origin', async () => {
    const member = await ctx.newUser('Admin');
    member.client.origin = 'https://evil.example';
    const res = await member.client.post('/api/users', { name: 'Evil', login: 'evil', role: 'Member' });
    expect(expectClientError(res, 403).code).toBe('csrf_rejected');
    expect((await member.client.post('/api/auth/logout-all')).status).toBe(403);
    // Reads stay possible (SameSite=Lax and CORS keep their answers from foreign pages).
    expect((await member.client.get('/api/me')).status).toBe(200);
  });

  it('refuses cross-site writes announced by Sec-Fetch-Site when Origin is missing', async () => {
    const client = ctx.anonymous(null);
    const res = await client.post(
      '/api/auth/login',
      { login: 'x', password: 'y' },
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(expectClientError(res, 403).code).toBe('csrf_rejected');
  });

  it('accepts same-origin writes and clients without Origin', async () => {
    expect((await ctx.owner.post('/api/groups', { name: 'Same origin' })).status).toBe(201);
    const cli = ctx.anonymous(null);
    expect((await cli.login('owner@example.test', 'owner-password-123')).status).toBe(200);
  });

  it('sends security headers and no-store on the API', async () => {
    const res = await ctx.anonymous().get('/api/health');
    expect(res.body).toEqual({ ok: true, version: expect.any(String) });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
