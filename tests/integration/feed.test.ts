import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedEntrySchema } from '@crewdeck/shared/feed';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, sleep, waitFor, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
let member: TestUser;
let outsider: TestUser;
const open: RecordingSocket[] = [];
const connect = (u: TestUser, lastSeq?: number) => {
  const s = connectSocket(ctx.url, u.client, { lastSeq });
  open.push(s);
  return s;
};

beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member');
  outsider = await ctx.newUser('Member');
});
afterAll(async () => {
  for (const s of open) s.close();
  await ctx?.close();
});

describe('live feed', () => {
  it('create/assign/update reach project members in seq order, and nobody outside', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const inside = connect(member);
    const outside = connect(outsider);
    await Promise.all([inside.ready, outside.ready]);
    const created = await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'Ship it',
      assignees: [member.user.id],
    });
    expect(created.status, created.text).toBe(201);
    const task = created.body.task;
    expect(
      (await ctx.owner.patch(`/api/tasks/${task.id}`, { version: 1, status: 'in_progress', dueDate: '2030-05-05' }))
        .status,
    ).toBe(200);
    const entries = await inside.waitForFeed(4);
    expect(entries.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.status', 'task.dueDate']);
    for (const e of entries) feedEntrySchema.parse(e);
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3].map((i) => entries[0].seq + i));
    expect(entries[0]).toMatchObject({
      projectId: p.id,
      resource: { kind: 'task', id: task.id, code: task.code },
      actor: { name: expect.any(String) },
    });
    expect(entries[2].data).toMatchObject({ from: 'backlog', to: 'in_progress' });
    await sleep(300);
    expect(outside.feed).toEqual([]);
  });

  it('a member removed from a project stops receiving its events at once; re-adding restores them', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const s = connect(member);
    await s.ready;
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'before' });
    await s.waitForFeed(1);
    expect((await ctx.owner.delete(`/api/projects/${p.id}/members/${member.user.id}`)).status).toBe(200);
    const count = s.feed.length;
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'secret' });
    await sleep(300);
    expect(s.feed.slice(count).filter((e) => e.projectId === p.id)).toEqual([]);
    expect((await member.client.get(`/api/projects/${p.id}/tasks`)).status).toBe(404);
    expect(
      (await ctx.owner.post(`/api/projects/${p.id}/members`, { userId: member.user.id, role: 'member' })).status,
    ).toBe(201);
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'after' });
    await waitFor(() => s.feed.some((e) => e.data.title === 'after'));
    expect(s.feed.some((e) => e.data.title === 'secret')).toBe(false);
  });

  it('concurrent PATCH of one task: one 200, one 409, the retry succeeds, no lost update', async () => {
    const lead = await ctx.newUser('Lead');
    const p = await ctx.newProject({
      members: [
        { user: member, role: 'member' },
        { user: lead, role: 'lead' },
      ],
    });
    const task = (await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'race' })).body.task;
    const [a, b] = await Promise.all([
      member.client.patch(`/api/tasks/${task.id}`, { version: 1, title: 'from member' }),
      lead.client.patch(`/api/tasks/${task.id}`, { version: 1, priority: 'urgent' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser =
      a.status === 409
        ? { res: a, client: member.client, body: { title: 'from member' } }
        : { res: b, client: lead.client, body: { priority: 'urgent' } };
    expect(loser.res.body.error).toMatchObject({ code: 'conflict', fields: { version: 'Current version is 2' } });
    const retry = await loser.client.patch(`/api/tasks/${task.id}`, { version: 2, ...loser.body });
    expect(retry.status, retry.text).toBe(200);
    const final = (await ctx.owner.get(`/api/tasks/${task.id}`)).body.task;
    expect(final).toMatchObject({ title: 'from member', priority: 'urgent', version: 3 });
  });

  it('personal feed "mine" lists only entries concerning the caller', async () => {
    const p = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'mine', assignees: [member.user.id] });
    await ctx.owner.post(`/api/projects/${p.id}/tasks`, { title: 'not mine' });
    const mine = (await member.client.get(`/api/feed?mine=true&projectId=${p.id}`)).body.items;
    // Newest first: the assignment, the creation, then being added to the project.
    expect(mine.map((e: { type: string; data: { title?: string } }) => `${e.type}:${e.data.title ?? ''}`)).toEqual([
      'task.assigned:mine',
      'task.created:mine',
      'member.added:',
    ]);
    expect((await outsider.client.get(`/api/feed?projectId=${p.id}`)).status).toBe(404);
    expect(
      (await outsider.client.get('/api/feed')).body.items.filter((e: { projectId: string }) => e.projectId === p.id),
    ).toEqual([]);
  });

  it('presence: who is online per project, live', async () => {
    const other = await ctx.newUser('Member');
    const p = await ctx.newProject({
      members: [
        { user: member, role: 'member' },
        { user: other, role: 'member' },
      ],
    });
    const a = connect(member);
    await a.ready;
    const b = connect(other);
    await b.ready;
    await waitFor(
      () => a.presence.some((d) => d.projectId === p.id && d.joined.some((u) => u.userId === other.user.id)),
      5000,
    );
    const listed = await a.socket.timeout(2000).emitWithAck('presence:get', { projectId: p.id });
    expect(listed.ok && listed.presence.online.map((u: { userId: string }) => u.userId).sort()).toEqual(
      [member.user.id, other.user.id].sort(),
    );
    const rest = await member.client.get(`/api/projects/${p.id}/presence`);
    expect(rest.body.online.map((u: { userId: string }) => u.userId)).toContain(other.user.id);
    b.close();
    await waitFor(() => a.presence.some((d) => d.projectId === p.id && d.left.includes(other.user.id)), 5000);
    expect((await outsider.client.get(`/api/projects/${p.id}/presence`)).status).toBe(404);
  });

  it('bad socket input answers an error ack, never a crash; a bad handshake is refused', async () => {
    const s = connect(member);
    await s.ready;
    for (const payload of [null, 42, 'x', {}, { projectId: 'nope' }, { projectId: { $gt: '' } }]) {
      const res = await s.socket.timeout(2000).emitWithAck('presence:get', payload);
      expect(res.ok).toBe(false);
    }
    const foreign = await s.socket.timeout(2000).emitWithAck('presence:get', { projectId: '0123456789abcdef01234567' });
    expect(!foreign.ok && foreign.error.code).toBe('forbidden');
    for (const payload of [null, { lastSeq: -1 }, { lastSeq: 'x' }, { lastSeq: 1, extra: 1 }]) {
      const res = await s.socket.timeout(2000).emitWithAck('feed:resume', payload);
      expect(!res.ok && res.error.code).toBe('validation_failed');
    }
    const bad = connectSocket(ctx.url, member.client, { auth: { lastSeq: 'yesterday' } });
    open.push(bad);
    await expect(bad.ready).rejects.toThrow('validation_failed');
    await expect(s.socket.timeout(2000).emitWithAck('ping')).resolves.toEqual({ ok: true });
  });
});
