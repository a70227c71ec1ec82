// Hostile and concurrent input against the edit/delete/restore endpoints of issue 11: other
// people's ids, racing saves from one base, bases from the future, invisible and direction-
// override characters, oversized edits, bad time zones and disguised avatars. Each answer is a
// clear 4xx with the error body (never a 5xx), and nothing is lost or changed by a refused call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { limits } from '@crewdeck/shared/limits';
import { taskResponseSchema, type Task } from '@crewdeck/shared/tasks';
import { startTestServer, type TestContext, type TestProject, type TestUser } from '../support/server.ts';
import type { HttpResponse } from '../support/http.ts';

let ctx: TestContext;
let lena: TestUser;
let mark: TestUser;
let outsider: TestUser;
let project: TestProject;

beforeAll(async () => {
  ctx = await startTestServer();
  lena = await ctx.newUser('Member');
  mark = await ctx.newUser('Member');
  outsider = await ctx.newUser('Member');
  project = await ctx.newProject({
    members: [
      { user: lena, role: 'member' },
      { user: mark, role: 'member' },
    ],
  });
});
afterAll(async () => {
  await ctx?.close();
});

/** A refused call: the status, and the one error body. */
function refused(res: HttpResponse, status: number): void {
  expect(res.status, res.text).toBe(status);
  expect(errorBodySchema.safeParse(res.body).success, res.text).toBe(true);
}

async function newTask(body: object = {}): Promise<Task> {
  const res = await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title: 'Start', ...body });
  expect(res.status, res.text).toBe(201);
  return taskResponseSchema.parse(res.body).task;
}

async function current(id: string): Promise<Task> {
  return taskResponseSchema.parse((await ctx.owner.get(`/api/tasks/${id}`)).body).task;
}

describe("other people's ids", () => {
  it('a non-member cannot edit, delete or restore a milestone, task or comment, and they stay as they were', async () => {
    const milestone = await ctx.owner.post(`/api/projects/${project.id}/milestones`, { title: 'M1' });
    expect(milestone.status, milestone.text).toBe(201);
    const milestoneId: string = milestone.body.milestone.id;
    const task = await newTask({ title: 'Guarded' });
    const comment = await lena.client.post(`/api/tasks/${task.id}/comments`, { body: 'Lena wrote this' });
    expect(comment.status, comment.text).toBe(201);
    const commentId: string = comment.body.comment.id;

    for (const res of [
      await outsider.client.patch(`/api/milestones/${milestoneId}`, { title: 'Hijacked' }),
      await outsider.client.delete(`/api/milestones/${milestoneId}`),
      await outsider.client.patch(`/api/tasks/${task.id}`, { title: 'Hijacked', version: task.version }),
      await outsider.client.delete(`/api/tasks/${task.id}`),
      await outsider.client.patch(`/api/comments/${commentId}`, { body: 'Hijacked' }),
      await outsider.client.delete(`/api/comments/${commentId}`),
      await outsider.client.get(`/api/tasks/${task.id}/comments`),
    ])
      refused(res, 404);
    // A project member may not edit another member's comment.
    refused(await mark.client.patch(`/api/comments/${commentId}`, { body: 'Mark rewrote it' }), 403);
    refused(await mark.client.delete(`/api/comments/${commentId}`), 403);

    const comments = await ctx.owner.get(`/api/tasks/${task.id}/comments`);
    expect(JSON.stringify(comments.body)).toContain('Lena wrote this');
    expect((await current(task.id)).title).toBe('Guarded');
    const milestones = await ctx.owner.get(`/api/projects/${project.id}/milestones`);
    expect(JSON.stringify(milestones.body)).toContain('"M1"');
  });

  it('a trashed item cannot be restored by someone who could not delete it', async () => {
    const task = await newTask({ title: 'Trashed' });
    expect((await ctx.owner.delete(`/api/tasks/${task.id}`)).status).toBe(200);
    refused(await outsider.client.post(`/api/tasks/${task.id}/restore`), 404);
    const trash = await outsider.client.get('/api/trash');
    expect(trash.status).toBeLessThan(500);
    expect(JSON.stringify(trash.body)).not.toContain('Trashed');
    const comment = await lena.client.post(`/api/tasks/${(await newTask()).id}/comments`, { body: 'Gone soon' });
    const commentId: string = comment.body.comment.id;
    expect((await lena.client.delete(`/api/comments/${commentId}`)).status).toBe(200);
    refused(await mark.client.post(`/api/comments/${commentId}/restore`), 403);
    expect((await lena.client.post(`/api/comments/${commentId}/restore`)).status).toBe(200);
  });

  it('malformed and unknown ids are 400 or 404, never 5xx', async () => {
    for (const id of ['not-an-id', '0'.repeat(24), "'; drop", '%00', 'a'.repeat(5000)]) {
      for (const res of [
        await ctx.owner.patch(`/api/milestones/${encodeURIComponent(id)}`, { title: 'x' }),
        await ctx.owner.delete(`/api/comments/${encodeURIComponent(id)}`),
        await ctx.owner.post(`/api/tasks/${encodeURIComponent(id)}/restore`),
        await ctx.owner.post(`/api/groups/${encodeURIComponent(id)}/members`, { userId: id }),
        await ctx.owner.delete(`/api/groups/${encodeURIComponent(id)}/members/${encodeURIComponent(id)}`),
        await ctx.owner.post(`/api/library/trash/documents/${encodeURIComponent(id)}/restore`),
      ]) {
        expect([400, 404], `${res.status} ${res.text}`).toContain(res.status);
        expect(errorBodySchema.safeParse(res.body).success, res.text).toBe(true);
      }
    }
  });

  it('a group cannot be given an unknown user, and members added one at a time all stay', async () => {
    const group = await ctx.owner.post('/api/groups', { name: `Crew ${Date.now()}` });
    expect(group.status, group.text).toBe(201);
    const groupId: string = group.body.group.id;
    const unknown = await ctx.owner.post(`/api/groups/${groupId}/members`, { userId: '0'.repeat(24) });
    refused(unknown, 400);
    expect(Object.keys(errorBodySchema.parse(unknown.body).error.fields ?? {})).toEqual(['userId']);
    refused(await lena.client.post(`/api/groups/${groupId}/members`, { userId: lena.user.id }), 403);
    const adds = await Promise.all(
      [lena, mark, outsider].map((u) => ctx.owner.post(`/api/groups/${groupId}/members`, { userId: u.user.id })),
    );
    for (const res of adds) expect(res.status, res.text).toBeLessThan(300);
    const read = await ctx.owner.get(`/api/groups/${groupId}`);
    const ids = JSON.stringify(read.body);
    for (const u of [lena, mark, outsider]) expect(ids).toContain(u.user.id);
  });
});

