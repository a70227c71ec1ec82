import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectResponseSchema, milestoneResponseSchema, billingSummarySchema } from '@crewdeck/shared/projects';
import { taskResponseSchema } from '@crewdeck/shared/tasks';
import { auditCount, startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser;
let member: TestUser;
let tester: TestUser;
let guest: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  member = await ctx.newUser('Member');
  tester = await ctx.newUser('Tester');
  guest = await ctx.newUser('External');
  outsider = await ctx.newUser('Member');
});
afterAll(async () => {
  await ctx?.close();
});

describe('projects', () => {
  it('a Lead creates a project, leads it, and adds members; one journal entry per write', async () => {
    const before = await auditCount(ctx.owner);
    const created = await lead.client.post('/api/projects', { name: 'Website', code: 'WEBA' });
    expect(created.status, created.text).toBe(201);
    const project = projectResponseSchema.parse(created.body).project;
    expect(project.members).toEqual([{ userId: lead.user.id, name: lead.user.name, role: 'lead' }]);
    expect(project.statuses.map((s) => s.key)).toEqual(['backlog', 'todo', 'in_progress', 'review', 'done']);
    expect(project.abilities['project.manageMembers']).toBe(true);
    const added = await lead.client.post(`/api/projects/${project.id}/members`, {
      userId: member.user.id,
      role: 'member',
    });
    expect(added.status, added.text).toBe(201);
    expect(await auditCount(ctx.owner)).toBe(before + 2);
    const entries = await ctx.owner.get(`/api/audit?code=WEBA`);
    expect(entries.body.items.map((e: { action: string }) => e.action)).toEqual([
      'project.memberAdd',
      'project.create',
    ]);
  });

  it('refuses duplicate codes, bad codes and unknown fields', async () => {
    expect((await ctx.owner.post('/api/projects', { name: 'X', code: 'WEBA' })).status).toBe(409);
    for (const body of [
      { name: 'X', code: 'web' },
      { name: 'X', code: 'W' },
      { name: '', code: 'ABC' },
      { name: 'X', code: 'ABC', extra: 1 },
      { name: { $gt: '' }, code: 'ABC' },
      {},
    ]) {
      const res = await ctx.owner.post('/api/projects', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });

  it('members see only their projects; outsiders get 404 as for a made-up id; Members cannot create projects', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const list = await member.client.get('/api/projects');
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(p.id);
    expect((await outsider.client.get('/api/projects')).body.items.map((i: { id: string }) => i.id)).not.toContain(
      p.id,
    );
    expect((await outsider.client.get(`/api/projects/${p.id}`)).status).toBe(404);
    expect((await member.client.post('/api/projects', { name: 'Nope', code: 'NOPE' })).status).toBe(403);
    expect(
      (await member.client.post(`/api/projects/${p.id}/members`, { userId: outsider.user.id, role: 'member' })).status,
    ).toBe(403);
  });

  it('per-project roles: tester creates tasks, guest only comments/logs on own tasks', async () => {
    const p = await ctx.newProject({
      members: [
        { user: tester, role: 'tester' },
        { user: guest, role: 'external' },
      ],
    });
    const bug = await tester.client.post(`/api/projects/${p.id}/tasks`, { title: 'Bug' });
    expect(bug.status, bug.text).toBe(201);
    const task = taskResponseSchema.parse(bug.body).task;
    expect(task.code).toBe(`${p.code}-1`);
    expect((await guest.client.post(`/api/projects/${p.id}/tasks`, { title: 'x' })).status).toBe(403);
    expect((await guest.client.patch(`/api/tasks/${task.id}`, { version: 1, title: 'y' })).status).toBe(403);
    expect((await guest.client.post(`/api/tasks/${task.id}/comments`, { body: 'hello' })).status).toBe(201);
    const assigned = await ctx.owner.patch(`/api/tasks/${task.id}`, { version: 1, assignees: [guest.user.id] });
    expect(assigned.status, assigned.text).toBe(200);
    expect((await guest.client.patch(`/api/tasks/${task.id}`, { version: 2, status: 'in_progress' })).status).toBe(200);
    expect((await guest.client.get(`/api/projects/${p.id}/billing`)).status).toBe(403);
  });

  it('archived projects are read-only until restored', async () => {
    const p = await ctx.newProject();
    expect((await ctx.owner.patch(`/api/projects/${p.id}`, { archived: true })).status).toBe(200);
    const refused = await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'late' });
    expect(refused.status).toBe(403);
    expect((await ctx.owner.patch(`/api/projects/${p.id}`, { archived: false })).status).toBe(200);
    expect((await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'late' })).status).toBe(201);
  });

  it('milestones carry progress; billing sums billable hours × rate per person', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const ms = milestoneResponseSchema.parse(
      (await ctx.owner.post(`/api/projects/${p.id}/milestones`, { title: 'v1', dueDate: '2030-01-31' })).body,
    ).milestone;
    expect(ms.code).toBe(`${p.code}-M1`);
    const mk = async (body: object) =>
      (await ctx.owner.post(`/api/projects/${p.id}/tasks`, { milestoneId: ms.id, ...body })).body.task;
    const a = await mk({ title: 'A', estimate: 3, billable: true, hourlyRate: 100, assignees: [member.user.id] });
    const b = await mk({ title: 'B', estimate: 5, status: 'in_progress' });
    await mk({ title: 'C', estimate: 2, status: 'done' });
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'outside', estimate: 1 });
    const progress = (await ctx.owner.get(`/api/projects/${p.id}/milestones`)).body.items[0].progress;
    expect(progress).toEqual({
      done: { tasks: 1, hours: 2 },
      inProgress: { tasks: 1, hours: 5 },
      remaining: { tasks: 1, hours: 3 },
    });
    expect((await member.client.post(`/api/tasks/${a.id}/time`, { hours: 2.5, note: 'work' })).status).toBe(201);
    expect((await ctx.owner.post(`/api/tasks/${b.id}/time`, { hours: 1 })).status).toBe(201);
    const bill = billingSummarySchema.parse(
      (await ctx.owner.get(`/api/projects/${p.id}/billing?milestoneId=${ms.id}`)).body,
    );
    expect(bill.total).toEqual({ hours: 3.5, billableHours: 2.5, amount: 250 });
    expect(bill.people.find((x) => x.userId === member.user.id)).toMatchObject({ billableHours: 2.5, amount: 250 });
    expect((await member.client.get(`/api/projects/${p.id}/billing`)).status).toBe(403);
    expect((await ctx.owner.delete(`/api/tasks/${a.id}`)).status).toBe(409);
  });

  it('overdue flags and counts per person and project', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const late = (
      await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
        title: 'late',
        dueDate: '2020-01-01',
        assignees: [member.user.id],
      })
    ).body.task;
    expect(late.overdue).toBe(true);
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'late but done',
      dueDate: '2020-01-01',
      status: 'done',
    });
    const summary = (await member.client.get('/api/overdue')).body;
    expect(summary.projects.find((x: { projectId: string }) => x.projectId === p.id).count).toBe(1);
    expect(summary.people.find((x: { userId: string }) => x.userId === member.user.id).count).toBeGreaterThanOrEqual(1);
    const filtered = (await member.client.get(`/api/projects/${p.id}/tasks?overdue=true`)).body.items;
    expect(filtered.map((t: { code: string }) => t.code)).toEqual([late.code]);
  });

  it('workload: overloading a day answers 409 listing the overload unless forced', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const day = '2031-03-04'; // a Tuesday
    const first = await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'six',
      estimate: 6,
      startDate: day,
      dueDate: day,
      assignees: [member.user.id],
    });
    expect(first.status, first.text).toBe(201);
    const second = await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'four',
      estimate: 4,
      startDate: day,
      dueDate: day,
      assignees: [member.user.id],
    });
    expect(second.status).toBe(409);
    expect(second.body.error.fields).toEqual({ [`overload.${member.user.id}.${day}`]: '10 h planned of 8 h' });
    const forced = await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'four',
      estimate: 4,
      startDate: day,
      dueDate: day,
      assignees: [member.user.id],
      force: true,
    });
    expect(forced.status).toBe(201);
    const load = (await member.client.get(`/api/workload?from=${day}&to=${day}`)).body;
    expect(load.days).toEqual([{ date: day, planned: 10, over: true }]);
    expect((await member.client.get(`/api/workload?userId=${lead.user.id}&from=${day}&to=${day}`)).status).toBe(403);
  });

  it('workload: the overload answer never reveals hours of work the caller cannot see', async () => {
    const hidden = await ctx.newProject({ members: [{ user: lead, role: 'lead' }] });
    const shared = await ctx.newProject({
      members: [
        { user: lead, role: 'lead' },
        { user: member, role: 'member' },
      ],
    });
    const day = '2031-03-11'; // a Tuesday
    const secret = await ctx.owner.post(`/api/projects/${hidden.id}/tasks`, {
      title: 'secret',
      estimate: 8,
      startDate: day,
      dueDate: day,
      assignees: [lead.user.id],
    });
    expect(secret.status, secret.text).toBe(201);
    const asMember = await member.client.post(`/api/projects/${shared.id}/tasks`, {
      title: 'one more',
      estimate: 1,
      startDate: day,
      dueDate: day,
      assignees: [lead.user.id],
    });
    expect(asMember.status, asMember.text).toBe(409);
    const message: string = asMember.body.error.fields[`overload.${lead.user.id}.${day}`];
    expect(message).toBe('Over capacity on this day');
    expect(asMember.text).not.toMatch(/\b9\b|\b8 h|planned/);
    // The person themselves, and someone with workload.read, see the hours.
    const asLead = await lead.client.post(`/api/projects/${shared.id}/tasks`, {
      title: 'one more',
      estimate: 1,
      startDate: day,
      dueDate: day,
      assignees: [lead.user.id],
    });
    expect(asLead.body.error.fields[`overload.${lead.user.id}.${day}`]).toBe('9 h planned of 8 h');
    const asOwner = await ctx.owner.post(`/api/projects/${shared.id}/tasks`, {
      title: 'one more',
      estimate: 1,
      startDate: day,
      dueDate: day,
      assignees: [lead.user.id],
    });
    expect(asOwner.body.error.fields[`overload.${lead.user.id}.${day}`]).toBe('9 h planned of 8 h');
  });
});
