import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientResponseSchema, contactSchema } from '@crewdeck/shared/clients';
import { searchResponseSchema, type SearchResult } from '@crewdeck/shared/search';
import { SearchIndex } from '../../server/src/search/search-index.ts';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let ann: TestUser; // Member ('own' visibility by default)
let carl: TestUser; // Member
let guest: TestUser; // External: no client.read, no people.read
let romashkaId: string;
let vasilekId: string;
let contactId: string;
let carlsClientId: string;

async function createClient(client: HttpClient, body: Record<string, unknown>): Promise<string> {
  const res = await client.post('/api/clients', { force: true, forceReason: 'search test', ...body });
  expect(res.status, res.text).toBe(201);
  return clientResponseSchema.parse(res.body).client.id;
}

async function search(client: HttpClient, q: string, extra = ''): Promise<SearchResult[]> {
  const res = await client.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status, `${q}: ${res.text}`).toBe(200);
  return searchResponseSchema.parse(res.body).results;
}

const ids = (results: SearchResult[], kind?: SearchResult['kind']) =>
  results.filter((r) => !kind || r.kind === kind).map((r) => r.id);

beforeAll(async () => {
  ctx = await startTestServer();
  ann = await ctx.newUser('Member', { name: 'Annika Quorvath' });
  carl = await ctx.newUser('Member', { name: 'Carl Zintermann' });
  guest = await ctx.newUser('External', { name: 'Gus Outsider' });
  romashkaId = await createClient(ctx.owner, {
    kind: 'company',
    name: 'ООО «Ромашка»',
    legalForm: 'ООО',
    phones: [{ value: '+7 (912) 345-67-89', kind: 'work' }],
    emails: [{ value: 'Info@Romashka-Shop.RU', kind: 'work' }],
  });
  vasilekId = await createClient(ctx.owner, {
    kind: 'company',
    name: 'Vasilek LLC',
    phones: [{ value: '8 (495) 765-43-21', kind: 'work' }],
  });
  const contact = await ctx.owner.post(`/api/clients/${romashkaId}/contacts`, {
    name: 'Иван Петров',
    position: 'Директор',
    phones: [{ value: '+98 912 111 2233', kind: 'mobile' }],
    emails: [{ value: 'Ivan.Petrov@Example.com', kind: 'work' }],
  });
  expect(contact.status, contact.text).toBe(201);
  contactId = contactSchema.parse((contact.body as { contact: unknown }).contact).id;
  carlsClientId = await createClient(carl.client, {
    kind: 'company',
    name: 'Carlsberg Zeta',
    phones: [{ value: '+7 916 000-11-22', kind: 'work' }],
  });
  // Until the clients service writes its entries itself, the rebuild makes them.
  const counts = await new SearchIndex().reindexAll();
  expect(counts.clients).toBeGreaterThanOrEqual(3);
  expect(counts.contacts).toBeGreaterThanOrEqual(1);
});
afterAll(async () => {
  await ctx?.close();
});

describe('phones in any format', () => {
  const formats = [
    '8 912 345-67-89',
    '+7 (912) 345 67 89',
    '9123456789',
    '89123456789',
    '+79123456789',
    '7 912 3456789',
    '8(912)3456789',
    '+7-912-345-67-89',
    '912 345 67 89',
    '(912) 345-67-89',
    '+7 912 345-6789',
    '8.912.345.67.89',
    '۹۱۲۳۴۵۶۷۸۹',
    '  8 912 345 67 89  ',
  ];
  it.each(formats)('finds the client by %s', async (q) => {
    expect(ids(await search(ctx.owner, q), 'client')).toContain(romashkaId);
  });

  const fragments = ['6789', '345-67', '4567', '912345', '7912', '8912', '79123', '345 67 89', '67-89'];
  it.each(fragments)('finds it by the fragment %s (with or without the country code)', async (q) => {
    expect(ids(await search(ctx.owner, q), 'client')).toContain(romashkaId);
  });

  it('does not match other digits or fragments shorter than four digits', async () => {
    expect(ids(await search(ctx.owner, '5555'), 'client')).not.toContain(romashkaId);
    expect(ids(await search(ctx.owner, '+7 912 345-67-80'), 'client')).not.toContain(romashkaId);
    expect(ids(await search(ctx.owner, '789'), 'client')).toEqual([]);
  });

  it('finds a contact by an Iranian number typed nationally and internationally', async () => {
    for (const q of ['0912 111 2233', '+989121112233', '00989121112233', '2233', '111 22']) {
      const results = await search(ctx.owner, q);
      const hit = results.find((r) => r.id === contactId);
      expect(hit, q).toBeDefined();
      expect(hit?.href).toBe(`/clients/${romashkaId}`);
      expect(hit?.clientId).toBe(romashkaId);
    }
  });
});