describe('racing saves from one base', () => {
  it('ten people change ten different fields at once: every change is kept', async () => {
    const seen = await newTask({ title: 'Race', estimate: 1 });
    const changes: Array<Record<string, unknown>> = [
      { title: 'Race won' },
      { estimate: 9 },
      { priority: 'urgent' },
      { description: 'Written in the race' },
      { startDate: '2027-01-04' },
      { dueDate: '2027-01-29' },
      { labels: ['raced'] },
      { status: 'in_progress' },
    ];
    const base = (fields: Record<string, unknown>) => ({
      version: seen.version,
      values: Object.fromEntries(Object.keys(fields).map((k) => [k, (seen as Record<string, unknown>)[k] ?? null])),
    });
    const clients = [ctx.owner, lena.client, mark.client];
    const results = await Promise.all(
      changes.map((change, i) =>
        clients[i % clients.length].patch(`/api/tasks/${seen.id}`, { ...change, base: base(change) }),
      ),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    const task = await current(seen.id);
    expect(task).toMatchObject({
      title: 'Race won',
      estimate: 9,
      priority: 'urgent',
      description: 'Written in the race',
      startDate: '2027-01-04',
      dueDate: '2027-01-29',
      labels: ['raced'],
      status: 'in_progress',
      version: seen.version + changes.length,
    });
  });

  it('five people set the same field to different values at once: exactly one wins, the others get 409', async () => {
    const seen = await newTask({ estimate: 1 });
    const clients = [ctx.owner, lena.client, mark.client, ctx.owner, lena.client];
    const results = await Promise.all(
      clients.map((client, i) =>
        client.patch(`/api/tasks/${seen.id}`, {
          estimate: 10 + i,
          base: { version: seen.version, values: { estimate: 1 } },
        }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won, results.map((r) => `${r.status} ${r.text}`).join('\n')).toHaveLength(1);
    for (const res of results.filter((r) => r.status !== 200)) refused(res, 409);
    const winner = taskResponseSchema.parse(won[0].body).task.estimate;
    expect((await current(seen.id)).estimate).toBe(winner);
  });

  it('a base from the future or the past is refused clearly, not a 5xx', async () => {
    const seen = await newTask();
    for (const version of [seen.version + 5, -1, 1e12, 1.5]) {
      const res = await ctx.owner.patch(`/api/tasks/${seen.id}`, {
        title: 'From elsewhere',
        base: { version, values: { title: seen.title } },
      });
      expect([400, 409], `${version}: ${res.status} ${res.text}`).toContain(res.status);
      expect(errorBodySchema.safeParse(res.body).success, res.text).toBe(true);
    }
    expect((await current(seen.id)).title).toBe(seen.title);
  });
});

describe('hostile text', () => {
  it('direction overrides and control characters are refused or cleaned in titles, never stored raw', async () => {
    for (const title of ['pay\u202Efdp.exe', 'bell\u0007ring', 'zero\u200Bwidth\u0000nul']) {
      const res = await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title });
      if (res.status === 201) {
        const stored = taskResponseSchema.parse(res.body).task.title;
        // eslint-disable-next-line no-control-regex -- control characters are exactly what is checked
        expect(stored, JSON.stringify(stored)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E\u2066-\u2069]/);
      } else refused(res, 400);
    }
  });

  it('an oversized comment edit is refused and the comment keeps its text', async () => {
    const task = await newTask();
    const comment = await lena.client.post(`/api/tasks/${task.id}/comments`, { body: 'Short' });
    const commentId: string = comment.body.comment.id;
    const res = await lena.client.patch(`/api/comments/${commentId}`, { body: 'x'.repeat(limits.commentMax + 1) });
    refused(res, 400);
    expect(Object.keys(errorBodySchema.parse(res.body).error.fields ?? {})).toContain('body');
    refused(await lena.client.patch(`/api/comments/${commentId}`, { body: '   ' }), 400);
    expect(JSON.stringify((await lena.client.get(`/api/tasks/${task.id}/comments`)).body)).toContain('Short');
  });

  it('a milestone cannot end before it starts, also when only one date changes', async () => {
    const created = await ctx.owner.post(`/api/projects/${project.id}/milestones`, {
      title: 'Dated',
      startDate: '2027-03-10',
      dueDate: '2027-03-20',
    });
    const id: string = created.body.milestone.id;
    refused(await ctx.owner.patch(`/api/milestones/${id}`, { dueDate: '2027-03-01' }), 400);
    refused(await ctx.owner.patch(`/api/milestones/${id}`, { startDate: '2027-04-01' }), 400);
    refused(await ctx.owner.patch(`/api/milestones/${id}`, { dueDate: '2027-02-30' }), 400);
    const list = await ctx.owner.get(`/api/projects/${project.id}/milestones`);
    expect(JSON.stringify(list.body)).toContain('2027-03-20');
  });
});

describe('profile', () => {
  it('an unknown or malformed time zone is a field error, and the stored one stays', async () => {
    expect((await lena.client.patch('/api/profile', { timeZone: 'Europe/Moscow' })).status).toBe(200);
    for (const timeZone of ['Mars/Olympus', '../../etc/passwd', 'x'.repeat(300), 42]) {
      const res = await lena.client.patch('/api/profile', { timeZone });
      refused(res, 400);
      expect(Object.keys(errorBodySchema.parse(res.body).error.fields ?? {})).toContain('timeZone');
    }
    expect(JSON.stringify((await lena.client.get('/api/profile')).body)).toContain('Europe/Moscow');
  });

  it('an executable uploaded as an avatar image is refused', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 7)]);
    const form = new FormData();
    form.append('file', new Blob([exe], { type: 'image/png' }), 'me.png');
    const res = await fetch(`${ctx.url}/api/profile/avatar`, {
      method: 'PUT',
      headers: { cookie: lena.client.cookieHeader(), origin: ctx.url },
      body: form,
    });
    const body: unknown = await res.json();
    expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(errorBodySchema.safeParse(body).success).toBe(true);
    expect((await lena.client.get(`/api/users/${lena.user.id}/avatar`)).status).toBe(404);
  });
});
