import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientListSchema,
  clientResponseSchema,
  defaultCrmSettings,
  duplicatePairSchema,
  mergeRecordSchema,
  type CrmSettings,
} from '@crewdeck/shared/clients';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { z } from 'zod';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket } from '../support/socket.ts';
import type { HttpClient } from '../support/http.ts';

let ctx: TestContext;
let lead: TestUser;
let ann: TestUser; // Member in the lead's group
let bob: TestUser; // Member in the lead's group
let carl: TestUser; // Member outside it
let groupId: string;

const settingsWith = (patch: Partial<CrmSettings>): CrmSettings => ({
  ...structuredClone(defaultCrmSettings),
  ...patch,
});

async function putSettings(settings: CrmSettings) {
  const res = await ctx.owner.put('/api/crm/settings', settings);
  expect(res.status, res.text).toBe(200);
}

let serial = 0;
/** A company unlike any other (distinct name, phone and email), so the duplicate check stays quiet. */
function uniqueCompany(extra: Record<string, unknown> = {}) {
  serial += 1;
  const words = ['Alder', 'Birch', 'Cedar', 'Maple', 'Rowan', 'Willow', 'Hazel', 'Spruce', 'Larch', 'Aspen'];
  const name = `${words[serial % 10]} ${words[Math.floor(serial / 10) % 10]} Works ${serial}x${Date.now() % 100000}`;
  return {
    kind: 'company',
    name,
    phones: [
      {
        value: `+7 495 ${String(100 + serial).padStart(3, '0')}-${String(serial % 100).padStart(2, '0')}-${String(Math.floor(Math.random() * 90) + 10)}`,
        kind: 'work',
      },
    ],
    emails: [{ value: `office${serial}.${Date.now()}@example-${serial}.test`, kind: 'work' }],
    ...extra,
  };
}

async function create(client: HttpClient, body: Record<string, unknown>) {
  const res = await client.post('/api/clients', body);
  return res;
}

async function created(client: HttpClient, body: Record<string, unknown>) {
  const res = await create(client, body);
  expect(res.status, res.text).toBe(201);
  return clientResponseSchema.parse(res.body).client;
}

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  ann = await ctx.newUser('Member');
  bob = await ctx.newUser('Member');
  carl = await ctx.newUser('Member');
  const group = await ctx.owner.post('/api/groups', {
    name: 'Sales',
    members: [lead.user.id, ann.user.id, bob.user.id],
  });
  expect(group.status, group.text).toBe(201);
  groupId = (group.body as { group: { id: string } }).group.id;
  for (const u of [lead, ann, bob]) expect((await u.client.login(u.login, u.password)).status).toBe(200);
});
afterAll(async () => {
  await ctx?.close();
});

