import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import {
  milestoneResponseSchema,
  projectResponseSchema,
  trashListSchema,
  trashedSchema,
} from '@crewdeck/shared/projects';
import { commentListSchema, commentResponseSchema, taskResponseSchema } from '@crewdeck/shared/tasks';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestProject, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser;
let member: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  member = await ctx.newUser('Member');
  outsider = await ctx.newUser('Member');
});
afterAll(async () => {
  await ctx?.close();
});

/** A project led by `lead` with `member` as a member. */
async function teamProject(): Promise<TestProject> {
  return ctx.newProject({
    members: [
      { user: lead, role: 'lead' },
      { user: member, role: 'member' },
    ],
  });
}

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

/** Journal actions about `code`, newest first, refusals left out. */
async function journal(code: string): Promise<string[]> {
  const res = await ctx.owner.get(`/api/audit?code=${code}`);
  expect(res.status).toBe(200);
  return res.body.items.map((e: { action: string }) => e.action).filter((a: string) => a !== 'access.denied');
}

async function feedTypes(client: HttpClient, projectId: string): Promise<string[]> {
  const res = await client.get(`/api/feed?projectId=${projectId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.items.map((e: { type: string }) => e.type);
}

async function trash(client: HttpClient, projectId?: string) {
  const res = await client.get(`/api/trash${projectId ? `?projectId=${projectId}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return trashListSchema.parse(res.body).items;
}

describe('projects: edit, archive, delete, restore', () => {
  it('the lead renames and archives; a member gets 403, an outsider 404', async () => {
    const p = await teamProject();
    const renamed = await lead.client.patch(`/api/projects/${p.id}`, { name: 'Renamed', description: 'New text' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(projectResponseSchema.parse(renamed.body).project).toMatchObject({
      name: 'Renamed',
      description: 'New text',
      code: p.code,
    });
    expect(renamed.body.project.abilities['project.delete']).toBe(true);
    expect((await member.client.get(`/api/projects/${p.id}`)).body.project.abilities['project.delete']).toBe(false);
    expect((await member.client.patch(`/api/projects/${p.id}`, { name: 'Nope' })).status).toBe(403);
    expect((await outsider.client.patch(`/api/projects/${p.id}`, { name: 'Nope' })).status).toBe(404);
    expect((await member.client.delete(`/api/projects/${p.id}`)).status).toBe(403);
    expect((await outsider.client.delete(`/api/projects/${p.id}`)).status).toBe(404);
    expect((await lead.client.patch(`/api/projects/${p.id}`, { archived: true })).status).toBe(200);
    expect(ids((await lead.client.get('/api/projects')).body.items)).not.toContain(p.id);
    expect(ids((await lead.client.get('/api/projects?archived=true')).body.items)).toContain(p.id);
  });

  it('a deleted project vanishes everywhere with its tasks, and comes back whole on restore', async () => {
    const p = await teamProject();
    const task = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Inside' })).body.task;
    const ms = (await lead.client.post(`/api/projects/${p.id}/milestones`, { title: 'M' })).body.milestone;
    await member.client.post(`/api/tasks/${task.id}/comments`, { body: 'a comment' });

    const deleted = await lead.client.delete(`/api/projects/${p.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    const { restoreUntil } = trashedSchema.parse(deleted.body);
    expect(new Date(restoreUntil).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    for (const client of [lead.client, member.client]) {
      expect(ids((await client.get('/api/projects?archived=true')).body.items)).not.toContain(p.id);
      expect((await client.get(`/api/projects/${p.id}`)).status).toBe(404);
      expect((await client.get(`/api/tasks/${task.id}`)).status).toBe(404);
      expect((await client.get(`/api/projects/${p.id}/milestones`)).status).toBe(404);
      expect((await client.get(`/api/feed?projectId=${p.id}`)).status).toBe(404);
    }
    expect((await ctx.owner.get(`/api/projects/${p.id}`)).status).toBe(404);

    // Only those who may delete it see it in the trash.
    expect(ids(await trash(lead.client)).filter((id) => id === p.id)).toEqual([p.id]);
    expect(ids(await trash(member.client))).not.toContain(p.id);
    expect(ids(await trash(outsider.client))).not.toContain(p.id);
    expect((await member.client.post(`/api/projects/${p.id}/restore`)).status).toBe(403);
    expect((await outsider.client.post(`/api/projects/${p.id}/restore`)).status).toBe(404);

    const restored = await lead.client.post(`/api/projects/${p.id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(projectResponseSchema.parse(restored.body).project.id).toBe(p.id);
    expect(ids((await member.client.get('/api/projects')).body.items)).toContain(p.id);
    expect((await member.client.get(`/api/tasks/${task.id}`)).status).toBe(200);
    expect(ids((await member.client.get(`/api/projects/${p.id}/milestones`)).body.items)).toEqual([ms.id]);
    expect((await member.client.get(`/api/tasks/${task.id}/comments`)).body.items).toHaveLength(1);
    expect(ids(await trash(lead.client))).not.toContain(p.id);
    expect((await lead.client.post(`/api/projects/${p.id}/restore`)).status).toBe(404);

    expect((await journal(p.code)).slice(0, 2)).toEqual(['project.restore', 'project.delete']);
    expect((await feedTypes(member.client, p.id)).slice(0, 2)).toEqual(['project.restored', 'project.deleted']);
  });

  it('a project with logged time cannot be deleted (archive it instead)', async () => {
    const p = await teamProject();
    const task = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Billed' })).body.task;
    expect((await member.client.post(`/api/tasks/${task.id}/time`, { hours: 1 })).status).toBe(201);
    const refused = await lead.client.delete(`/api/projects/${p.id}`);
    expect(refused.status).toBe(409);
    expect((await lead.client.get(`/api/projects/${p.id}`)).status).toBe(200);
  });

  it('after the 30 days a trashed project can no longer be restored', async () => {
    const p = await teamProject();
    expect((await lead.client.delete(`/api/projects/${p.id}`)).status).toBe(200);
    await mongoose.connection
      .collection('projects')
      .updateOne(
        { _id: new mongoose.Types.ObjectId(p.id) },
        { $set: { deletedAt: new Date(Date.now() - 31 * 86_400_000) } },
      );
    expect(ids(await trash(lead.client))).not.toContain(p.id);
    expect((await lead.client.post(`/api/projects/${p.id}/restore`)).status).toBe(404);
  });
});

describe('milestones: edit, status, dates, delete, restore', () => {
  it('the lead edits title, dates and status; a member gets 403, an outsider 404', async () => {
    const p = await teamProject();
    const ms = milestoneResponseSchema.parse(
      (await lead.client.post(`/api/projects/${p.id}/milestones`, { title: 'v1', startDate: '2030-01-01' })).body,
    ).milestone;
    const edited = await lead.client.patch(`/api/milestones/${ms.id}`, {
      title: 'v1.0',
      dueDate: '2030-02-01',
      status: 'completed',
    });
    expect(edited.status, edited.text).toBe(200);
    expect(milestoneResponseSchema.parse(edited.body).milestone).toMatchObject({
      title: 'v1.0',
      startDate: '2030-01-01',
      dueDate: '2030-02-01',
      status: 'completed',
    });
    expect((await member.client.patch(`/api/milestones/${ms.id}`, { status: 'active' })).status).toBe(403);
    expect((await outsider.client.patch(`/api/milestones/${ms.id}`, { status: 'active' })).status).toBe(404);
    expect((await member.client.delete(`/api/milestones/${ms.id}`)).status).toBe(403);
    expect((await outsider.client.delete(`/api/milestones/${ms.id}`)).status).toBe(404);
    expect((await journal(ms.code)).slice(0, 2)).toEqual(['milestone.update', 'milestone.create']);
  });

  it('a due day before the first day is refused with a field error, on create and on update', async () => {
    const p = await teamProject();
    const created = await lead.client.post(`/api/projects/${p.id}/milestones`, {
      title: 'Backwards',
      startDate: '2030-03-10',
      dueDate: '2030-03-01',
    });
    expect(created.status).toBe(400);
    const body = errorBodySchema.parse(created.body);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.dueDate).toBe('Due date cannot be before the start date.');

    const ms = (
      await lead.client.post(`/api/projects/${p.id}/milestones`, {
        title: 'Forwards',
        startDate: '2030-03-10',
        dueDate: '2030-03-20',
      })
    ).body.milestone;
    // Each date alone, against the stored other one.
    const dueOnly = await lead.client.patch(`/api/milestones/${ms.id}`, { dueDate: '2030-03-05' });
    expect(dueOnly.status).toBe(400);
    expect(dueOnly.body.error.fields).toHaveProperty('dueDate');
    const startOnly = await lead.client.patch(`/api/milestones/${ms.id}`, { startDate: '2030-03-25' });
    expect(startOnly.status).toBe(400);
    expect(startOnly.body.error.fields).toHaveProperty('dueDate');
    const both = await lead.client.patch(`/api/milestones/${ms.id}`, {
      startDate: '2030-03-01',
      dueDate: '2030-03-05',
    });
    expect(both.status, both.text).toBe(200);
    expect((await lead.client.patch(`/api/milestones/${ms.id}`, { startDate: null })).status).toBe(200);
  });

  it('a deleted milestone leaves the list and the trash gives it back', async () => {
    const p = await teamProject();
    const ms = (await lead.client.post(`/api/projects/${p.id}/milestones`, { title: 'Gone' })).body.milestone;
    const task = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'T', milestoneId: ms.id })).body.task;
    const deleted = await lead.client.delete(`/api/milestones/${ms.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect((await member.client.get(`/api/projects/${p.id}/milestones`)).body.items).toEqual([]);
    expect((await lead.client.patch(`/api/milestones/${ms.id}`, { title: 'x' })).status).toBe(404);
    const inTrash = await trash(lead.client, p.id);
    expect(inTrash.map((i) => [i.kind, i.id, i.title])).toEqual([['milestone', ms.id, 'Gone']]);
    expect(inTrash[0].deletedBy?.id).toBe(lead.user.id);
    expect(await trash(member.client, p.id)).toEqual([]);
    expect((await member.client.post(`/api/milestones/${ms.id}/restore`)).status).toBe(403);
    const restored = await lead.client.post(`/api/milestones/${ms.id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(milestoneResponseSchema.parse(restored.body).milestone.progress.remaining.tasks).toBe(1);
    expect(ids((await member.client.get(`/api/projects/${p.id}/milestones`)).body.items)).toEqual([ms.id]);
    expect((await member.client.get(`/api/tasks/${task.id}`)).body.task.milestoneId).toBe(ms.id);
    expect((await journal(ms.code)).slice(0, 2)).toEqual(['milestone.restore', 'milestone.delete']);
    expect((await feedTypes(member.client, p.id)).slice(0, 2)).toEqual(['milestone.restored', 'milestone.deleted']);
  });
});

describe('tasks: delete to the trash and restore', () => {
  it('subtasks and comments go and come back with their task; only who may delete restores', async () => {
    const p = await teamProject();
    const parent = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Parent' })).body.task;
    const child = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Child', parentId: parent.id })).body
      .task;
    await member.client.post(`/api/tasks/${parent.id}/comments`, { body: 'on the parent' });
    await member.client.post(`/api/tasks/${child.id}/comments`, { body: 'on the child' });

    expect((await member.client.delete(`/api/tasks/${parent.id}`)).status).toBe(403);
    expect((await outsider.client.delete(`/api/tasks/${parent.id}`)).status).toBe(404);
    const deleted = await lead.client.delete(`/api/tasks/${parent.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    trashedSchema.parse(deleted.body);

    expect((await member.client.get(`/api/projects/${p.id}/tasks`)).body.items).toEqual([]);
    expect((await member.client.get(`/api/tasks/${parent.id}`)).status).toBe(404);
    expect((await member.client.get(`/api/tasks/${child.id}`)).status).toBe(404);
    expect((await member.client.get(`/api/tasks/${parent.id}/comments`)).status).toBe(404);
    const progress = (await member.client.get(`/api/projects/${p.id}`)).body.project.progress;
    expect(progress.remaining.tasks).toBe(0);

    // The trash lists the task once (its subtask and comments went with it).
    expect((await trash(lead.client, p.id)).map((i) => [i.kind, i.id])).toEqual([['task', parent.id]]);
    expect(await trash(member.client, p.id)).toEqual([]);
    expect((await lead.client.post(`/api/tasks/${child.id}/restore`)).status).toBe(409);
    expect((await member.client.post(`/api/tasks/${parent.id}/restore`)).status).toBe(403);
    expect((await outsider.client.post(`/api/tasks/${parent.id}/restore`)).status).toBe(404);

    const restored = await lead.client.post(`/api/tasks/${parent.id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(taskResponseSchema.parse(restored.body).task.subtaskCount).toBe(1);
    expect(ids((await member.client.get(`/api/projects/${p.id}/tasks`)).body.items).sort()).toEqual(
      [parent.id, child.id].sort(),
    );
    expect((await member.client.get(`/api/tasks/${child.id}/comments`)).body.items).toHaveLength(1);
    expect((await member.client.get(`/api/tasks/${parent.id}/comments`)).body.items).toHaveLength(1);
    expect((await journal(parent.code)).slice(0, 2)).toEqual(['task.restore', 'task.delete']);
    const types = await feedTypes(member.client, p.id);
    expect(types.slice(0, 4)).toEqual(['task.restored', 'task.restored', 'task.deleted', 'task.deleted']);
    expect(await trash(lead.client, p.id)).toEqual([]);
  });
});

describe('comments: edit and delete', () => {
  it('the author edits (editedAt set); others get 403; leads delete any; restore brings it back', async () => {
    const p = await teamProject();
    const other = await ctx.newUser('Member');
    await ctx.owner.post(`/api/projects/${p.id}/members`, { userId: other.user.id, role: 'member' });
    const task = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Talk' })).body.task;
    const created = commentResponseSchema.parse(
      (await member.client.post(`/api/tasks/${task.id}/comments`, { body: 'first words' })).body,
    ).comment;
    expect(created.editedAt).toBeNull();
    expect(created.abilities).toEqual({ 'comment.update': true, 'comment.delete': true });
    const asOther = commentListSchema.parse((await other.client.get(`/api/tasks/${task.id}/comments`)).body).items[0];
    expect(asOther.abilities).toEqual({ 'comment.update': false, 'comment.delete': false });
    const asLead = commentListSchema.parse((await lead.client.get(`/api/tasks/${task.id}/comments`)).body).items[0];
    expect(asLead.abilities).toEqual({ 'comment.update': false, 'comment.delete': true });

    const edited = await member.client.patch(`/api/comments/${created.id}`, { body: 'better words' });
    expect(edited.status, edited.text).toBe(200);
    const comment = commentResponseSchema.parse(edited.body).comment;
    expect(comment.body).toBe('better words');
    expect(comment.editedAt).not.toBeNull();
    expect((await other.client.patch(`/api/comments/${created.id}`, { body: 'hijack' })).status).toBe(403);
    expect((await lead.client.patch(`/api/comments/${created.id}`, { body: 'hijack' })).status).toBe(403);
    expect((await outsider.client.patch(`/api/comments/${created.id}`, { body: 'hijack' })).status).toBe(404);
    expect((await other.client.delete(`/api/comments/${created.id}`)).status).toBe(403);
    expect((await outsider.client.delete(`/api/comments/${created.id}`)).status).toBe(404);
    expect((await member.client.patch(`/api/comments/${created.id}`, { body: '' })).status).toBe(400);

    const deleted = await lead.client.delete(`/api/comments/${created.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect((await member.client.get(`/api/tasks/${task.id}/comments`)).body.items).toEqual([]);
    expect((await member.client.patch(`/api/comments/${created.id}`, { body: 'again' })).status).toBe(404);
    expect((await trash(member.client, p.id)).map((i) => [i.kind, i.id, i.taskId])).toEqual([
      ['comment', created.id, task.id],
    ]);
    expect(await trash(other.client, p.id)).toEqual([]);
    expect((await other.client.post(`/api/comments/${created.id}/restore`)).status).toBe(403);
    const restored = await member.client.post(`/api/comments/${created.id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(commentResponseSchema.parse(restored.body).comment.body).toBe('better words');
    expect((await other.client.get(`/api/tasks/${task.id}/comments`)).body.items).toHaveLength(1);

    expect((await journal(task.code)).slice(0, 4)).toEqual([
      'comment.restore',
      'comment.delete',
      'comment.update',
      'task.comment',
    ]);
    expect((await feedTypes(member.client, p.id)).slice(0, 3)).toEqual([
      'comment.restored',
      'comment.deleted',
      'comment.updated',
    ]);
  });
});

describe('field limits and messages', () => {
  it('a 3,000-character title is refused with a field error, never cut', async () => {
    const p = await teamProject();
    const long = 'x'.repeat(3000);
    const created = await lead.client.post(`/api/projects/${p.id}/tasks`, { title: long });
    expect(created.status).toBe(400);
    expect(errorBodySchema.parse(created.body).error.fields?.title).toBe('Title can be at most 300 characters.');
    expect((await lead.client.get(`/api/projects/${p.id}/tasks`)).body.items).toEqual([]);
    const task = (await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Short' })).body.task;
    const edited = await lead.client.patch(`/api/tasks/${task.id}`, { version: 1, title: long });
    expect(edited.status).toBe(400);
    expect(edited.body.error.fields.title).toBe('Title can be at most 300 characters.');
    expect((await lead.client.get(`/api/tasks/${task.id}`)).body.task.title).toBe('Short');
  });

  it('messages are short sentences naming the field', async () => {
    const p = await teamProject();
    const empty = await lead.client.post(`/api/projects/${p.id}/tasks`, { title: '   ' });
    expect(empty.body.error.fields).toEqual({ title: 'Title is required.' });
    const missing = await lead.client.post(`/api/projects/${p.id}/tasks`, {});
    expect(missing.body.error.fields).toEqual({ title: 'Title is required.' });
    const wrong = await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'T', estimate: 'lots', billable: 1 });
    expect(wrong.body.error.fields).toEqual({
      estimate: 'Estimate must be a number.',
      billable: 'Billable must be true or false.',
    });
    const big = await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'T', estimate: 1e9 });
    expect(big.body.error.fields).toEqual({ estimate: 'Estimate can be at most 10000.' });
    const priority = await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'T', priority: 'meh' });
    expect(priority.body.error.fields).toEqual({ priority: 'Priority must be one of: low, normal, high, urgent.' });
    const hours = await lead.client.post(`/api/projects/${p.id}/milestones`, { title: 'x'.repeat(201) });
    expect(hours.body.error.fields).toEqual({ title: 'Title can be at most 200 characters.' });
  });

  it('a task due before its start is refused too', async () => {
    const p = await teamProject();
    const res = await lead.client.post(`/api/projects/${p.id}/tasks`, {
      title: 'Backwards',
      startDate: '2030-05-10',
      dueDate: '2030-05-01',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ dueDate: 'Due date cannot be before the start date.' });
  });
});
