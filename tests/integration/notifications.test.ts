import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationEventSchema } from '@crewdeck/shared/notifications';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, sleep, waitFor, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
let member: TestUser;
let lead: TestUser;
const open: RecordingSocket[] = [];

beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member');
  lead = await ctx.newUser('Lead');
});
afterAll(async () => {
  for (const s of open) s.close();
  await ctx?.close();
});

describe('notifications', () => {
  it('assigned, mentioned and watched status changes arrive live with the unread count; mark read', async () => {
    const p = await ctx.newProject({
      members: [
        { user: member, role: 'member' },
        { user: lead, role: 'lead' },
      ],
    });
    const s = connectSocket(ctx.url, member.client);
    open.push(s);
    await s.ready;
    const task = (
      await lead.client.post(`/api/projects/${p.id}/tasks`, { title: 'Fix login', assignees: [member.user.id] })
    ).body.task;
    await waitFor(() => s.notifications.length >= 1);
    expect(notificationEventSchema.parse(s.notifications[0])).toMatchObject({
      unread: 1,
      notification: { kind: 'assigned', task: { id: task.id, code: task.code } },
    });
    expect(
      (await lead.client.post(`/api/tasks/${task.id}/comments`, { body: `@${member.login} please look` })).status,
    ).toBe(201);
    expect((await lead.client.patch(`/api/tasks/${task.id}`, { version: 1, status: 'review' })).status).toBe(200);
    await waitFor(() => s.notifications.length >= 3);
    expect(s.notifications.map((n) => n.notification.kind)).toEqual(['assigned', 'mentioned', 'statusChanged']);
    expect(s.notifications[2].unread).toBe(3);
    // Own actions never notify oneself.
    await member.client.patch(`/api/tasks/${task.id}`, { version: 2, status: 'done' });
    await sleep(200);
    expect(s.notifications).toHaveLength(3);
    const list = (await member.client.get('/api/notifications')).body;
    expect(list.unread).toBe(3);
    expect((await member.client.post(`/api/notifications/${list.items[0].id}/read`)).body).toEqual({
      updated: 1,
      unread: 2,
    });
    // Someone else's notification is untouched; the lead's own unread one (member finished the task it watches) stays.
    expect((await lead.client.post(`/api/notifications/${list.items[1].id}/read`)).body).toEqual({
      updated: 0,
      unread: 1,
    });
    expect((await member.client.post('/api/notifications/read-all')).body).toEqual({ updated: 2, unread: 0 });
    expect((await member.client.post('/api/notifications/nope/read')).status).toBe(400);
  });

  it('the due-date sweep raises due-soon and overdue once per task and person', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const today = new Date().toISOString().slice(0, 10);
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'late',
      dueDate: '2020-02-02',
      assignees: [member.user.id],
    });
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'soon', dueDate: today, assignees: [member.user.id] });
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'finished',
      dueDate: '2020-02-02',
      status: 'done',
      assignees: [member.user.id],
    });
    await ctx.server.sweepDueDates();
    await ctx.server.sweepDueDates();
    const items = (await member.client.get('/api/notifications?unread=true')).body.items;
    const sweepKinds = items
      .filter((n: { kind: string }) => n.kind === 'overdue' || n.kind === 'dueSoon')
      .map((n: { kind: string; task: { title: string } }) => `${n.kind}:${n.task.title}`);
    expect(sweepKinds.sort()).toEqual(['dueSoon:soon', 'overdue:late']);
  });
});