describe('required and custom fields', () => {
  it('answers 400 with field paths on create and on update, for every kind', async () => {
    await putSettings(
      settingsWith({
        required: { company: ['phones', 'legalForm', 'custom.inn'], person: ['emails'] },
        customFields: [
          { key: 'inn', label: 'INN', type: 'text', options: [], kinds: ['company'] },
          { key: 'size', label: 'Size', type: 'select', options: ['small', 'large'], kinds: ['company', 'person'] },
          { key: 'since', label: 'Since', type: 'date', options: [], kinds: ['company'] },
        ],
      }),
    );
    const bare = await create(ann.client, { kind: 'company', name: 'Required Fields Test' });
    expect(bare.status).toBe(400);
    const fields = errorBodySchema.parse(bare.body).error.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['custom.inn', 'legalForm', 'phones']);

    const person = await create(ann.client, { kind: 'person', name: 'Pat Required' });
    expect(errorBodySchema.parse(person.body).error.fields).toEqual({ emails: 'Required' });

    const badCustom = await create(ann.client, {
      ...uniqueCompany({ legalForm: 'LLC' }),
      custom: { inn: '7701', size: 'huge', since: '2020-13-45', nope: 'x' },
    });
    expect(badCustom.status).toBe(400);
    expect(Object.keys(errorBodySchema.parse(badCustom.body).error.fields ?? {}).sort()).toEqual([
      'custom.nope',
      'custom.since',
      'custom.size',
    ]);

    const ok = await created(ann.client, uniqueCompany({ legalForm: 'LLC', custom: { inn: '7701', size: 'small' } }));
    // Clearing a required field on update is refused the same way, and nothing changes.
    const cleared = await ann.client.patch(`/api/clients/${ok.id}`, { phones: [] });
    expect(cleared.status).toBe(400);
    expect(errorBodySchema.parse(cleared.body).error.fields).toHaveProperty('phones');
    const again = clientResponseSchema.parse((await ann.client.get(`/api/clients/${ok.id}`)).body).client;
    expect(again.phones).toHaveLength(1);
    await putSettings(settingsWith({}));
  });

  it('refuses unknown statuses and sources, and hostile text', async () => {
    const status = await create(ann.client, uniqueCompany({ status: 'made_up' }));
    expect(errorBodySchema.parse(status.body).error.fields).toHaveProperty('status');
    const bidi = await create(ann.client, uniqueCompany({ name: 'Evil\u202ename' }));
    expect(bidi.status).toBe(400);
    const huge = await create(ann.client, uniqueCompany({ name: 'x'.repeat(5000) }));
    expect(huge.status).toBe(400);
    const script = await created(ann.client, uniqueCompany({ name: '<script>alert(1)</script> Ltd' }));
    expect(script.name).toBe('<script>alert(1)</script> Ltd');
  });
});

describe('visibility per role', () => {
  it('follows the setting: own, group, all — in lists and by id', async () => {
    await putSettings(settingsWith({ visibility: { ...defaultCrmSettings.visibility, Member: 'own', Lead: 'group' } }));
    const annClient = await created(ann.client, uniqueCompany());
    const carlClient = await created(carl.client, uniqueCompany());

    const listOf = async (u: TestUser) =>
      clientListSchema.parse((await u.client.get('/api/clients?limit=200')).body).clients.map((c) => c.id);
    expect(await listOf(bob)).not.toContain(annClient.id);
    expect((await bob.client.get(`/api/clients/${annClient.id}`)).status).toBe(404);
    expect(await listOf(lead)).toContain(annClient.id);
    expect(await listOf(lead)).not.toContain(carlClient.id);
    expect((await lead.client.get(`/api/clients/${carlClient.id}`)).status).toBe(404);

    await putSettings(settingsWith({ visibility: { ...defaultCrmSettings.visibility, Member: 'group' } }));
    expect(await listOf(bob)).toContain(annClient.id);
    expect(await listOf(bob)).not.toContain(carlClient.id);

    await putSettings(settingsWith({ visibility: { ...defaultCrmSettings.visibility, Member: 'all' } }));
    expect(await listOf(bob)).toContain(carlClient.id);
    // Seeing is not editing someone else's client under "all"? It is: visibility decides both.
    expect((await bob.client.patch(`/api/clients/${carlClient.id}`, { address: 'Here' })).status).toBe(200);
    await putSettings(settingsWith({}));
    // Back to "own": Bob's write is refused as not found, and the journal recorded the denial.
    expect((await bob.client.patch(`/api/clients/${carlClient.id}`, { address: 'There' })).status).toBe(404);
  });

  it('a Tester or External without client.read gets 403, and settings are Admin-only', async () => {
    const ext = await ctx.newUser('Tester');
    expect((await ext.client.get('/api/clients')).status).toBe(403);
    expect((await ann.client.put('/api/crm/settings', defaultCrmSettings)).status).toBe(403);
  });

  it('reassigning is journaled, notifies both managers and moves visibility', async () => {
    const doc = await created(ann.client, uniqueCompany());
    expect((await ann.client.post('/api/clients/assign', { clientIds: [doc.id], managerId: bob.user.id })).status).toBe(
      403,
    );
    const annSocket = connectSocket(ctx.url, ann.client);
    const bobSocket = connectSocket(ctx.url, bob.client);
    await Promise.all([annSocket.ready, bobSocket.ready]);
    const res = await lead.client.post('/api/clients/assign', { clientIds: [doc.id], managerId: bob.user.id });
    expect(res.status, res.text).toBe(200);
    const bobEntries = await bobSocket.waitForFeed(1);
    expect(bobEntries[0]).toMatchObject({ type: 'client.assigned', resource: { kind: 'client', id: doc.id } });
    const annEntries = await annSocket.waitForFeed(1);
    expect(annEntries[0].type).toBe('client.assigned');
    annSocket.close();
    bobSocket.close();
    expect((await ann.client.get(`/api/clients/${doc.id}`)).status).toBe(404);
    expect((await bob.client.get(`/api/clients/${doc.id}`)).status).toBe(200);
    const kinds = async (u: TestUser) =>
      (
        (await u.client.get('/api/notifications')).body as { items: { kind: string; subject: { id: string } | null }[] }
      ).items
        .filter((n) => n.subject?.id === doc.id)
        .map((n) => n.kind);
    expect(await kinds(bob)).toContain('clientAssigned');
    expect(await kinds(ann)).toContain('clientUnassigned');
    const audit = await ctx.owner.get('/api/audit?action=client.assign');
    const entries = (audit.body as { items: { code: string; changes: { field: string; to: unknown }[] }[] }).items;
    expect(entries.some((e) => e.code === doc.code && e.changes.some((c) => c.field === 'manager'))).toBe(true);
  });
});

