// Security review finding 9.3: the journal respects today's visibility. Owner and Admin see
// everything; a Lead sees their own actions and entries about resources they may read now,
// in JSON and CSV alike, with pagination that stays correct.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../support/http.ts';
import { startTestServer, type TestContext, type TestProject, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser;
let hidden: TestProject;
let shared: TestProject;
let secretDocCode: string;

interface Entry {
  seq: number;
  code: string | null;
  comment: string;
  user: { id: string } | null;
}

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  hidden = await ctx.newProject({ code: 'HIDE', name: 'Hidden project' });
  shared = await ctx.newProject({ code: 'SHRD', members: [{ user: lead, role: 'lead' }] });
  const task = await ctx.owner.post(`/api/projects/${hidden.id}/tasks`, { title: 'Secret task title' });
  await ctx.owner.post(`/api/tasks/${task.body.task.id}/comments`, { body: 'the secret comment text' });
  const doc = await ctx.owner.post('/api/library/documents', { title: 'Secret document title' });
  secretDocCode = doc.body.code;
  // Restrict the document to its owner: no grants, no inheritance.
  expect(
    (await ctx.owner.put(`/api/library/documents/${doc.body.id}/access`, { grants: [], inherit: false })).status,
  ).toBe(200);
  expect((await lead.client.get(`/api/library/documents/${doc.body.id}`)).status).toBe(404);
  expect((await lead.client.get(`/api/projects/${hidden.id}`)).status).toBe(404);
  const visibleTask = await lead.client.post(`/api/projects/${shared.id}/tasks`, { title: 'Visible task' });
  expect(visibleTask.status).toBe(201);
});
afterAll(async () => {
  await ctx?.close();
});

async function allEntries(client: TestUser['client'], limit = 7): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  for (;;) {
    const res: HttpResponse<{ items: Entry[]; next: string | null }> = await client.get(
      `/api/audit?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status, res.text).toBe(200);
    entries.push(...res.body.items);
    cursor = res.body.next;
    if (!cursor) return entries;
    expect(res.body.items).toHaveLength(limit);
  }
}

const aboutHidden = (e: Entry) => e.code === 'HIDE' || e.code?.startsWith('HIDE-') || e.code === secretDocCode;

describe('audit journal visibility', () => {
  it('a Lead sees neither entries nor text about a project and a document hidden from them', async () => {
    const entries = await allEntries(lead.client);
    // Their own refused attempts (access.denied on HIDE) are their own actions, so they show.
    const others = entries.filter((e) => e.user?.id !== lead.user.id);
    expect(others.filter(aboutHidden)).toEqual([]);
    expect(JSON.stringify(entries)).not.toMatch(/secret|Secret|Hidden project/);
    // …but does see their own actions and entries about what they may read.
    expect(entries.some((e) => e.user?.id === lead.user.id)).toBe(true);
    expect(entries.some((e) => e.code?.startsWith('SHRD-'))).toBe(true);
    // Pages are full and seqs unique: the filter is in the query, not applied after paging.
    expect(new Set(entries.map((e) => e.seq)).size).toBe(entries.length);
  });

  it('the CSV export is filtered the same way', async () => {
    const res = await lead.client.get('/api/audit/export.csv');
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/secret|Secret|HIDE-|Hidden project/);
    expect(res.text).toMatch(/SHRD-/);
  });

  it('the Owner and an Admin see everything', async () => {
    const admin = await ctx.newUser('Admin');
    for (const client of [ctx.owner, admin.client]) {
      const entries = await allEntries(client, 50);
      expect(entries.some((e) => e.code?.startsWith('HIDE-'))).toBe(true);
      expect(entries.some((e) => e.code === secretDocCode)).toBe(true);
    }
  });

  it('visibility follows access as it is today', async () => {
    expect(
      (await ctx.owner.post(`/api/projects/${hidden.id}/members`, { userId: lead.user.id, role: 'member' })).status,
    ).toBe(201);
    const entries = await allEntries(lead.client);
    expect(entries.some((e) => e.code?.startsWith('HIDE-'))).toBe(true);
    expect(entries.some((e) => e.code === secretDocCode)).toBe(false);
  });

  it('a project may not take a code that other documents use', async () => {
    const res = await ctx.owner.post('/api/projects', { name: 'Clash', code: 'DOC' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('code');
  });
});
