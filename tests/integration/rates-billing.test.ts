import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskListSchema, taskResponseSchema } from '@crewdeck/shared/tasks';
import { startTestServer, type TestContext, type TestProject, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser;
let member: TestUser;
let guest: TestUser;
let project: TestProject;

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  member = await ctx.newUser('Member');
  guest = await ctx.newUser('External');
  project = await ctx.newProject({
    members: [
      { user: lead, role: 'lead' },
      { user: member, role: 'member' },
      { user: guest, role: 'external' },
    ],
  });
});
afterAll(async () => {
  await ctx?.close();
});

async function ratedTask() {
  const res = await lead.client.post(`/api/projects/${project.id}/tasks`, {
    title: 'Billed work',
    billable: true,
    hourlyRate: 120,
    assignees: [member.user.id, guest.user.id],
  });
  expect(res.status, res.text).toBe(201);
  return taskResponseSchema.parse(res.body).task;
}

describe('hourly rates follow the billing permission', () => {
  it('those with billing access see the rate and may set it', async () => {
    const task = await ratedTask();
    expect(task.hourlyRate).toBe(120);
    expect(task.abilities['billing.read']).toBe(true);
    const set = await lead.client.patch(`/api/tasks/${task.id}`, { version: task.version, hourlyRate: 150 });
    expect(set.status, set.text).toBe(200);
    expect(set.body.task.hourlyRate).toBe(150);
    expect((await ctx.owner.get(`/api/tasks/${task.id}`)).body.task.hourlyRate).toBe(150);
  });

  it('a Member and a guest do not see the rate in any task response', async () => {
    const task = await ratedTask();
    for (const user of [member, guest]) {
      const one = await user.client.get(`/api/tasks/${task.id}`);
      expect(one.status).toBe(200);
      expect(one.body.task).not.toHaveProperty('hourlyRate');
      expect(one.body.task.abilities['billing.read']).toBe(false);
      expect(one.body.task.billable).toBe(true);
      const list = taskListSchema.parse((await user.client.get(`/api/projects/${project.id}/tasks`)).body);
      for (const item of list.items) expect(item).not.toHaveProperty('hourlyRate');
      expect(one.text).not.toContain('120');
    }
    // Their own edits answer without it too.
    const edited = await member.client.patch(`/api/tasks/${task.id}`, { version: task.version, title: 'Renamed' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.task).not.toHaveProperty('hourlyRate');
  });

  it('setting a rate without billing access answers 403 and changes nothing', async () => {
    const task = await ratedTask();
    const patch = await member.client.patch(`/api/tasks/${task.id}`, { version: task.version, hourlyRate: 1 });
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe('forbidden');
    const merged = await member.client.patch(`/api/tasks/${task.id}`, {
      hourlyRate: null,
      base: { version: task.version, values: { hourlyRate: 120 } },
    });
    expect(merged.status).toBe(403);
    const created = await member.client.post(`/api/projects/${project.id}/tasks`, { title: 'Mine', hourlyRate: 5 });
    expect(created.status).toBe(403);
    const current = (await lead.client.get(`/api/tasks/${task.id}`)).body.task;
    expect(current).toMatchObject({ hourlyRate: 120, version: task.version });
    // Without a rate the same Member creates tasks as before.
    expect((await member.client.post(`/api/projects/${project.id}/tasks`, { title: 'Mine' })).status).toBe(201);
  });
});
