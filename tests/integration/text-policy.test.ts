// Security review findings 9.1 and 9.4: hostile text never breaks the audit chain, verify
// reports every broken entry, and malformed input (bad compressed bodies, NUL in queries)
// answers 400 with the shared error body instead of 500.
import { gzipSync } from 'node:zlib';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import type { HttpResponse } from '../support/http.ts';
import { startTestServer, type TestContext, type TestProject, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let member: TestUser;
let project: TestProject;
let taskId: string;

beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member');
  project = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
  const task = await member.client.post(`/api/projects/${project.id}/tasks`, { title: 'Text policy' });
  expect(task.status, task.text).toBe(201);
  taskId = task.body.task.id;
});
afterAll(async () => {
  await ctx?.close();
});

function expect400(res: HttpResponse): Record<string, string> {
  expect(res.status, res.text).toBe(400);
  return errorBodySchema.parse(res.body).error.fields ?? {};
}

async function expectChainIntact(): Promise<void> {
  const verify = await ctx.owner.get('/api/audit/verify');
  expect(verify.status).toBe(200);
  expect(verify.body, JSON.stringify(verify.body)).toMatchObject({ ok: true, broken: [] });
}

describe('hostile text at the edge', () => {
  it('a lone surrogate in a comment is refused and the chain stays intact', async () => {
    // Raw JSON: `\ud800` must reach the server as a lone surrogate, not be re-encoded by a client.
    const res = await member.client.request('POST', `/api/tasks/${taskId}/comments`, {
      raw: '{"body":"hello \\ud800 world"}',
    });
    expect(expect400(res)).toHaveProperty('body');
    await expectChainIntact();
  });

  it('a group name of NUL, bidi override, zero-width space and a lone surrogate is refused', async () => {
    const res = await ctx.owner.request('POST', '/api/groups', { raw: '{"name":"\\u0000\\u202e\\u200b\\ud800"}' });
    expect(expect400(res)).toHaveProperty('name');
    await expectChainIntact();
  });

  it('control characters and bidi overrides are refused in names and titles', async () => {
    expect(expect400(await ctx.owner.post('/api/groups', { name: 'Sales\u202Egnp.exe' }))).toHaveProperty('name');
    expect(
      expect400(await member.client.post(`/api/projects/${project.id}/tasks`, { title: 'a\u0007b' })),
    ).toHaveProperty('title');
    expect(
      expect400(await member.client.post(`/api/projects/${project.id}/tasks`, { title: 'line\nbreak' })),
    ).toHaveProperty('title');
  });

  it('real text in Persian, Russian, emoji and combining marks is kept exactly', async () => {
    const name = 'گروه\u200Cها · Отдел продаж 🚀 e\u0301';
    const created = await ctx.owner.post('/api/groups', { name });
    expect(created.status, created.text).toBe(201);
    expect(created.body.group.name).toBe(name);
    const comment = 'first line\n\tsecond line — ✓';
    const posted = await member.client.post(`/api/tasks/${taskId}/comments`, { body: comment });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body.comment.body).toBe(comment);
    await expectChainIntact();
  });

  it('an ill-formed key or nested value anywhere in the body is refused', async () => {
    const nested = await ctx.owner.request('POST', '/api/groups', { raw: '{"name":"ok","members":["\\udfff"]}' });
    expect(nested.status).toBe(400);
    const key = await ctx.owner.request('POST', '/api/groups', { raw: '{"name":"ok","\\ud800":1}' });
    expect(key.status).toBe(400);
  });

  it('a deeply nested body is refused without crashing the server', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const res = await ctx.owner.request('POST', '/api/groups', { raw: `{"name":"x","members":${deep}}` });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await ctx.owner.get('/api/health')).status).toBe(200);
  });
});

describe('malformed input answers 400, never 500', () => {
  it.each(['gzip', 'deflate', 'br'])('a body that claims %s but is not compressed', async (encoding) => {
    for (const client of [ctx.anonymous(), ctx.owner]) {
      for (const path of ['/api/auth/login', '/api/groups', '/api/nowhere']) {
        const res = await client.request('POST', path, {
          raw: 'not compressed at all',
          headers: { 'content-encoding': encoding },
        });
        expect(res.status, `${encoding} ${path}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${encoding} ${path}: ${res.text}`).toBeLessThan(500);
        errorBodySchema.parse(res.body);
      }
    }
  });

  it('a well-compressed body still works', async () => {
    const raw = gzipSync(JSON.stringify({ name: 'Compressed group' }));
    const res = await fetch(`${ctx.url}/api/groups`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        cookie: ctx.owner.cookieHeader(),
        origin: ctx.url,
      },
      body: raw,
    });
    expect(res.status).toBe(201);
  });

  it('NUL or ill-formed text in a query parameter is 400', async () => {
    for (const path of [
      '/api/library?q=%00',
      '/api/library?q=a%00b',
      `/api/projects/${project.id}/tasks?label=%00`,
      '/api/audit?code=%00',
      '/api/users?q=%00',
    ]) {
      const res = await ctx.owner.get(path);
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      errorBodySchema.parse(res.body);
    }
  });
});

describe('verify reports every broken entry', () => {
  it('lists each tampered entry, not only the first', async () => {
    await expectChainIntact();
    const audit = mongoose.connection.collection('audit');
    const [first, second] = await audit.find({}, { sort: { seq: 1 }, skip: 2, limit: 2 }).toArray();
    const last = await audit.findOne({}, { sort: { seq: -1 } });
    expect(first && second && last).toBeTruthy();
    for (const entry of [first, last]) await audit.updateOne({ _id: entry?._id }, { $set: { comment: 'rewritten' } });
    const verify = await ctx.owner.get('/api/audit/verify');
    expect(verify.body.ok).toBe(false);
    expect(verify.body.brokenAt).toEqual({ seq: first?.seq, reason: 'hash_mismatch' });
    expect(verify.body.broken).toEqual([
      { seq: first?.seq, reason: 'hash_mismatch' },
      { seq: last?.seq, reason: 'hash_mismatch' },
    ]);
    expect(verify.body.total).toBe(last?.seq);
  });
});
