import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientListSchema, contactSchema, defaultCrmSettings, type CrmSettings } from '@crewdeck/shared/clients';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { importJobSchema, importPreviewRowSchema, importResultSchema, type ImportJob } from '@crewdeck/shared/imports';
import { z } from 'zod';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser; // Lead of Sales: imports, exports, sees the group's clients
let ann: TestUser; // Member in Sales: no import, no export
let carl: TestUser; // Member outside Sales

const settingsWith = (patch: Partial<CrmSettings>): CrmSettings => ({
  ...structuredClone(defaultCrmSettings),
  ...patch,
});

async function putSettings(settings: CrmSettings) {
  const res = await ctx.owner.put('/api/crm/settings', settings);
  expect(res.status, res.text).toBe(200);
}

async function upload(client: HttpClient, name: string, bytes: Buffer | string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return fetch(`${ctx.url}/api/imports`, {
    method: 'POST',
    body: form,
    headers: { cookie: client.cookieHeader(), origin: ctx.url },
  });
}

async function uploaded(client: HttpClient, name: string, bytes: Buffer | string): Promise<ImportJob> {
  const res = await upload(client, name, bytes);
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(201);
  return z.object({ job: importJobSchema }).parse(body).job;
}

async function finished(client: HttpClient, id: string): Promise<ImportJob> {
  for (let i = 0; i < 200; i += 1) {
    const res = await client.get(`/api/imports/${id}`);
    const job = z.object({ job: importJobSchema }).parse(res.body).job;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('import did not finish');
}

async function results(client: HttpClient, id: string) {
  const res = await client.get(`/api/imports/${id}/results`);
  expect(res.status, res.text).toBe(200);
  return z.object({ results: z.array(importResultSchema) }).parse(res.body).results;
}

async function clientsNamed(client: HttpClient, q: string) {
  const res = await client.get(`/api/clients?q=${encodeURIComponent(q)}&limit=200`);
  expect(res.status, res.text).toBe(200);
  return clientListSchema.parse(res.body).clients;
}

beforeAll(async () => {
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  ann = await ctx.newUser('Member');
  carl = await ctx.newUser('Member');
  const group = await ctx.owner.post('/api/groups', { name: 'Sales', members: [lead.user.id, ann.user.id] });
  expect(group.status, group.text).toBe(201);
  for (const u of [lead, ann]) expect((await u.client.login(u.login, u.password)).status).toBe(200);
});
afterAll(async () => {
  await ctx?.close();
});

describe('import of clients from CSV', () => {
  it('proposes a mapping from Russian headers, previews errors and duplicates, then runs skip/merge/create per row', async () => {
    await putSettings(
      settingsWith({
        required: { company: ['phones'], person: [] },
        customFields: [{ key: 'inn', label: 'ИНН', type: 'text', options: [], kinds: ['company', 'person'] }],
      }),
    );
    const existing = await lead.client.post('/api/clients', {
      kind: 'company',
      name: 'Ромашка',
      legalForm: 'ООО',
      phones: [{ value: '+7 495 111-22-33', kind: 'work' }],
    });
    expect(existing.status, existing.text).toBe(201);
    const other = await lead.client.post('/api/clients', {
      kind: 'company',
      name: 'Лютик',
      phones: [{ value: '+7 495 444-55-66', kind: 'work' }],
    });
    expect(other.status, other.text).toBe(201);

    const csv = [
      'Название;Телефон;E-mail;Сайт;ИНН',
      'Северный ветер;8 (812) 300-40-50;info@nwind.test;nwind.test;7801234567',
      'Без телефона;;nophone@example.test;;',
      'ООО «Ромашка»;8 495 111 22 33;sales@romashka.test;;7701',
      'Лютик;+7 495 444 55 66;hello@lutik.test;;',
      'Ромашка;+7 (495) 111-22-33;second@romashka.test;;',
      'Плохая почта;+7 812 999 88 77;not-an-email;;',
    ].join('\r\n');
    expect((await upload(ann.client, 'clients.csv', csv)).status).toBe(403);
    const job = await uploaded(lead.client, 'clients.csv', csv);
    expect(job).toMatchObject({ format: 'csv', rowCount: 6, status: 'uploaded' });
    expect(job.mapping).toEqual(['name', 'phone', 'email', 'website', 'custom.inn']);

    const preview = await lead.client.post(`/api/imports/${job.id}/preview`, {
      mapping: job.mapping,
      defaultKind: 'company',
    });
    expect(preview.status, preview.text).toBe(200);
    const rows = z.array(importPreviewRowSchema).parse(preview.body.rows);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(rows[0]).toMatchObject({ errors: {}, duplicates: [] });
    expect(rows[1].errors).toEqual({ phones: 'Required' });
    expect(rows[2].duplicates.map((d) => d.id)).toContain(existing.body.client.id);
    expect(rows[3].duplicates.map((d) => d.id)).toContain(other.body.client.id);
    expect(Object.keys(rows[5].errors)).toEqual(['emails.0.value']);
    // Nothing is written by a preview.
    expect(await clientsNamed(lead.client, 'Северный')).toHaveLength(0);

    // Someone else's job is not found; a mapping of the wrong width is refused.
    expect((await ctx.owner.get(`/api/imports/${job.id}`)).status).toBe(404);
    const wrong = await lead.client.post(`/api/imports/${job.id}/run`, { mapping: ['name'] });
    expect(wrong.status).toBe(400);

    const run = await lead.client.post(`/api/imports/${job.id}/run`, {
      mapping: job.mapping,
      onDuplicate: 'skip',
      choices: { '4': 'merge', '6': 'create' },
    });
    expect(run.status, run.text).toBe(202);
    expect((await lead.client.post(`/api/imports/${job.id}/run`, { mapping: job.mapping })).status).toBe(409);
    const done = await finished(lead.client, job.id);
    expect(done).toMatchObject({ status: 'done', processed: 6 });
    expect(done.counts).toEqual({ created: 2, updated: 1, skipped: 1, failed: 2, contacts: 0 });

    const report = await results(lead.client, job.id);
    expect(report.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'created'],
      [3, 'failed'],
      [4, 'updated'],
      [5, 'skipped'],
      [6, 'created'],
      [7, 'failed'],
    ]);
    expect(report[1].reason).toContain('phones: Required');
    expect(report[3].reason).toContain('Лютик');

    const journal = await ctx.owner.get('/api/audit?action=client.import&limit=5');
    expect(journal.body.items[0].comment).toContain('2 created, 1 updated, 1 skipped, 2 failed');

    const romashka = await lead.client.get(`/api/clients/${existing.body.client.id}`);
    expect(romashka.body.client.name).toBe('Ромашка');
    expect(romashka.body.client.emails.map((e: { value: string }) => e.value)).toEqual(['sales@romashka.test']);
    expect(romashka.body.client.custom).toEqual({ inn: '7701' });
    expect(await clientsNamed(lead.client, 'Ромашка')).toHaveLength(2);
    const [north] = await clientsNamed(lead.client, 'Северный ветер');
    expect(north.phones[0].e164).toBe('+78123004050');
    expect(north.custom).toEqual({ inn: '7801234567' });
    const lutik = await lead.client.get(`/api/clients/${other.body.client.id}`);
    expect(lutik.body.client.emails).toEqual([]);

    const csvReport = await fetch(`${ctx.url}/api/imports/${job.id}/report`, {
      headers: { cookie: lead.client.cookieHeader() },
    });
    expect(csvReport.status).toBe(200);
    expect(csvReport.headers.get('content-type')).toContain('text/csv');
    // The BOM is there for Excel (fetch's text() would strip it).
    const reportBytes = Buffer.from(await csvReport.arrayBuffer());
    expect([...reportBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const reportText = reportBytes.toString('utf8').slice(1);
    expect(reportText.split('\r\n')[0]).toBe('Line,Outcome,Name,Client id,Reason');
    expect(reportText).toContain('3,failed,Без телефона');
    await putSettings(settingsWith({}));
  });

  it('refuses files that are not tables, too wide, or over the limits', async () => {
    const res = await upload(lead.client, 'empty.csv', '');
    expect(res.status).toBe(400);
    const noName = await uploaded(lead.client, 'x.csv', 'Foo,Bar\n1,2\n');
    expect(noName.mapping).toEqual(['ignore', 'ignore']);
    const run = await lead.client.post(`/api/imports/${noName.id}/run`, { mapping: noName.mapping });
    expect(run.status).toBe(400);
    expect(errorBodySchema.parse(run.body).error.fields).toHaveProperty('mapping');
    const junk = await upload(lead.client, 'x.xlsx', Buffer.from('PK\u0003\u0004garbage'));
    expect(junk.status).toBe(400);
  });
});

describe('import from XLSX with contacts', () => {
  it('attaches person rows to the company in the same file, or to an existing one, or creates it', async () => {
    const existing = await lead.client.post('/api/clients', { kind: 'company', name: 'Altair Systems' });
    expect(existing.status, existing.text).toBe(201);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Clients');
    sheet.addRow(['Company', 'Contact person', 'Position', 'Phone', 'Email', 'Type']);
    sheet.addRow(['Orion Trading', '', '', '+7 912 345-67-89', 'info@orion.test', 'company']);
    sheet.addRow(['Orion Trading', 'Ivan Petrov', 'CEO', '8 912 000 11 22', 'ivan@orion.test', '']);
    sheet.addRow(['orion  trading', 'Olga Ivanova', 'CFO', '', 'olga@orion.test', '']);
    sheet.addRow(['Vega Logistics', 'Anna Smith', '', '', 'anna@vega.test', '']);
    sheet.addRow(['Altair Systems', 'Boris Kim', 'Buyer', '', 'boris@altair.test', '']);
    sheet.addRow(['', 'Nobody', '', '', '', '']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    const job = await uploaded(lead.client, 'contacts.xlsx', bytes);
    expect(job.format).toBe('xlsx');
    expect(job.mapping).toEqual(['company', 'contactName', 'contactPosition', 'phone', 'email', 'kind']);
    const run = await lead.client.post(`/api/imports/${job.id}/run`, { mapping: job.mapping });
    expect(run.status, run.text).toBe(202);
    const done = await finished(lead.client, job.id);
    expect(done.counts).toEqual({ created: 2, updated: 0, skipped: 0, failed: 1, contacts: 4 });

    const [orion] = await clientsNamed(lead.client, 'Orion Trading');
    const contacts = async (id: string) =>
      z.array(contactSchema).parse((await lead.client.get(`/api/clients/${id}/contacts`)).body.contacts);
    expect((await contacts(orion.id)).map((c) => [c.name, c.position, c.emails[0]?.value])).toEqual([
      ['Ivan Petrov', 'CEO', 'ivan@orion.test'],
      ['Olga Ivanova', 'CFO', 'olga@orion.test'],
    ]);
    const [vega] = await clientsNamed(lead.client, 'Vega Logistics');
    expect(vega.kind).toBe('company');
    expect((await contacts(vega.id)).map((c) => c.name)).toEqual(['Anna Smith']);
    expect((await contacts(existing.body.client.id)).map((c) => c.name)).toEqual(['Boris Kim']);
    const report = await results(lead.client, job.id);
    expect(report.at(-1)).toMatchObject({ line: 7, outcome: 'failed' });
  });
});

describe('export of client lists', () => {
  it('protects against formula injection, respects visibility, needs client.export and is journaled', async () => {
    const evil = await ann.client.post('/api/clients', {
      kind: 'company',
      name: '=HYPERLINK("http://evil.test","click")',
      tags: ['+cmd', '@sum'],
      phones: [{ value: '-1 555 0100', kind: 'work' }],
    });
    expect(evil.status, evil.text).toBe(201);
    const hidden = await carl.client.post('/api/clients', { kind: 'company', name: 'Carl Private Clients' });
    expect(hidden.status, hidden.text).toBe(201);

    expect((await ann.client.get('/api/clients/export')).status).toBe(403);
    const csv = await lead.client.get('/api/clients/export?format=csv');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('clients.csv');
    expect(csv.text.startsWith('Name,Kind')).toBe(true);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(csv.text).toContain("'+cmd, @sum");
    expect(csv.text).toContain("'-1 555 0100");
    expect(csv.text).not.toContain('Carl Private');
    expect(csv.text).toContain('Orion Trading');
    const owners = await ctx.owner.get('/api/clients/export');
    expect(owners.text).toContain('Carl Private');

    const filtered = await lead.client.get('/api/clients/export?format=csv&q=Orion');
    expect(filtered.text.trim().split('\r\n')).toHaveLength(2);

    const xlsx = await fetch(`${ctx.url}/api/clients/export?format=xlsx&q=HYPERLINK`, {
      headers: { cookie: lead.client.cookieHeader() },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const cell = book.worksheets[0].getRow(2).getCell(1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://evil.test","click")');

    const audit = await ctx.owner.get('/api/audit?action=client.export&limit=10');
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(3);
    expect(audit.body.items.some((e: { comment: string }) => e.comment.includes('"q":"Orion"'))).toBe(true);
  });
});
