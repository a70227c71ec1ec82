import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  interactionListSchema,
  interactionResponseSchema,
  interactionSummarySchema,
} from '@crewdeck/shared/interactions';
import { EventBus } from '../../server/src/events/event-bus.ts';
import { sweepFollowUps } from '../../server/src/interactions/follow-up-sweep.ts';
import { InteractionsRepository } from '../../server/src/interactions/interactions.repository.ts';
import { NotificationsRepository } from '../../server/src/notifications/notifications.repository.ts';
import { NotificationsService } from '../../server/src/notifications/notifications.service.ts';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, sleep, waitFor, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
let lead: TestUser;
let member: TestUser;
let teammate: TestUser;
let outsider: TestUser;
let otherLead: TestUser;
let clientId: string;
let otherClientId: string;
let outsiderClientId: string;
const sockets: RecordingSocket[] = [];

async function newGroup(name: string): Promise<string> {
  const res = await ctx.owner.post('/api/groups', { name });
  expect(res.status, res.text).toBe(201);
  return res.body.group.id;
}

/** A client created by the Owner for `manager` (the Owner may assign). */
async function newClient(name: string, manager: TestUser): Promise<string> {
  const res = await ctx.owner.post('/api/clients', { kind: 'company', name, managerId: manager.user.id });
  expect(res.status, res.text).toBe(201);
  return res.body.client.id;
}

async function log(client: HttpClient, body: Record<string, unknown>) {
  return client.post('/api/interactions', body);
}

async function list(client: HttpClient, query: string) {
  const res = await client.get(`/api/interactions?${query}`);
  expect(res.status, res.text).toBe(200);
  return interactionListSchema.parse(res.body);
}

beforeAll(async () => {
  ctx = await startTestServer();
  const sales = await newGroup('Sales');
  const support = await newGroup('Support');
  lead = await ctx.newUser('Lead', { name: 'Lena Lead', groups: [sales] });
  member = await ctx.newUser('Member', { name: 'Mark Member', groups: [sales] });
  teammate = await ctx.newUser('Member', { name: 'Tom Teammate', groups: [sales] });
  outsider = await ctx.newUser('Member', { name: 'Olga Outsider', groups: [support] });
  otherLead = await ctx.newUser('Lead', { name: 'Oscar Otherlead', groups: [support] });
  clientId = await newClient('Romashka LLC', member);
  otherClientId = await newClient('Vasilek LLC', member);
  outsiderClientId = await newClient('Lilia LLC', outsider);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ctx?.close();
});

