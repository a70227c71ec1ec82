import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions, defaultPermissionMatrix, roles, type Action, type Role } from '@crewdeck/shared/permissions';
import type { HttpClient, HttpResponse } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
const signedIn = new Map<Role, TestUser>();

beforeAll(async () => {
  ctx = await startTestServer();
  for (const role of roles) signedIn.set(role, role === 'Owner' ? await ownerAsUser() : await ctx.newUser(role));
});
afterAll(async () => {
  await ctx?.close();
});

async function ownerAsUser(): Promise<TestUser> {
  const me = await ctx.owner.get('/api/me');
  return { user: me.body, login: me.body.login, password: '', client: ctx.owner };
}

const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** One request per admin action; targets are fresh Members so every call is independent. */
const attempts: Record<Action, (client: HttpClient) => Promise<HttpResponse>> = {
  'user.read': (c) => c.get('/api/users'),
  'user.create': (c) =>
    c.post('/api/users', { name: 'Made', login: `made-${Math.random().toString(36).slice(2)}`, role: 'Member' }),
  'user.update': async (c) => c.patch(`/api/users/${(await target()).user.id}`, { name: 'Renamed' }),
  'user.changeRole': async (c) => c.patch(`/api/users/${(await target()).user.id}`, { role: 'Tester' }),
  'user.disable': async (c) => c.patch(`/api/users/${(await target()).user.id}`, { disabled: true }),
  'user.resetPassword': async (c) => c.post(`/api/users/${(await target()).user.id}/reset-password`),
  'user.viewTime': async (c) => c.get(`/api/users/${(await target()).user.id}/time?from=${today}&to=${tomorrow}`),
  'people.read': (c) => c.get('/api/people'),
  'group.read': (c) => c.get('/api/groups'),
  'group.create': (c) => c.post('/api/groups', { name: `G ${Math.random().toString(36).slice(2)}` }),
  'group.update': async (c) => c.patch(`/api/groups/${await group()}`, { description: 'changed' }),
  'group.delete': async (c) => c.delete(`/api/groups/${await group()}`),
  'permission.read': (c) => c.get('/api/permissions'),
  'permission.update': async (c) =>
    c.put('/api/permissions', { matrix: (await ctx.owner.get('/api/permissions')).body.matrix }),
  'audit.read': (c) => c.get('/api/audit'),
  'audit.export': (c) => c.get('/api/audit/export.csv'),
  'audit.verify': (c) => c.get('/api/audit/verify'),
  'report.timeInSystem': (c) => c.get(`/api/reports/time-in-system?from=${today}&to=${tomorrow}`),
  // Project actions: the caller leads a fresh project, so only the role table decides.
  'project.read': async (c) => c.get(`/api/projects/${await ledProject(c)}`),
  'project.create': (c) => c.post('/api/projects', { name: 'Made', code: `M${letters()}` }),
  'project.update': async (c) => c.patch(`/api/projects/${await ledProject(c)}`, { description: 'changed' }),
  'project.manageMembers': async (c) =>
    c.post(`/api/projects/${await ledProject(c)}/members`, { userId: (await target()).user.id, role: 'member' }),
  'project.delete': async (c) => c.delete(`/api/projects/${await ledProject(c)}`),
  'milestone.manage': async (c) => c.post(`/api/projects/${await ledProject(c)}/milestones`, { title: 'M' }),
  'task.create': async (c) => c.post(`/api/projects/${await ledProject(c)}/tasks`, { title: 'T' }),
  'task.update': async (c) => c.patch(`/api/tasks/${await ownTask(c)}`, { version: 1, title: 'changed' }),
  'task.delete': async (c) => c.delete(`/api/tasks/${await ownTask(c)}`),
  'task.comment': async (c) => c.post(`/api/tasks/${await ownTask(c)}/comments`, { body: 'hi' }),
  'comment.update': async (c) => c.patch(`/api/comments/${await ownComment(c)}`, { body: 'edited' }),
  'comment.delete': async (c) => c.delete(`/api/comments/${await ownComment(c)}`),
  'task.logTime': async (c) => c.post(`/api/tasks/${await ownTask(c)}/time`, { hours: 1 }),
  'billing.read': async (c) => c.get(`/api/projects/${await ledProject(c)}/billing`),
  'workload.read': async (c) => c.get(`/api/workload?userId=${(await target()).user.id}&from=${today}&to=${tomorrow}`),
  // Library actions: the caller manages a document or folder shared by the Owner, so only the role table decides.
  'doc.create': (c) => c.post('/api/library/documents', { title: 'Matrix doc' }),
  'doc.view': async (c) => c.get(`/api/library/documents/${await sharedDocument(c)}`),
  // No route is gated by comment alone yet (comments come with the editor): the document's abilities carry it.
  'doc.comment': async (c) => c.get(`/api/library/documents/${await sharedDocument(c)}`),
  'doc.edit': async (c) => c.patch(`/api/library/documents/${await sharedDocument(c)}`, { title: 'Renamed' }),
  'doc.manage': async (c) => c.put(`/api/library/documents/${await sharedDocument(c)}/access`, { grants: [] }),
  'folder.create': (c) => c.post('/api/library/folders', { name: 'Matrix folder' }),
  'folder.view': async (c) => c.get(`/api/library?folderId=${await sharedFolder(c)}`),
  'folder.edit': async (c) => c.patch(`/api/library/folders/${await sharedFolder(c)}`, { name: 'Renamed' }),
  'folder.manage': async (c) => c.put(`/api/library/folders/${await sharedFolder(c)}/access`, { grants: [] }),
  // Calendar actions: an all-day event blocks nobody, so only the role table decides.
  'calendar.read': (c) => c.get('/api/calendar/calendars'),
  'calendar.write': (c) => c.post('/api/calendar/events', { title: 'Matrix', start: '2027-06-01', end: '2027-06-02' }),
  'calendar.manage': (c) => c.post('/api/calendar/calendars', { name: 'Matrix team' }),
  'calendar.freebusy': async (c) =>
    c.get(`/api/calendar/freebusy?users=${(await target()).user.id}&from=${today}&to=${tomorrow}`),
  'calendar.force': async (c) => {
    // A fresh person who booked 10:00 for themselves: booking them then needs "book anyway".
    const busy = await ctx.newUser('Member');
    const slot = { start: '2027-06-01T10:00:00.000Z', end: '2027-06-01T11:00:00.000Z' };
    expect((await busy.client.post('/api/calendar/events', { title: 'First', ...slot })).status).toBe(201);
    return c.post('/api/calendar/events', { title: 'Second', ...slot, attendees: [busy.user.id], force: true });
  },
  // Leads act on the people of their groups: the target shares a fresh group with the caller.
  'schedule.manage': async (c) => {
    const mate = await groupmate(c);
    return c.put(`/api/users/${mate.user.id}/schedule`, {
      timeZone: 'Europe/Moscow',
      hours: { mon: [{ start: '10:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
    });
  },
  'absence.approve': async (c) => {
    const mate = await groupmate(c);
    const asked = await mate.client.post('/api/absences', {
      kind: 'vacation',
      startDay: '2027-07-01',
      endDay: '2027-07-02',
    });
    return c.post(`/api/absences/${asked.body.absence.id}/decision`, { decision: 'approved' });
  },
  // CRM actions: the client is the caller's own (the default visibility lets everyone see their own).
  'client.read': (c) => c.get('/api/clients'),
  'client.write': (c) => c.post('/api/clients', uniqueClient()),
  'client.assign': async (c) => {
    const me = (await c.get('/api/me')).body;
    const own = await ownClient(c);
    return c.post('/api/clients/assign', { clientIds: [own], managerId: me.id });
  },
  'client.merge': (c) => c.get('/api/clients/duplicates'),
  'client.import': async (c) => {
    // A multipart upload, as the import page sends it.
    const form = new FormData();
    form.append('file', new Blob(['Name,Phone\nMatrix Import Co,+7 495 000-00-00\n']), 'clients.csv');
    const res = await fetch(`${ctx.url}/api/imports`, {
      method: 'POST',
      body: form,
      headers: { cookie: c.cookieHeader(), origin: ctx.url },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
  },
  'client.export': (c) => c.get('/api/clients/export?format=csv'),
  'crm.settings': async (c) => c.put('/api/crm/settings', (await ctx.owner.get('/api/crm/settings')).body.settings),
  'deal.write': async (c) => c.post('/api/deals', { clientId: await ownClient(c), title: 'Matrix deal' }),
  'interaction.log': async (c) => c.post('/api/interactions', { clientId: await ownClient(c), result: 'completed' }),
  'mailing.manage': (c) => c.get('/api/segments'),
};

let clientSerial = 0;
/** A client unlike every other one (the duplicate check stays quiet). */
function uniqueClient() {
  clientSerial += 1;
  const tag = `${clientSerial}${Math.random().toString(36).slice(2, 8)}`;
  return { kind: 'person', name: `Matrix Person ${tag}`, emails: [{ value: `m${tag}@matrix.test`, kind: 'work' }] };
}

/** A client created by the Owner with the caller responsible for it (unassigned when the caller cannot hold clients). */
async function ownClient(c: HttpClient): Promise<string> {
  const me = await c.get('/api/me');
  const mine = me.status === 200 && me.body.abilities['client.read'];
  const created = await ctx.owner.post('/api/clients', { ...uniqueClient(), managerId: mine ? me.body.id : null });
  return created.body.client.id;
}

/** A new Member in a new group the caller also belongs to. */
async function groupmate(c: HttpClient): Promise<TestUser> {
  const me = (await c.get('/api/me')).body;
  const g = await group();
  const groups = [
    ...new Set([...(me.groups ?? []).map((x: { id: string } | string) => (typeof x === 'string' ? x : x.id)), g]),
  ];
  await ctx.owner.patch(`/api/users/${me.id}`, { groups });
  return ctx.newUser('Member', { groups: [g] });
}

/** A document created by the Owner and shared with the caller at manage level. */
async function sharedDocument(c: HttpClient): Promise<string> {
  const created = await ctx.owner.post('/api/library/documents', { title: 'Shared' });
  const me = await c.get('/api/me');
  if (me.status === 200)
    await ctx.owner.put(`/api/library/documents/${created.body.id}/access`, {
      grants: [{ user: me.body.id, level: 'manage' }],
    });
  return created.body.id;
}

/** A folder created by the Owner and shared with the caller at manage level. */
async function sharedFolder(c: HttpClient): Promise<string> {
  const created = await ctx.owner.post('/api/library/folders', { name: 'Shared' });
  const me = await c.get('/api/me');
  if (me.status === 200)
    await ctx.owner.put(`/api/library/folders/${created.body.folder.id}/access`, {
      grants: [{ user: me.body.id, level: 'manage' }],
    });
  return created.body.folder.id;
}

let codes = 0;
function letters(): string {
  codes += 1;
  let out = '';
  for (let x = codes; x > 0; x = Math.floor((x - 1) / 26)) out = String.fromCharCode(65 + ((x - 1) % 26)) + out;
  return out;
}

/** A project created by the Owner in which the caller (if signed in) is the lead. */
async function ledProject(c: HttpClient): Promise<string> {
  const created = await ctx.owner.post('/api/projects', { name: 'Matrix', code: `X${letters()}` });
  const id: string = created.body.project.id;
  const me = await c.get('/api/me');
  if (me.status === 200 && me.body.role !== 'Owner')
    await ctx.owner.post(`/api/projects/${id}/members`, { userId: me.body.id, role: 'lead' });
  return id;
}

/** A task in a project the caller leads, assigned to the caller. */
async function ownTask(c: HttpClient): Promise<string> {
  const project = await ledProject(c);
  const me = await c.get('/api/me');
  const assignees = me.status === 200 ? [me.body.id] : [];
  const task = await ctx.owner.post(`/api/projects/${project}/tasks`, { title: 'Matrix task', assignees });
  return task.body.task.id;
}

/** A comment the caller wrote on their own task (written by the Owner when the caller may not comment). */
async function ownComment(c: HttpClient): Promise<string> {
  const task = await ownTask(c);
  const mine = await c.post(`/api/tasks/${task}/comments`, { body: 'mine' });
  if (mine.status === 201) return mine.body.comment.id;
  return (await ctx.owner.post(`/api/tasks/${task}/comments`, { body: 'theirs' })).body.comment.id;
}

async function target(): Promise<TestUser> {
  return ctx.newUser('Member', { keepOneTimePassword: true });
}

async function group(): Promise<string> {
  const res = await ctx.owner.post('/api/groups', { name: `T ${Math.random().toString(36).slice(2)}` });
  return res.body.group.id;
}

describe.each(roles)('%s', (role) => {
  it('gets exactly the default abilities in /api/me', async () => {
    const me = await signedIn.get(role)!.client.get('/api/me');
    const expected = Object.fromEntries(actions.map((a) => [a, defaultPermissionMatrix[role].includes(a)]));
    expect(me.body.abilities).toEqual(expected);
  });

  it.each(actions)(`${role} × %s`, async (action) => {
    const res = await attempts[action](signedIn.get(role)!.client);
    const allowed = defaultPermissionMatrix[role].includes(action);
    if (allowed) expect(res.status, res.text).toBeLessThan(300);
    else {
      expect(res.status, res.text).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });
});

describe('External after expiry', () => {
  it('loses access to everything on the next request', async () => {
    const external = await ctx.newUser('External');
    expect((await external.client.get('/api/me')).status).toBe(200);
    await mongoose.connection
      .collection('users')
      .updateOne(
        { _id: new mongoose.Types.ObjectId(external.user.id) },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    for (const action of actions) {
      const res = await attempts[action](external.client);
      expect(res.status, `${action}: ${res.text}`).toBe(401);
    }
    expect((await external.client.get('/api/me')).status).toBe(401);
    expect((await ctx.anonymous().login(external.login, external.password)).status).toBe(403);
  });

  it('an External user cannot be created without an expiry, nor have it lifted', async () => {
    const missing = await ctx.owner.post('/api/users', { name: 'Guest', login: 'guest-no-expiry', role: 'External' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty('expiresAt');
    const external = await ctx.newUser('External', { keepOneTimePassword: true });
    const lift = await ctx.owner.patch(`/api/users/${external.user.id}`, { expiresAt: null });
    expect(lift.status).toBe(400);
  });
});

describe('resource rules on top of the table', () => {
  it('an Admin cannot manage the Owner or grant the Owner role', async () => {
    const admin = signedIn.get('Admin')!.client;
    const owner = signedIn.get('Owner')!.user;
    expect((await admin.patch(`/api/users/${owner.id}`, { disabled: true })).status).toBe(403);
    expect((await admin.post(`/api/users/${owner.id}/reset-password`)).status).toBe(403);
    const member = await target();
    expect((await admin.patch(`/api/users/${member.user.id}`, { role: 'Owner' })).status).toBe(403);
    expect((await admin.post('/api/users', { name: 'X', login: 'would-be-owner', role: 'Owner' })).status).toBe(403);
  });

  it('nobody disables themselves or changes their own role', async () => {
    const owner = signedIn.get('Owner')!;
    expect((await owner.client.patch(`/api/users/${owner.user.id}`, { disabled: true })).status).toBe(403);
    expect((await owner.client.patch(`/api/users/${owner.user.id}`, { role: 'Member' })).status).toBe(403);
  });

  it('user records carry per-record abilities', async () => {
    const admin = signedIn.get('Admin')!.client;
    const list = await admin.get('/api/users');
    const ownerRow = list.body.items.find((u: { role: string }) => u.role === 'Owner');
    expect(ownerRow.abilities['user.disable']).toBe(false);
    const memberRow = list.body.items.find(
      (u: { role: string; disabled: boolean }) => u.role === 'Member' && !u.disabled,
    );
    expect(memberRow.abilities['user.disable']).toBe(true);
  });

  it('an edited table takes effect at once and the Owner row cannot be reduced', async () => {
    const table = (await ctx.owner.get('/api/permissions')).body.matrix;
    const reduced = await ctx.owner.put('/api/permissions', { matrix: { ...table, Owner: ['user.read'] } });
    expect(reduced.status).toBe(400);
    const member = signedIn.get('Member')!.client;
    expect((await member.get('/api/users')).status).toBe(403);
    expect(
      (await ctx.owner.put('/api/permissions', { matrix: { ...table, Member: [...table.Member, 'user.read'] } }))
        .status,
    ).toBe(200);
    expect((await member.get('/api/users')).status).toBe(200);
    expect((await ctx.owner.put('/api/permissions', { matrix: table })).status).toBe(200);
    expect((await member.get('/api/users')).status).toBe(403);
  });
});