describe('duplicates', () => {
  it('answers 409 with candidates across phone formats, emails, names and domains unless forced', async () => {
    const first = await created(ann.client, {
      kind: 'company',
      name: 'ООО «Ромашка-Сервис»',
      phones: [{ value: '8 (912) 345-67-89', kind: 'work' }],
      emails: [{ value: 'Sales@Romashka-Trade.ru', kind: 'work' }],
      website: 'https://www.romashka-trade.ru/',
    });
    const tries = [
      { kind: 'company', name: 'Other Name One', phones: [{ value: '+7 912 345 67 89', kind: 'work' }] },
      { kind: 'company', name: 'Other Name Two', emails: [{ value: 'sales@romashka-trade.RU', kind: 'work' }] },
      { kind: 'company', name: 'Romashka-Servis LLC' },
      { kind: 'company', name: 'Other Name Three', website: 'romashka-trade.ru' },
    ];
    for (const body of tries) {
      const res = await create(bob.client, body);
      expect(res.status, `${JSON.stringify(body)} ${res.text}`).toBe(409);
      const dupes = errorBodySchema.parse(res.body).error.duplicates ?? [];
      expect(dupes.map((d) => d.id)).toContain(first.id);
      // Bob may not see Ann's client: only its manager is shown.
      expect(dupes.find((d) => d.id === first.id)).toMatchObject({ hidden: true, name: '' });
      expect(dupes.find((d) => d.id === first.id)?.manager?.id).toBe(ann.user.id);
    }
    const forced = await create(bob.client, { ...tries[0], force: true, forceReason: 'Another branch' });
    expect(forced.status, forced.text).toBe(201);
    const audit = await ctx.owner.get('/api/audit?action=client.create');
    const notes = (audit.body as { items: { comment: string }[] }).items.map((e) => e.comment);
    expect(notes.some((n) => n.includes('Another branch'))).toBe(true);
  });

  it('checks updates too, and only for keys that changed', async () => {
    const a = await created(ann.client, uniqueCompany());
    const b = await created(ann.client, uniqueCompany());
    const clash = await ann.client.patch(`/api/clients/${b.id}`, {
      phones: a.phones.map(({ value, kind }) => ({ value, kind })),
    });
    expect(clash.status).toBe(409);
    expect((await ann.client.patch(`/api/clients/${b.id}`, { address: 'Unrelated change' })).status).toBe(200);
  });

  it('two people creating the same client at once: one wins, the other hears 409', async () => {
    const body = uniqueCompany();
    const results = await Promise.all([create(ann.client, body), create(bob.client, body), create(lead.client, body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('the sweep queues forced duplicates; "not a duplicate" is remembered', async () => {
    const base = uniqueCompany();
    const a = await created(ann.client, base);
    const b = await created(ann.client, { ...base, name: `${base.name} branch`, force: true });
    await ctx.server.crm.sweepDuplicates();
    const list = z
      .object({ pairs: z.array(duplicatePairSchema) })
      .parse((await lead.client.get('/api/clients/duplicates')).body);
    const pair = list.pairs.find((p) => [p.a.id, p.b.id].sort().join() === [a.id, b.id].sort().join());
    expect(pair?.reasons).toContain('phone');
    expect((await ann.client.get('/api/clients/duplicates')).status).toBe(403);
    expect((await lead.client.post(`/api/clients/duplicates/${pair?.id}/dismiss`, {})).status).toBe(200);
    await ctx.server.crm.sweepDuplicates();
    const after = z
      .object({ pairs: z.array(duplicatePairSchema) })
      .parse((await lead.client.get('/api/clients/duplicates')).body);
    expect(after.pairs.some((p) => p.id === pair?.id)).toBe(false);
    // Dismissed: editing b no longer trips over a.
    expect((await ann.client.patch(`/api/clients/${b.id}`, { name: `${base.name} branch two` })).status).toBe(200);
  });
});

describe('merge and undo', () => {
  it('moves contacts, keeps picked values, journals old → new, and undoes exactly', async () => {
    const keep = await created(ann.client, uniqueCompany({ address: 'Keep street 1', tags: ['vip'] }));
    const gone = await created(ann.client, uniqueCompany({ address: 'Gone street 2', tags: ['new'], force: true }));
    const contact = await ann.client.post(`/api/clients/${gone.id}/contacts`, {
      name: 'Olga Petrova',
      position: 'CFO',
    });
    expect(contact.status, contact.text).toBe(201);
    expect((await ann.client.post('/api/clients/merge', { keepId: keep.id, mergeId: gone.id })).status).toBe(403);

    const res = await lead.client.post('/api/clients/merge', {
      keepId: keep.id,
      mergeId: gone.id,
      pick: { address: 'merge' },
    });
    expect(res.status, res.text).toBe(200);
    const body = z.object({ merge: mergeRecordSchema }).parse(res.body);
    const merged = clientResponseSchema.parse(res.body).client;
    expect(merged.address).toBe('Gone street 2');
    expect(merged.tags.sort()).toEqual(['new', 'vip']);
    expect(merged.phones).toHaveLength(2);
    expect(merged.contactCount).toBe(1);
    expect(body.merge.moved.contacts).toBe(1);
    expect((await lead.client.get(`/api/clients/${gone.id}`)).status).toBe(404);
    const contacts = (await lead.client.get(`/api/clients/${keep.id}/contacts`)).body as {
      contacts: { name: string }[];
    };
    expect(contacts.contacts.map((c) => c.name)).toEqual(['Olga Petrova']);
    const journal = await ctx.owner.get('/api/audit?action=client.merge');
    const entry = (
      journal.body as { items: { code: string; changes: { field: string; from: unknown; to: unknown }[] }[] }
    ).items[0];
    expect(entry.code).toBe(keep.code);
    expect(entry.changes).toContainEqual({ field: 'address', from: 'Keep street 1', to: 'Gone street 2' });

    // A second merge of the same client loses.
    expect((await lead.client.post('/api/clients/merge', { keepId: keep.id, mergeId: gone.id })).status).toBe(404);

    const undo = await lead.client.post(`/api/clients/merges/${body.merge.id}/undo`, {});
    expect(undo.status, undo.text).toBe(200);
    const keptAgain = clientResponseSchema.parse((await lead.client.get(`/api/clients/${keep.id}`)).body).client;
    const goneAgain = clientResponseSchema.parse((await lead.client.get(`/api/clients/${gone.id}`)).body).client;
    expect(keptAgain.address).toBe('Keep street 1');
    expect(keptAgain.tags).toEqual(['vip']);
    expect(keptAgain.contactCount).toBe(0);
    expect(goneAgain.contactCount).toBe(1);
    expect((await lead.client.post(`/api/clients/merges/${body.merge.id}/undo`, {})).status).toBe(409);
  });

  it('refuses merging a client with itself and unknown pick fields', async () => {
    const a = await created(ann.client, uniqueCompany());
    expect((await lead.client.post('/api/clients/merge', { keepId: a.id, mergeId: a.id })).status).toBe(400);
  });
});

describe('data quality', () => {
  it('counts missing required fields, invalid phones, stale clients and queued duplicates per manager', async () => {
    const bad = await created(carl.client, {
      ...uniqueCompany(),
      phones: [{ value: '12', kind: 'work' }],
    });
    expect(bad.phones[0].e164).toBeNull();
    await putSettings(settingsWith({ required: { company: ['website'], person: [] }, staleDays: 1 }));
    const report = (await ctx.owner.get('/api/clients/quality')).body as {
      rows: { manager: { id: string } | null; invalidPhones: number; missingRequired: number; clients: number }[];
    };
    const carlRow = report.rows.find((r) => r.manager?.id === carl.user.id);
    // Carl's two clients (this one and the visibility test's) both lack the now required website.
    expect(carlRow).toMatchObject({ invalidPhones: 1, missingRequired: 2, clients: 2 });
    const issues = await ctx.owner.get(`/api/clients/quality/issues?issue=invalidPhones&managerId=${carl.user.id}`);
    expect((issues.body as { clients: { id: string }[] }).clients.map((c) => c.id)).toEqual([bad.id]);
    // Carl sees only his own row (visibility applies to the report too).
    const own = (await carl.client.get('/api/clients/quality')).body as { rows: { manager: { id: string } | null }[] };
    expect(own.rows.map((r) => r.manager?.id)).toEqual([carl.user.id]);
    await putSettings(settingsWith({}));
    void groupId;
  });
});

describe('linked tasks and documents', () => {
  it('shows each link only to those who may open it, and refuses linking what the caller cannot open', async () => {
    const client = await created(ann.client, uniqueCompany());
    const project = await ctx.newProject({ members: [{ user: ann, role: 'member' }] });
    const task = await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title: 'Send the offer' });
    expect(task.status, task.text).toBe(201);
    const taskId = (task.body as { task: { id: string } }).task.id;
    const secret = await ctx.newProject();
    const hiddenTask = await ctx.owner.post(`/api/projects/${secret.id}/tasks`, { title: 'Internal' });
    const hiddenId = (hiddenTask.body as { task: { id: string } }).task.id;

    expect(
      (await ann.client.post(`/api/clients/${client.id}/attachments`, { kind: 'task', id: hiddenId })).status,
    ).toBe(404);
    const linked = await ann.client.post(`/api/clients/${client.id}/attachments`, { kind: 'task', id: taskId });
    expect(linked.status, linked.text).toBe(200);
    expect((linked.body as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual([taskId]);

    // The Owner links the internal task too: Ann sees only what she may open, and a count of the rest.
    await putSettings(settingsWith({ visibility: { ...defaultCrmSettings.visibility, Member: 'own' } }));
    expect((await ctx.owner.post(`/api/clients/${client.id}/attachments`, { kind: 'task', id: hiddenId })).status).toBe(
      200,
    );
    const seen = (await ann.client.get(`/api/clients/${client.id}/attachments`)).body as {
      tasks: unknown[];
      hidden: number;
    };
    expect(seen).toMatchObject({ hidden: 1 });
    expect(seen.tasks).toHaveLength(1);
    // Someone who may not see the client gets nothing at all.
    expect((await carl.client.get(`/api/clients/${client.id}/attachments`)).status).toBe(404);
    const removed = await ann.client.delete(`/api/clients/${client.id}/attachments/task/${taskId}`);
    expect((removed.body as { tasks: unknown[] }).tasks).toHaveLength(0);
  });
});