describe('emails and names', () => {
  it('finds e-mails whatever the case, by their start and by their domain', async () => {
    for (const q of ['ivan.petrov@example.com', 'IVAN.PETROV@EXAMPLE.COM', 'Ivan.Pet', '@example.co']) {
      expect(ids(await search(ctx.owner, q), 'contact'), q).toContain(contactId);
    }
    expect(ids(await search(ctx.owner, 'info@romashka-shop.ru'), 'client')).toContain(romashkaId);
    expect(ids(await search(ctx.owner, 'INFO@ROMASHKA'), 'client')).toContain(romashkaId);
    expect(ids(await search(ctx.owner, 'other@romashka-shop.ru'), 'client')).not.toContain(romashkaId);
    // The address's local part is searchable as words: "info" alone finds it.
    expect(ids(await search(ctx.owner, 'info'), 'client')).toContain(romashkaId);
  });

  it.each(['ООО «Ромашка»', 'Romashka LLC', 'ромашка', 'Ромаш', 'РОМАШКА', '"Ромашка"', 'ООО Ромашка', 'romashka'])(
    'finds the company by %s',
    async (q) => {
      const results = await search(ctx.owner, q);
      expect(ids(results, 'client'), q).toContain(romashkaId);
      expect(results.find((r) => r.id === romashkaId)?.href).toBe(`/clients/${romashkaId}`);
    },
  );

  it.each(['Василек', 'Василёк', 'vasilek', 'Vasil', 'ООО Василек'])('finds a Latin-named company by %s', async (q) => {
    expect(ids(await search(ctx.owner, q), 'client')).toContain(vasilekId);
  });

  it('finds contacts by their name in either script, words in any order', async () => {
    for (const q of ['Петров', 'petrov', 'Иван Петров', 'Petrov Ivan', 'пет'])
      expect(ids(await search(ctx.owner, q), 'contact'), q).toContain(contactId);
    expect(ids(await search(ctx.owner, 'Петров Сидор'), 'contact')).not.toContain(contactId);
  });

  it('restricts to the asked kinds', async () => {
    const results = await search(ctx.owner, 'Петров', '&kinds=client');
    expect(results.every((r) => r.kind === 'client')).toBe(true);
    expect(ids(await search(ctx.owner, 'Ромашка', '&kinds=contact,client'), 'client')).toContain(romashkaId);
  });
});

describe('visibility', () => {
  it("a Member with 'own' visibility does not find others' clients or their contacts", async () => {
    for (const q of ['Ромашка', '9123456789', '6789', 'Петров', 'ivan.petrov@example.com', 'Vasilek']) {
      const results = await search(ann.client, q);
      expect(
        results.filter((r) => r.clientId !== null),
        q,
      ).toEqual([]);
    }
  });

  it('the responsible manager and the Owner find the Member’s own client', async () => {
    expect(ids(await search(carl.client, 'Carlsberg'), 'client')).toEqual([carlsClientId]);
    expect(ids(await search(carl.client, '000-11-22'), 'client')).toEqual([carlsClientId]);
    expect(ids(await search(ctx.owner, 'Carlsberg'), 'client')).toContain(carlsClientId);
    expect(ids(await search(ann.client, 'Carlsberg'), 'client')).toEqual([]);
  });

  it('a role without client.read gets no CRM results at all', async () => {
    const results = await search(guest.client, 'Ромашка');
    expect(results.filter((r) => r.clientId !== null)).toEqual([]);
  });

  it('people are found only with people.read', async () => {
    const asMember = await search(ann.client, 'Zintermann');
    expect(asMember.filter((r) => r.kind === 'person').map((r) => r.id)).toEqual([carl.user.id]);
    const asGuest = await search(guest.client, 'Zintermann');
    expect(asGuest.filter((r) => r.kind === 'person')).toEqual([]);
  });

  it('tasks only from projects the caller may read', async () => {
    const mine = await ctx.newProject({ members: [{ user: ann, role: 'member' }] });
    const theirs = await ctx.newProject();
    for (const project of [mine, theirs]) {
      const res = await ctx.owner.post(`/api/projects/${project.id}/tasks`, {
        title: `Quasarbeam rollout ${project.code}`,
      });
      expect(res.status, res.text).toBe(201);
    }
    const asAnn = (await search(ann.client, 'quasarbeam')).filter((r) => r.kind === 'task');
    expect(asAnn.map((r) => r.subtitle.split('-')[0])).toEqual([mine.code]);
    expect(asAnn[0].href).toMatch(new RegExp(`^/projects/${mine.id}/tasks/`));
    const asOwner = (await search(ctx.owner, 'Quasarbeam')).filter((r) => r.kind === 'task');
    expect(asOwner).toHaveLength(2);
    // By code too.
    const code = asAnn[0].subtitle;
    expect((await search(ann.client, code.toLowerCase())).some((r) => r.kind === 'task' && r.subtitle === code)).toBe(
      true,
    );
    const theirCode = `${theirs.code}-1`;
    expect((await search(ann.client, theirCode)).some((r) => r.kind === 'task')).toBe(false);
  });
});

describe('hostile input', () => {
  it.each(['.*', '(((', '[a-z]+', '$where', '\\', '{"$gt":""}', '^', '%', '* ? +', 'a', 'ё'])(
    '%s is just text',
    async (q) => {
      const results = await search(ctx.owner, q);
      expect(results.filter((r) => r.kind === 'client')).toEqual([]);
    },
  );

  it('refuses an empty, missing, too long or control-character query and bad options with 400', async () => {
    for (const path of [
      '/api/search?q=',
      '/api/search',
      `/api/search?q=${'9'.repeat(10_000)}`,
      `/api/search?q=${encodeURIComponent('a\u0000b')}`,
      '/api/search?q=abc&kinds=secrets',
      '/api/search?q=abc&limit=100000',
      '/api/search?q=abc&limit=-1',
      '/api/search?q=abc&extra=1',
    ]) {
      const res = await ctx.owner.get(path);
      expect(res.status, path).toBe(400);
    }
  });

  it('answers 401 without a session', async () => {
    expect((await ctx.anonymous().get('/api/search?q=Ромашка')).status).toBe(401);
  });

  it('a query of many words stays an index lookup and answers', async () => {
    const q = Array.from({ length: 40 }, (_, i) => `слово${i}`).join(' ');
    expect(await search(ctx.owner, q.slice(0, 200))).toEqual([]);
  });
});