describe('logging an interaction', () => {
  it('takes two clicks: only the client and a quick result', async () => {
    const before = Date.now();
    const res = await log(member.client, { clientId, result: 'completed' });
    expect(res.status, res.text).toBe(201);
    const { interaction } = interactionResponseSchema.parse(res.body);
    expect(interaction).toMatchObject({
      kind: 'call',
      clientId,
      clientName: 'Romashka LLC',
      result: 'completed',
      resultLabel: 'Completed',
      manager: { id: member.user.id, name: 'Mark Member' },
      author: { id: member.user.id },
      direction: null,
      followUp: null,
      abilities: { update: true, delete: true },
    });
    expect(Date.parse(interaction.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('updates the client’s lastInteractionAt', async () => {
    const at = new Date(Date.now() + 60_000).toISOString();
    const res = await log(member.client, { clientId: otherClientId, kind: 'meeting', occurredAt: at });
    expect(res.status, res.text).toBe(201);
    const client = await member.client.get(`/api/clients/${otherClientId}`);
    expect(client.body.client.lastInteractionAt).toBe(at);
    // A back-dated log does not move it back.
    await log(member.client, { clientId: otherClientId, kind: 'note', occurredAt: '2020-01-01T00:00:00.000Z' });
    expect((await member.client.get(`/api/clients/${otherClientId}`)).body.client.lastInteractionAt).toBe(at);
  });

  it('refuses an unknown result, a contact of another client, a direction on a meeting and a stranger as manager', async () => {
    const unknown = await log(member.client, { clientId, result: 'maybe_later' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty('result');

    const contact = await ctx.owner.post(`/api/clients/${otherClientId}/contacts`, { name: 'Ivan Petrov' });
    expect(contact.status, contact.text).toBe(201);
    const foreign = await log(member.client, { clientId, result: 'completed', contactId: contact.body.contact.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields).toHaveProperty('contactId');
    const own = await log(member.client, { clientId: otherClientId, contactId: contact.body.contact.id });
    expect(own.status, own.text).toBe(201);
    expect(own.body.interaction.contact).toEqual({ id: contact.body.contact.id, name: 'Ivan Petrov' });

    const directed = await log(member.client, { clientId, kind: 'meeting', direction: 'inbound' });
    expect(directed.status).toBe(400);
    // Someone else as manager needs client.assign (a Member has none).
    const forOther = await log(member.client, { clientId, managerId: teammate.user.id });
    expect(forOther.status).toBe(403);
    const byLead = await log(lead.client, { clientId, managerId: member.user.id, result: 'call_back' });
    expect(byLead.status, byLead.text).toBe(201);
    expect(byLead.body.interaction.manager.id).toBe(member.user.id);
    const missingTask = await log(member.client, { clientId, taskId: '0123456789abcdef01234567' });
    expect(missingTask.status).toBe(400);
    expect(missingTask.body.error.fields).toHaveProperty('taskId');
  });

  it('refuses hostile text and unknown fields', async () => {
    for (const body of [
      { clientId, subject: 'evil\u202Egnp.exe' },
      { clientId, subject: 'two\nlines' },
      { clientId, notes: 'nul\u0000byte' },
      { clientId, notes: 'lone \uD800 surrogate' },
      { clientId, subject: 'x'.repeat(201) },
      { clientId, durationMinutes: -1 },
      { clientId, durationMinutes: 1.5 },
      { clientId, kind: 'telepathy' },
      { clientId, isAdmin: true },
      { clientId: { $ne: null } },
      { clientId, occurredAt: 'yesterday' },
    ]) {
      const res = await log(member.client, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const ok = await log(member.client, { clientId, subject: 'Звонок «Ромашке»', notes: 'تماس با مشتری\nline 2' });
    expect(ok.status, ok.text).toBe(201);
  });
});

describe('visibility', () => {
  it('hides a client of someone else from a Member with own visibility (404)', async () => {
    const res = await log(teammate.client, { clientId, result: 'completed' });
    expect(res.status).toBe(404);
    expect((await list(teammate.client, `clientId=${clientId}`)).total).toBe(0);
    const { interactions } = await list(member.client, `clientId=${clientId}`);
    const id = interactions[0].id;
    expect((await teammate.client.patch(`/api/interactions/${id}`, { subject: 'mine now' })).status).toBe(404);
    expect((await teammate.client.delete(`/api/interactions/${id}`)).status).toBe(404);
  });

  it('shows a lead the group’s interactions and not another group’s', async () => {
    await log(outsider.client, { clientId: outsiderClientId, result: 'no_answer' });
    const mine = await list(lead.client, `clientId=${clientId}`);
    expect(mine.total).toBeGreaterThan(0);
    expect((await list(lead.client, `clientId=${outsiderClientId}`)).total).toBe(0);
    expect((await list(otherLead.client, `clientId=${outsiderClientId}`)).total).toBe(1);
    expect((await list(otherLead.client, `clientId=${clientId}`)).total).toBe(0);
    // managerId absent = everyone's the caller may see.
    const all = await list(lead.client, 'limit=200');
    expect(all.interactions.every((i) => i.clientId !== outsiderClientId)).toBe(true);
  });

  it('lets the author or a client.assign holder edit and delete, nobody else', async () => {
    const created = await log(member.client, { clientId, result: 'completed', subject: 'First' });
    const id: string = created.body.interaction.id;
    const byLead = await lead.client.patch(`/api/interactions/${id}`, { subject: 'Checked by lead' });
    expect(byLead.status, byLead.text).toBe(200);
    expect(byLead.body.interaction.subject).toBe('Checked by lead');
    const leadsOwn = await log(lead.client, { clientId, result: 'completed' });
    const notAuthor = await member.client.patch(`/api/interactions/${leadsOwn.body.interaction.id}`, { subject: 'x' });
    expect(notAuthor.status).toBe(403);
    const unknownResult = await member.client.patch(`/api/interactions/${id}`, { result: 'nope' });
    expect(unknownResult.status).toBe(400);
    expect((await member.client.delete(`/api/interactions/${id}`)).status).toBe(200);
    expect((await member.client.delete(`/api/interactions/${id}`)).status).toBe(404);
  });
});

describe('the journal for reports', () => {
  it('filters by manager, client, kind, result and period', async () => {
    const client = await newClient('Filter Co', member);
    const at = (day: number) => new Date(Date.UTC(2026, 2, day, 10)).toISOString();
    await log(member.client, { clientId: client, kind: 'call', result: 'completed', occurredAt: at(1) });
    await log(member.client, { clientId: client, kind: 'email', direction: 'outbound', occurredAt: at(5) });
    await log(lead.client, { clientId: client, kind: 'meeting', result: 'completed', occurredAt: at(10) });

    const everyone = await list(lead.client, `clientId=${client}`);
    expect(everyone.total).toBe(3);
    expect(everyone.interactions.map((i) => i.kind)).toEqual(['meeting', 'email', 'call']);
    expect((await list(lead.client, `clientId=${client}&managerId=${member.user.id}`)).total).toBe(2);
    expect((await list(lead.client, `clientId=${client}&managerId=me`)).total).toBe(1);
    expect((await list(lead.client, `clientId=${client}&kind=email`)).interactions[0].direction).toBe('outbound');
    expect((await list(lead.client, `clientId=${client}&result=completed`)).total).toBe(2);
    expect((await list(lead.client, `clientId=${client}&from=2026-03-04&to=2026-03-10`)).total).toBe(1);
    expect((await list(lead.client, `clientId=${client}&from=${at(5)}`)).total).toBe(2);
    const page = await list(lead.client, `clientId=${client}&offset=1&limit=1`);
    expect(page.interactions.map((i) => i.kind)).toEqual(['email']);
    expect((await lead.client.get('/api/interactions?kind=telepathy')).status).toBe(400);

    const summary = await lead.client.get(`/api/interactions/summary?from=2026-03-01&to=2026-03-31`);
    expect(summary.status, summary.text).toBe(200);
    const counts = interactionSummarySchema.parse(summary.body);
    expect(counts.byKind).toMatchObject({ call: 1, email: 1, meeting: 1, message: 0, note: 0 });
    expect(counts.byResult).toContainEqual({ result: 'completed', label: 'Completed', count: 2 });
    expect(counts.byResult).toContainEqual({ result: null, label: null, count: 1 });
  });
});

describe('follow-ups', () => {
  it('raise followUpDue once when the sweep passes their time', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await log(member.client, {
      clientId,
      result: 'call_back',
      followUp: { at, note: 'Send the offer' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.interaction.followUp).toMatchObject({ at, note: 'Send the offer', notifiedAt: null });
    const notifications = new NotificationsService({ repo: new NotificationsRepository(), events: new EventBus() });
    const deps = {
      interactions: new InteractionsRepository(),
      notifications,
      clientNames: async () => new Map([[clientId, 'Romashka LLC']]),
    };
    expect(await sweepFollowUps(deps, new Date())).toBe(0);
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await sweepFollowUps(deps, later)).toBe(1);
    expect(await sweepFollowUps(deps, later)).toBe(0);
    const inbox = await member.client.get('/api/notifications');
    const due = inbox.body.items.filter((n: { kind: string }) => n.kind === 'followUpDue');
    expect(due).toHaveLength(1);
    expect(due[0].data).toMatchObject({ clientId, note: 'Send the offer' });
  });

  it('with a project, become a task assigned to the manager, due that day', async () => {
    const project = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const res = await log(member.client, {
      clientId,
      result: 'taken_into_work',
      followUp: { at: '2026-12-24T09:00:00.000Z', note: 'Prepare contract', projectId: project.id },
    });
    expect(res.status, res.text).toBe(201);
    const taskId: string = res.body.interaction.followUp.taskId;
    expect(taskId).toMatch(/^[0-9a-f]{24}$/);
    const task = await member.client.get(`/api/tasks/${taskId}`);
    expect(task.status, task.text).toBe(200);
    expect(task.body.task).toMatchObject({ title: 'Prepare contract', dueDate: '2026-12-24' });
    expect(task.body.task.assignees.map((a: { id: string } | string) => (typeof a === 'string' ? a : a.id))).toEqual([
      member.user.id,
    ]);
    // A project the caller is not in: the tasks' rules refuse, nothing is logged.
    const foreign = await ctx.newProject();
    const before = (await list(member.client, `clientId=${clientId}`)).total;
    const refused = await log(member.client, {
      clientId,
      followUp: { at: '2026-12-24T09:00:00.000Z', projectId: foreign.id },
    });
    expect([403, 404]).toContain(refused.status);
    expect((await list(member.client, `clientId=${clientId}`)).total).toBe(before);
  });
});

describe('the client link and search', () => {
  it('follows a reassignment: the new manager sees the journal, the old one no longer', async () => {
    const client = await newClient('Handover Co', member);
    await log(member.client, { clientId: client, result: 'completed', subject: 'Before handover' });
    const moved = await ctx.owner.post('/api/clients/assign', { clientIds: [client], managerId: teammate.user.id });
    expect(moved.status, moved.text).toBe(200);
    expect((await list(teammate.client, `clientId=${client}`)).total).toBe(1);
    expect((await list(member.client, `clientId=${client}`)).total).toBe(0);
  });

  it('moves with a merge and back with its undo, lastInteractionAt following', async () => {
    const keep = await newClient('Keeper Merge Co', member);
    const gone = await newClient('Absorbed Merge Co', member);
    const at = '2026-06-01T12:00:00.000Z';
    await log(member.client, { clientId: gone, result: 'completed', occurredAt: at });
    const merged = await ctx.owner.post('/api/clients/merge', { keepId: keep, mergeId: gone });
    expect(merged.status, merged.text).toBe(200);
    expect((await list(member.client, `clientId=${keep}`)).total).toBe(1);
    expect((await member.client.get(`/api/clients/${keep}`)).body.client.lastInteractionAt).toBe(at);
    const undone = await ctx.owner.post(`/api/clients/merges/${merged.body.merge.id}/undo`, {});
    expect(undone.status, undone.text).toBe(200);
    expect((await list(member.client, `clientId=${keep}`)).total).toBe(0);
    expect((await list(member.client, `clientId=${gone}`)).total).toBe(1);
    expect((await member.client.get(`/api/clients/${keep}`)).body.client.lastInteractionAt).toBeNull();
  });

  it('is found by the search box by subject, only by those who see the client', async () => {
    const res = await log(member.client, { clientId, subject: 'Quarterly zebra review', result: 'completed' });
    expect(res.status, res.text).toBe(201);
    const found = await member.client.get('/api/search?q=zebra&kinds=interaction');
    expect(found.status, found.text).toBe(200);
    const ids = (r: typeof found) => (r.body.results as { id: string }[]).map((hit) => hit.id);
    expect(ids(found)).toContain(res.body.interaction.id);
    const hidden = await outsider.client.get('/api/search?q=zebra&kinds=interaction');
    expect(ids(hidden)).not.toContain(res.body.interaction.id);
  });
});

describe('live and concurrent', () => {
  it('delivers interaction.logged live to the manager and the lead, never to an outsider', async () => {
    const [manager, groupLead, stranger] = [member, lead, outsider].map((u) => {
      const socket = connectSocket(ctx.url, u.client);
      sockets.push(socket);
      return socket;
    });
    await Promise.all([manager.ready, groupLead.ready, stranger.ready]);
    const res = await log(member.client, { clientId, result: 'completed', subject: 'Live call' });
    expect(res.status, res.text).toBe(201);
    const id: string = res.body.interaction.id;
    const logged = (s: RecordingSocket) =>
      s.feed.filter((e) => e.type === 'interaction.logged' && e.resource.id === id);
    await waitFor(
      () => logged(manager).length === 1 && logged(groupLead).length === 1,
      5000,
      () => 'interaction.logged',
    );
    expect(logged(manager)[0]).toMatchObject({
      projectId: null,
      resource: { kind: 'interaction', id },
      data: { clientId, clientName: 'Romashka LLC', kind: 'call', result: 'completed', subject: 'Live call' },
    });
    await sleep(300);
    expect(logged(stranger)).toHaveLength(0);
  });

  it('stores 20 logs made in parallel', async () => {
    const client = await newClient('Busy Line Co', member);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        log(member.client, { clientId: client, result: 'no_answer', subject: `#${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const stored = await list(member.client, `clientId=${client}&limit=50`);
    expect(stored.total).toBe(20);
    expect(new Set(stored.interactions.map((i) => i.subject)).size).toBe(20);
  });
});

describe('export of the journal', () => {
  const evilSubject = '=HYPERLINK("http://evil.test","click")';

  it('downloads a client’s journal as CSV (BOM, ISO dates) and XLSX, formulas neutralised, journaled', async () => {
    const client = await newClient('Export Journal Co', member);
    const at = '2026-05-04T10:30:00.000Z';
    const logged = await log(member.client, {
      clientId: client,
      kind: 'call',
      direction: 'outbound',
      durationMinutes: 7,
      subject: evilSubject,
      notes: '@SUM(A1:A9)',
      result: 'completed',
      occurredAt: at,
    });
    expect(logged.status, logged.text).toBe(201);
    const csv = await lead.client.get(`/api/interactions/export?format=csv&clientId=${client}`);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('interactions.csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'Occurred,Kind,Direction,"Duration, min",Client,Contact,Subject,Notes,Result,Manager,Author,Follow-up,Follow-up note,Created',
    );
    expect(lines[1]).toContain(
      `${at},call,outbound,7,Export Journal Co,,"'=HYPERLINK(""http://evil.test"",""click"")",'@SUM(A1:A9),`,
    );
    expect(lines[1]).toContain(',Mark Member,Mark Member,,,');

    const raw = await fetch(`${ctx.url}/api/interactions/export?format=csv&clientId=${client}`, {
      headers: { cookie: lead.client.cookieHeader() },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const xlsx = await fetch(`${ctx.url}/api/interactions/export?format=xlsx&clientId=${client}`, {
      headers: { cookie: lead.client.cookieHeader() },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const row = book.worksheets[0].getRow(2);
    expect(row.getCell(1).value).toBe(at);
    expect(row.getCell(7).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(7).value).toBe(evilSubject);
    expect(row.getCell(8).value).toBe('@SUM(A1:A9)');
    expect(book.worksheets[0].rowCount).toBe(2);

    const audit = await ctx.owner.get('/api/audit?action=client.export&limit=10');
    expect(audit.status, audit.text).toBe(200);
    const entries: { comment: string }[] = audit.body.items;
    expect(entries.some((e) => e.comment.includes('Interactions: 1 rows, CSV') && e.comment.includes(client))).toBe(
      true,
    );
  });

  it('needs client.export (403 for a Tester and a Member by default)', async () => {
    const tester = await ctx.newUser('Tester');
    expect((await tester.client.get('/api/interactions/export')).status).toBe(403);
    expect((await member.client.get('/api/interactions/export')).status).toBe(403);
  });

  it('a Member with own visibility exports only the journal of their own clients, as the list shows', async () => {
    const table = (await ctx.owner.get('/api/permissions')).body.matrix;
    const granted = await ctx.owner.put('/api/permissions', {
      matrix: { ...table, Member: [...table.Member, 'client.export'] },
    });
    expect(granted.status, granted.text).toBe(200);
    const own = await newClient('Export Own Co', member);
    const theirs = await newClient('Export Theirs Co', outsider);
    expect((await log(member.client, { clientId: own, subject: 'Exported own call' })).status).toBe(201);
    expect((await log(outsider.client, { clientId: theirs, subject: 'Exported hidden call' })).status).toBe(201);
    const csv = await member.client.get('/api/interactions/export?format=csv');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text).toContain('Exported own call');
    expect(csv.text).not.toContain('Exported hidden call');
    expect(csv.text).not.toContain('Lilia LLC');
    const { total } = await list(member.client, 'limit=1');
    expect(
      csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(total + 1);
    // An invisible client's journal is simply empty, never a leak.
    const hidden = await member.client.get(`/api/interactions/export?format=csv&clientId=${theirs}`);
    expect(hidden.text.trim().split('\r\n')).toHaveLength(1);
  });
});
