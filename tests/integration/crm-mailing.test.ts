import ExcelJS from 'exceljs';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSchema } from '@crewdeck/shared/clients';
import { errorBodySchema } from '@crewdeck/shared/errors';
import { campaignSchema, segmentCountSchema, segmentSchema, type Campaign } from '@crewdeck/shared/mailing';
import { z } from 'zod';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let lead: TestUser; // Lead of Sales: mailing.manage and client.export, sees the group's clients
let ann: TestUser; // Member in Sales: no mailing
let carl: TestUser; // Member outside Sales
let smtp: SMTPServer;
const inbox: ParsedMail[] = [];
/** While set, the SMTP server holds each message until it resolves (to change consent mid-campaign). */
let gate: Promise<void> | null = null;

const granted = (source = 'web form') => ({ granted: true, at: new Date().toISOString(), source });
const refused = () => ({ granted: false, at: new Date().toISOString(), source: 'phone call' });
const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address ?? '';
const inboxOf = (address: string) => inbox.filter((m) => to(m) === address);

async function created(client: HttpClient, path: string, body: unknown) {
  const res = await client.post(path, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function campaignDone(client: HttpClient, id: string): Promise<Campaign> {
  for (let i = 0; i < 300; i += 1) {
    const res = await client.get(`/api/campaigns/${id}`);
    const campaign = z.object({ campaign: campaignSchema }).parse(res.body).campaign;
    if (campaign.status !== 'sending') return campaign;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('campaign did not finish');
}

const tokenOf = (mail: ParsedMail) => /\/unsubscribe\/([A-Za-z0-9._-]+)/.exec(mail.text ?? '')?.[1] ?? '';

let companyId = '';
let c1 = '';

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if (gate) await gate;
          inbox.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.MAIL_FROM = 'Sales <sales@crewdeck.test>';
  ctx = await startTestServer();
  lead = await ctx.newUser('Lead');
  ann = await ctx.newUser('Member');
  carl = await ctx.newUser('Member');
  const group = await ctx.owner.post('/api/groups', { name: 'Sales', members: [lead.user.id, ann.user.id] });
  expect(group.status, group.text).toBe(201);
  for (const u of [lead, ann]) expect((await u.client.login(u.login, u.password)).status).toBe(200);

  const company = await created(ann.client, '/api/clients', {
    kind: 'company',
    name: 'Mailbox Company',
    tags: ['newsletter'],
    emails: [{ value: 'office@mailbox.test', kind: 'work' }],
    phones: [{ value: '+7 912 555-01-01', kind: 'work' }],
    consent: { email: granted(), sms: granted('paper form') },
  });
  companyId = company.client.id;
  const contact = (body: unknown) => created(ann.client, `/api/clients/${companyId}/contacts`, body);
  c1 = (
    await contact({
      name: 'Consenting Carol',
      emails: [{ value: 'carol@mailbox.test', kind: 'work' }],
      consent: { email: granted() },
    })
  ).contact.id;
  await contact({ name: 'Silent Sam', emails: [{ value: 'sam@mailbox.test', kind: 'work' }] });
  await contact({ name: 'Addressless Ada', consent: { email: granted() } });
  await created(ann.client, '/api/clients', {
    kind: 'person',
    name: 'Opted Out Otto',
    tags: ['newsletter'],
    emails: [{ value: 'otto@example.test', kind: 'personal' }],
    consent: { email: refused() },
  });
  await created(carl.client, '/api/clients', {
    kind: 'company',
    name: 'Carl Hidden Co',
    tags: ['newsletter'],
    emails: [{ value: 'hidden@carl.test', kind: 'work' }],
    consent: { email: granted() },
  });
});
afterAll(async () => {
  await ctx?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  delete process.env.SMTP_URL;
  delete process.env.MAIL_FROM;
});

let segmentId = '';

describe('segments', () => {
  it('are managed with mailing.manage, count as the caller sees clients, and journal saves', async () => {
    const filters = { audience: 'both', tag: 'newsletter' };
    expect((await ann.client.get('/api/segments')).status).toBe(403);
    expect((await ann.client.post('/api/segments', { name: 'x', filters })).status).toBe(403);
    const count = segmentCountSchema.parse((await lead.client.post('/api/segments/count', filters)).body);
    expect(count).toEqual({ clients: 2, contacts: 3, reachable: { email: 2, sms: 1 } });
    const owners = segmentCountSchema.parse((await ctx.owner.post('/api/segments/count', filters)).body);
    expect(owners.reachable.email).toBe(3);
    const onlyContacts = segmentCountSchema.parse(
      (await lead.client.post('/api/segments/count', { audience: 'contacts', hasEmail: true })).body,
    );
    expect(onlyContacts).toMatchObject({ clients: 0, contacts: 2 });

    const body = await created(lead.client, '/api/segments', { name: 'Newsletter', filters });
    const segment = segmentSchema.parse(body.segment);
    segmentId = segment.id;
    expect(segment.filters).toEqual(filters);
    const renamed = await lead.client.put(`/api/segments/${segmentId}`, { name: 'Newsletter list', filters });
    expect(renamed.status, renamed.text).toBe(200);
    const list = await lead.client.get('/api/segments');
    expect(list.body.segments.map((s: { name: string }) => s.name)).toContain('Newsletter list');
    const temp = await created(lead.client, '/api/segments', { name: 'Temp', filters: { audience: 'clients' } });
    expect((await lead.client.delete(`/api/segments/${temp.segment.id}`)).status).toBe(200);
    expect((await lead.client.delete(`/api/segments/${temp.segment.id}`)).status).toBe(404);
    const audit = await ctx.owner.get('/api/audit?action=segment.save&limit=10');
    expect(audit.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('exports the reachable people (CSV for SMS, XLSX for email)', async () => {
    const sms = await lead.client.get(`/api/segments/${segmentId}/export?channel=sms&format=csv`);
    expect(sms.status, sms.text).toBe(200);
    const lines = sms.text.trim().split('\r\n');
    expect(lines[0]).toBe('Type,Name,Client,Phone,Consent given,Consent source');
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toContain('+79125550101');
    expect(lines[1]).toContain('paper form');
    const xlsx = await fetch(`${ctx.url}/api/segments/${segmentId}/export?channel=email&format=xlsx`, {
      headers: { cookie: lead.client.cookieHeader() },
    });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const emails: string[] = [];
    book.worksheets[0].eachRow((row, n) => {
      if (n > 1) emails.push(String(row.getCell(4).value));
    });
    expect(emails.sort()).toEqual(['carol@mailbox.test', 'office@mailbox.test']);
  });
});

describe('email campaigns', () => {
  it('refuses SMS without a provider, and forbids people without mailing.manage', async () => {
    const sms = await lead.client.post('/api/campaigns', { segmentId, channel: 'sms', subject: 'Hi', text: 'Hello' });
    expect(sms.status).toBe(400);
    expect(errorBodySchema.parse(sms.body).error.fields).toHaveProperty('channel');
    const forbidden = await ann.client.post('/api/campaigns', { segmentId, subject: 'Hi', text: 'Hello' });
    expect(forbidden.status).toBe(403);
  });

  it('reaches only consenting people with an address, each with a one-click unsubscribe link', async () => {
    const res = await lead.client.post('/api/campaigns', {
      segmentId,
      subject: 'December news',
      text: 'Hello!\n\nOur <b>news</b> & offers.',
      html: true,
    });
    expect(res.status, res.text).toBe(202);
    const done = await campaignDone(lead.client, res.body.campaign.id);
    expect(done).toMatchObject({ status: 'done', total: 2, sent: 2, failed: 0, skipped: 0 });
    expect(inbox.map(to).sort()).toEqual(['carol@mailbox.test', 'office@mailbox.test']);
    const [mail] = inboxOf('carol@mailbox.test');
    expect(mail.subject).toBe('December news');
    expect(mail.from?.text).toContain('sales@crewdeck.test');
    expect(mail.html).toContain('Our &lt;b&gt;news&lt;/b&gt; &amp; offers.');
    const raw = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, '') ?? '';
    expect(raw('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(raw('list-unsubscribe')).toContain(`/api/unsubscribe/${tokenOf(mail)}>`);
    const listed = await lead.client.get('/api/campaigns');
    expect(listed.body.campaigns[0]).toMatchObject({ id: done.id, sent: 2 });
  });

  it('honours the unsubscribe link: GET describes, POST one-click withdraws; forged tokens are refused', async () => {
    const [mail] = inboxOf('carol@mailbox.test');
    const token = tokenOf(mail);
    expect(token.length).toBeGreaterThan(20);
    const anon = ctx.anonymous(null);
    const info = await anon.get(`/api/unsubscribe/${token}`);
    expect(info.status, info.text).toBe(200);
    expect(info.body).toEqual({ channel: 'email', address: 'c***@mailbox.test', done: false });
    // Opening the link changed nothing.
    const contacts = async () =>
      z.array(contactSchema).parse((await lead.client.get(`/api/clients/${companyId}/contacts`)).body.contacts);
    expect((await contacts()).find((c) => c.id === c1)?.consent.email?.granted).toBe(true);

    const flipped = token.slice(0, -3) + (token.at(-3) === 'A' ? 'B' : 'A') + token.slice(-2);
    expect((await anon.post(`/api/unsubscribe/${flipped}`)).status).toBe(404);
    expect((await anon.get(`/api/unsubscribe/v1.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);

    // What a mail client sends for RFC 8058: a form body, no cookie, no Origin.
    const oneClick = await anon.request('POST', `/api/unsubscribe/${token}`, {
      raw: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.status, oneClick.text).toBe(200);
    const carol = (await contacts()).find((c) => c.id === c1);
    expect(carol?.consent.email).toMatchObject({ granted: false, source: 'unsubscribe link' });
    expect((await anon.get(`/api/unsubscribe/${token}`)).body.done).toBe(true);
    expect((await anon.post(`/api/unsubscribe/${token}`)).status).toBe(200);
    const audit = await ctx.owner.get('/api/audit?action=contact.unsubscribe&limit=10');
    expect(audit.body.items).toHaveLength(1);

    inbox.length = 0;
    const again = await lead.client.post('/api/campaigns', { segmentId, subject: 'January', text: 'Hi again' });
    expect(again.status, again.text).toBe(202);
    expect(await campaignDone(lead.client, again.body.campaign.id)).toMatchObject({ total: 1, sent: 1 });
    expect(inbox.map(to)).toEqual(['office@mailbox.test']);
  });

  it('re-checks consent before each batch: who opts out mid-campaign is never sent to', async () => {
    const bulk = await created(lead.client, '/api/clients', {
      kind: 'company',
      name: 'Bulk Recipients',
      tags: ['bulk'],
    });
    const ids: string[] = [];
    for (let i = 0; i < 22; i += 1) {
      const c = await created(lead.client, `/api/clients/${bulk.client.id}/contacts`, {
        name: `Bulk ${i}`,
        emails: [{ value: `bulk${i}@bulk.test`, kind: 'work' }],
        consent: { email: granted() },
      });
      ids.push(c.contact.id);
    }
    const segment = await created(lead.client, '/api/segments', {
      name: 'Bulk',
      filters: { audience: 'contacts', tag: 'bulk' },
    });
    inbox.length = 0;
    const release = Promise.withResolvers<void>();
    gate = release.promise;
    const res = await lead.client.post('/api/campaigns', { segmentId: segment.segment.id, subject: 'Bulk', text: 'x' });
    expect(res.status, res.text).toBe(202);
    // The first batch of 20 is held at the SMTP server; meanwhile the last contact (by name: “Bulk 9”)
    // withdraws consent.
    const withdrawn = await lead.client.patch(`/api/clients/${bulk.client.id}/contacts/${ids[9]}`, {
      consent: { email: refused() },
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    gate = null;
    release.resolve();
    const done = await campaignDone(lead.client, res.body.campaign.id);
    expect(done).toMatchObject({ total: 22, sent: 21, skipped: 1, failed: 0 });
    expect(done.sent + done.skipped + done.failed).toBe(done.total);
    expect(inboxOf('bulk9@bulk.test')).toHaveLength(0);
    expect(inbox).toHaveLength(21);
  });
});
