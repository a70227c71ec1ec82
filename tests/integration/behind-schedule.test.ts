import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let member: TestUser;
let lead: TestUser;
beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member', { name: 'Mia Member' });
  lead = await ctx.newUser('Lead', { name: 'Leo Lead' });
});
afterAll(async () => {
  await ctx?.close();
});

// Monday 09:00 UTC; the member keeps the default hours (Mon–Fri 09–13 and 14–18, UTC): 16 h
// are left before the end of Tuesday.
const monday = new Date('2027-01-11T09:00:00.000Z');

describe('behind schedule', () => {
  it('flags a task whose remaining estimate no longer fits, once per change, with a feed entry and notifications', async () => {
    const p = await ctx.newProject({
      members: [
        { user: member, role: 'member' },
        { user: lead, role: 'lead' },
      ],
    });
    const created = await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'Migrate billing',
      assignees: [member.user.id],
      estimate: 20,
      dueDate: '2027-01-12',
    });
    // The workload check warns about 20 h in two days; book it anyway as a lead would.
    const task =
      created.status === 201
        ? created.body.task
        : (
            await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
              title: 'Migrate billing',
              assignees: [member.user.id],
              estimate: 20,
              dueDate: '2027-01-12',
              force: true,
            })
          ).body.task;
    expect(task?.id, JSON.stringify(created.body)).toBeDefined();

    expect(await ctx.server.sweepBehindSchedule(monday)).toBeGreaterThanOrEqual(1);
    const flagged = (await member.client.get(`/api/tasks/${task.id}`)).body.task;
    expect(flagged.behindBy).toBe(4);
    const feed = (await lead.client.get(`/api/feed?projectId=${p.id}`)).body.items;
    const entries = feed.filter((e: { type: string }) => e.type === 'task.behindSchedule');
    expect(entries).toHaveLength(1);
    expect(entries[0].data).toMatchObject({ hours: 4, title: 'Migrate billing' });
    const notes = async (u: TestUser) =>
      (await u.client.get('/api/notifications')).body.items.filter(
        (n: { kind: string }) => n.kind === 'behindSchedule',
      );
    await expect.poll(async () => (await notes(member)).length).toBe(1);
    await expect.poll(async () => (await notes(lead)).length).toBe(1);
    expect((await notes(member))[0]).toMatchObject({ task: { id: task.id }, data: { hours: 4 } });

    // Nothing changed: nothing new.
    expect(await ctx.server.sweepBehindSchedule(monday)).toBe(0);
    // Two hours logged: 2 h behind now, one more entry.
    expect((await member.client.post(`/api/tasks/${task.id}/time`, { hours: 2, date: '2027-01-11' })).status).toBe(201);
    expect(await ctx.server.sweepBehindSchedule(monday)).toBe(1);
    expect((await member.client.get(`/api/tasks/${task.id}`)).body.task.behindBy).toBe(2);
    await expect.poll(async () => (await notes(member)).length).toBe(2);
    // It fits again: the flag clears without a feed entry.
    expect((await member.client.post(`/api/tasks/${task.id}/time`, { hours: 10, date: '2027-01-11' })).status).toBe(
      201,
    );
    expect(await ctx.server.sweepBehindSchedule(monday)).toBe(1);
    expect((await member.client.get(`/api/tasks/${task.id}`)).body.task.behindBy).toBe(0);
    const after = (await lead.client.get(`/api/feed?projectId=${p.id}`)).body.items;
    expect(after.filter((e: { type: string }) => e.type === 'task.behindSchedule')).toHaveLength(2);
  });
});
