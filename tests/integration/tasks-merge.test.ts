import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { taskResponseSchema, taskSchema, type Task } from '@crewdeck/shared/tasks';
import { startTestServer, type TestContext, type TestProject, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lena: TestUser;
let mark: TestUser;
let project: TestProject;

beforeAll(async () => {
  ctx = await startTestServer();
  lena = await ctx.newUser('Member');
  mark = await ctx.newUser('Member');
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

async function newTask(body: object = {}): Promise<Task> {
  const res = await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title: 'Start', ...body });
  expect(res.status, res.text).toBe(201);
  return taskResponseSchema.parse(res.body).task;
}

async function current(id: string): Promise<Task> {
  return taskResponseSchema.parse((await ctx.owner.get(`/api/tasks/${id}`)).body).task;
}

describe('saving only the changed fields, merged with saves made since', () => {
  it('two people change different fields from the same base: both are kept', async () => {
    const seen = await newTask();
    const ownerSave = await ctx.owner.patch(`/api/tasks/${seen.id}`, {
      estimate: 4,
      base: { version: seen.version, values: { estimate: seen.estimate } },
    });
    expect(ownerSave.status, ownerSave.text).toBe(200);
    const lenaSave = await lena.client.patch(`/api/tasks/${seen.id}`, {
      title: 'Renamed by Lena',
      priority: 'high',
      base: { version: seen.version, values: { title: seen.title, priority: seen.priority } },
    });
    expect(lenaSave.status, lenaSave.text).toBe(200);
    const task = taskResponseSchema.parse(lenaSave.body).task;
    expect(task).toMatchObject({ estimate: 4, title: 'Renamed by Lena', priority: 'high', version: seen.version + 2 });
    expect(await current(seen.id)).toMatchObject({ estimate: 4, title: 'Renamed by Lena', priority: 'high' });
  });

  it('the same field changed to another value since the base: 409 naming it, with the current task', async () => {
    const seen = await newTask();
    expect(
      (
        await ctx.owner.patch(`/api/tasks/${seen.id}`, {
          estimate: 4,
          base: { version: seen.version, values: { estimate: null } },
        })
      ).status,
    ).toBe(200);
    const lenaSave = await lena.client.patch(`/api/tasks/${seen.id}`, {
      estimate: 7,
      title: 'Also mine',
      base: { version: seen.version, values: { estimate: null, title: seen.title } },
    });
    expect(lenaSave.status).toBe(409);
    const { error } = errorBodySchema.parse(lenaSave.body);
    expect(error.code).toBe('conflict');
    expect(Object.keys(error.fields ?? {})).toEqual(['estimate']);
    const shown = taskSchema.parse(error.current?.task);
    expect(shown).toMatchObject({ id: seen.id, estimate: 4, title: seen.title, version: seen.version + 1 });
    // Nothing of the refused save was applied.
    expect(await current(seen.id)).toMatchObject({ estimate: 4, title: seen.title, version: seen.version + 1 });
    // Choosing "keep mine" is a save from the new base.
    const retry = await lena.client.patch(`/api/tasks/${seen.id}`, {
      estimate: 7,
      base: { version: shown.version, values: { estimate: shown.estimate } },
    });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.task.estimate).toBe(7);
  });

  it('someone else already made the same change: no conflict', async () => {
    const seen = await newTask();
    const base = { version: seen.version, values: { status: seen.status } };
    expect((await ctx.owner.patch(`/api/tasks/${seen.id}`, { status: 'review', base })).status).toBe(200);
    const same = await lena.client.patch(`/api/tasks/${seen.id}`, { status: 'review', base });
    expect(same.status, same.text).toBe(200);
    expect(same.body.task).toMatchObject({ status: 'review', version: seen.version + 1 });
  });

  it('lists compare as sets and days as days', async () => {
    const seen = await newTask({ labels: ['a', 'b'], dueDate: '2030-01-10' });
    const res = await lena.client.patch(`/api/tasks/${seen.id}`, {
      labels: ['c'],
      dueDate: '2030-01-12',
      base: { version: seen.version, values: { labels: ['b', 'a'], dueDate: '2030-01-10' } },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.task).toMatchObject({ labels: ['c'], dueDate: '2030-01-12' });
  });

  it('concurrent saves of different fields from one base never lose a field', async () => {
    const seen = await newTask();
    const base = (values: object) => ({ version: seen.version, values });
    const saves = [
      lena.client.patch(`/api/tasks/${seen.id}`, { title: 'T1', base: base({ title: seen.title }) }),
      mark.client.patch(`/api/tasks/${seen.id}`, { estimate: 3, base: base({ estimate: null }) }),
      ctx.owner.patch(`/api/tasks/${seen.id}`, { priority: 'urgent', base: base({ priority: seen.priority }) }),
      lena.client.patch(`/api/tasks/${seen.id}`, { description: 'D', base: base({ description: '' }) }),
      mark.client.patch(`/api/tasks/${seen.id}`, { labels: ['x'], base: base({ labels: [] }) }),
      ctx.owner.patch(`/api/tasks/${seen.id}`, { status: 'todo', base: base({ status: seen.status }) }),
    ];
    const answers = await Promise.all(saves);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await current(seen.id)).toMatchObject({
      title: 'T1',
      estimate: 3,
      priority: 'urgent',
      description: 'D',
      labels: ['x'],
      status: 'todo',
      version: seen.version + 6,
    });
  });

  it('concurrent saves of one field to different values: exactly one wins, the others get 409', async () => {
    const seen = await newTask();
    const base = { version: seen.version, values: { estimate: null } };
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) => [lena.client, mark.client][n % 2].patch(`/api/tasks/${seen.id}`, { estimate: n, base })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 200);
    expect((await current(seen.id)).estimate).toBe(winner?.body.task.estimate);
  });

  it('a merged date that ends before the merged start is refused', async () => {
    const seen = await newTask({ startDate: '2030-02-01', dueDate: '2030-02-20' });
    const base = { version: seen.version, values: { startDate: '2030-02-01', dueDate: '2030-02-20' } };
    expect(
      (
        await ctx.owner.patch(`/api/tasks/${seen.id}`, {
          startDate: '2030-02-15',
          base: { ...base, values: { startDate: '2030-02-01' } },
        })
      ).status,
    ).toBe(200);
    const res = await lena.client.patch(`/api/tasks/${seen.id}`, {
      dueDate: '2030-02-10',
      base: { ...base, values: { dueDate: '2030-02-20' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('dueDate');
  });

  it('a base must carry the starting value of each sent field', async () => {
    const seen = await newTask();
    const res = await lena.client.patch(`/api/tasks/${seen.id}`, {
      title: 'X',
      base: { version: seen.version, values: {} },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty(['base.values.title']);
    const neither = await lena.client.patch(`/api/tasks/${seen.id}`, { title: 'X' });
    expect(neither.status).toBe(400);
    expect(neither.body.error.fields).toHaveProperty('version');
  });

  it('without a base the version must still be current, as before', async () => {
    const seen = await newTask();
    expect((await ctx.owner.patch(`/api/tasks/${seen.id}`, { version: seen.version, title: 'A' })).status).toBe(200);
    const stale = await lena.client.patch(`/api/tasks/${seen.id}`, { version: seen.version, estimate: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.fields).toHaveProperty('version');
  });
});
