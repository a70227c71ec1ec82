// Deals (issue 13 §3, §10): the pipeline's stages and outcomes, money in integer minor units,
// optimistic concurrency, visibility through the client, live feed entries, and deals following
// their client through merge, undo and reassignment.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealListSchema, dealResponseSchema, dealSummarySchema, type Deal } from '@crewdeck/shared/deals';
import { errorBodySchema } from '@crewdeck/shared/errors';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, sleep, waitFor, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
let lead: TestUser;
let mia: TestUser;
let max: TestUser;
let outsider: TestUser;
let miaClient: string;
let maxClient: string;
const sockets: RecordingSocket[] = [];
let seq = 0;

beforeAll(async () => {
  ctx = await startTestServer();
  const group = await ctx.owner.post('/api/groups', { name: `Sales ${Date.now().toString(36)}` });
  expect(group.status, group.text).toBe(201);
  const groupId: string = group.body.group?.id ?? group.body.id;
  // Default visibility: Members see their own clients, Leads their groups'.
  lead = await ctx.newUser('Lead', { name: 'Lena Lead', groups: [groupId] });
  mia = await ctx.newUser('Member', { name: 'Mia Member', groups: [groupId] });
  max = await ctx.newUser('Member', { name: 'Max Member' });
  outsider = await ctx.newUser('Member', { name: 'Otto Outsider' });
  miaClient = await newClient(mia.client, 'Alpha Trading');
  maxClient = await newClient(max.client, 'Borealis Mining');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ctx?.close();
});

async function newClient(client: HttpClient, name: string): Promise<string> {
  seq += 1;
  const res = await client.post('/api/clients', { kind: 'company', name: `${name} ${seq}`, force: true });
  expect(res.status, res.text).toBe(201);
  return res.body.client.id;
}

async function newDeal(client: HttpClient, body: Record<string, unknown>): Promise<Deal> {
  const res = await client.post('/api/deals', { title: 'Supply contract', ...body });
  expect(res.status, res.text).toBe(201);
  return dealResponseSchema.parse(res.body).deal;
}

async function move(client: HttpClient, deal: Deal, body: Record<string, unknown>) {
  return client.post(`/api/deals/${deal.id}/move`, { version: deal.version, ...body });
}

async function live(client: HttpClient): Promise<RecordingSocket> {
  const socket = connectSocket(ctx.url, client);
  sockets.push(socket);
  await socket.ready;
  return socket;
}

const fieldsOf = (body: unknown) => errorBodySchema.parse(body).error.fields ?? {};

describe('the pipeline', () => {
  it('creates a deal with the defaults of the first stage, the client’s manager and the first currency', async () => {
    const deal = await newDeal(ctx.owner, { clientId: miaClient, amount: 1_250_000 });
    expect(deal).toMatchObject({
      stage: 'new',
      outcome: 'open',
      probability: 10,
      currency: 'RUB',
      amount: 1_250_000,
      manager: { id: mia.user.id, name: 'Mia Member' },
      client: { id: miaClient },
      closedAt: null,
      version: 0,
    });
    const mine = await newDeal(max.client, { clientId: maxClient, currency: 'USD', expectedCloseDate: '2027-03-31' });
    expect(mine).toMatchObject({ manager: { id: max.user.id }, currency: 'USD', expectedCloseDate: '2027-03-31' });
  });

  it('moves through stages (probability from the stage), wins, and orders within a stage', async () => {
    const a = await newDeal(mia.client, { clientId: miaClient, title: 'A' });
    const b = await newDeal(mia.client, { clientId: miaClient, title: 'B' });
    const movedA = await move(mia.client, a, { stage: 'qualified' });
    expect(movedA.status, movedA.text).toBe(200);
    expect(movedA.body.deal).toMatchObject({ stage: 'qualified', probability: 30, version: 1 });
    const movedB = await move(mia.client, b, { stage: 'qualified', beforeId: a.id });
    expect(movedB.status, movedB.text).toBe(200);
    const list = dealListSchema.parse((await mia.client.get(`/api/deals?stage=qualified&clientId=${miaClient}`)).body);
    expect(list.deals.map((d) => d.title)).toEqual(['B', 'A']);
    // By index: A to the top of the column again.
    const top = await move(mia.client, movedA.body.deal, { stage: 'qualified', position: 0 });
    expect(top.status, top.text).toBe(200);
    const again = dealListSchema.parse((await mia.client.get(`/api/deals?stage=qualified&clientId=${miaClient}`)).body);
    expect(again.deals.map((d) => d.title)).toEqual(['A', 'B']);
    const won = await move(mia.client, top.body.deal, { stage: 'won' });
    expect(won.status, won.text).toBe(200);
    expect(won.body.deal).toMatchObject({ outcome: 'won', probability: 100 });
    expect(won.body.deal.closedAt).toEqual(expect.any(String));
    // Reopening clears the outcome.
    const reopened = await move(mia.client, won.body.deal, { stage: 'proposal' });
    expect(reopened.body.deal).toMatchObject({ outcome: 'open', closedAt: null, probability: 60 });
  });

  it('a lost deal needs a reason, by move and by patch', async () => {
    const deal = await newDeal(mia.client, { clientId: miaClient, title: 'Lost cause' });
    const noReason = await move(mia.client, deal, { stage: 'lost' });
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason.body)).toHaveProperty('reason');
    const blank = await mia.client.patch(`/api/deals/${deal.id}`, { stage: 'lost', reason: '   ', version: 0 });
    expect(blank.status).toBe(400);
    const lost = await move(mia.client, deal, { stage: 'lost', reason: 'Went with a competitor' });
    expect(lost.status, lost.text).toBe(200);
    expect(lost.body.deal).toMatchObject({ outcome: 'lost', closedReason: 'Went with a competitor', probability: 0 });
    const created = await ctx.owner.post('/api/deals', { title: 'Born lost', clientId: miaClient, stage: 'lost' });
    expect(created.status).toBe(400);
  });

  it('amounts are integer minor units; unknown stages and currencies are refused', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: 12.5 }, 'amount'],
      [{ amount: -1 }, 'amount'],
      [{ amount: '100' }, 'amount'],
      [{ stage: 'nope' }, 'stage'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ currency: 'usd' }, 'currency'],
      [{ probability: 101 }, 'probability'],
      [{ expectedCloseDate: '31.03.2027' }, 'expectedCloseDate'],
    ];
    for (const [extra, field] of cases) {
      const res = await ctx.owner.post('/api/deals', { title: 'Bad', clientId: miaClient, ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(Object.keys(fieldsOf(res.body)).join(), JSON.stringify(extra)).toContain(field);
    }
    const deal = await newDeal(ctx.owner, { clientId: miaClient });
    const patch = await ctx.owner.patch(`/api/deals/${deal.id}`, { amount: 0.1, version: deal.version });
    expect(patch.status).toBe(400);
    const badMove = await move(ctx.owner, deal, { stage: 'nope' });
    expect(badMove.status).toBe(400);
  });

  it('a stale version answers 409 with the deal as it is now', async () => {
    const deal = await newDeal(mia.client, { clientId: miaClient, title: 'Contested' });
    const first = await mia.client.patch(`/api/deals/${deal.id}`, { amount: 500, version: deal.version });
    expect(first.status, first.text).toBe(200);
    const second = await ctx.owner.patch(`/api/deals/${deal.id}`, { amount: 900, version: deal.version });
    expect(second.status).toBe(409);
    const current = errorBodySchema.parse(second.body).error.current as { deal: Deal };
    expect(current.deal).toMatchObject({ id: deal.id, amount: 500, version: 1 });
    const staleMove = await move(ctx.owner, deal, { stage: 'won' });
    expect(staleMove.status).toBe(409);
    const racing = await Promise.all([
      move(mia.client, current.deal, { stage: 'proposal' }),
      move(ctx.owner, current.deal, { stage: 'negotiation' }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('journals create, update and delete with old → new', async () => {
    const deal = await newDeal(ctx.owner, { clientId: miaClient, title: 'Journaled', amount: 100 });
    const patched = await ctx.owner.patch(`/api/deals/${deal.id}`, { amount: 250, version: deal.version });
    expect(patched.status, patched.text).toBe(200);
    const removed = await ctx.owner.delete(`/api/deals/${deal.id}`);
    expect(removed.status, removed.text).toBe(200);
    expect((await ctx.owner.get(`/api/deals/${deal.id}`)).status).toBe(404);
    const audit = await ctx.owner.get('/api/audit?limit=20');
    expect(audit.status, audit.text).toBe(200);
    const text = JSON.stringify(audit.body);
    for (const action of ['deal.create', 'deal.update', 'deal.delete']) expect(text).toContain(action);
    expect(text).toMatch(/"from":100,"to":250/);
  });
});

describe('visibility through the client', () => {
  it('a Member with own visibility neither sees nor moves another manager’s deal (404)', async () => {
    const deal = await newDeal(mia.client, { clientId: miaClient, title: 'Mia only' });
    expect((await max.client.get(`/api/deals/${deal.id}`)).status).toBe(404);
    expect((await move(max.client, deal, { stage: 'won' })).status).toBe(404);
    expect((await max.client.patch(`/api/deals/${deal.id}`, { title: 'Mine now', version: 0 })).status).toBe(404);
    expect((await max.client.delete(`/api/deals/${deal.id}`)).status).toBe(404);
    expect((await max.client.post('/api/deals', { title: 'Sneaky', clientId: miaClient })).status).toBe(404);
    const list = dealListSchema.parse((await max.client.get('/api/deals')).body);
    expect(list.deals.every((d) => d.client.id === maxClient)).toBe(true);
    const unknown = await max.client.get('/api/deals/0123456789abcdef01234567');
    expect(unknown.status).toBe(404);
  });

  it('a Lead sees and moves their group’s deals, not others’', async () => {
    const miaDeal = await newDeal(mia.client, { clientId: miaClient, title: 'Group deal' });
    const maxDeal = await newDeal(max.client, { clientId: maxClient, title: 'Not the group’s' });
    const list = dealListSchema.parse((await lead.client.get('/api/deals')).body);
    const ids = list.deals.map((d) => d.id);
    expect(ids).toContain(miaDeal.id);
    expect(ids).not.toContain(maxDeal.id);
    expect(list.deals.find((d) => d.id === miaDeal.id)?.abilities).toEqual({ update: true, delete: true });
    expect((await move(lead.client, miaDeal, { stage: 'qualified' })).status).toBe(200);
    expect((await lead.client.get(`/api/deals/${maxDeal.id}`)).status).toBe(404);
  });

  it('filters by manager, outcome and text (regex characters are literal)', async () => {
    await newDeal(mia.client, { clientId: miaClient, title: 'Price (a+b)* special' });
    const mine = dealListSchema.parse((await mia.client.get('/api/deals?managerId=me')).body);
    expect(mine.deals.every((d) => d.manager?.id === mia.user.id)).toBe(true);
    const q = dealListSchema.parse((await mia.client.get(`/api/deals?q=${encodeURIComponent('(a+b)*')}`)).body);
    expect(q.deals.map((d) => d.title)).toEqual(['Price (a+b)* special']);
    const open = dealListSchema.parse((await mia.client.get('/api/deals?outcome=open')).body);
    expect(open.deals.every((d) => d.outcome === 'open')).toBe(true);
    expect(open.stages.map((s) => s.key)).toContain('won');
  });

  it('reassigning the client moves its deals’ visibility with it', async () => {
    const clientId = await newClient(mia.client, 'Cobalt Logistics');
    const deal = await newDeal(mia.client, { clientId, title: 'Handed over' });
    const assigned = await ctx.owner.post('/api/clients/assign', { clientIds: [clientId], managerId: max.user.id });
    expect(assigned.status, assigned.text).toBe(200);
    const maxList = dealListSchema.parse((await max.client.get('/api/deals')).body);
    expect(maxList.deals.map((d) => d.id)).toContain(deal.id);
    const miaList = dealListSchema.parse((await mia.client.get('/api/deals')).body);
    expect(miaList.deals.map((d) => d.id)).not.toContain(deal.id);
  });
});

describe('live feed and notifications', () => {
  it('stage changes, wins and losses reach the manager and the lead live, never an outsider', async () => {
    const [miaLive, leadLive, otherLive] = await Promise.all([
      live(mia.client),
      live(lead.client),
      live(outsider.client),
    ]);
    const deal = await newDeal(mia.client, {
      clientId: miaClient,
      title: 'Live deal',
      amount: 99_900,
      currency: 'EUR',
    });
    const moved = await move(mia.client, deal, { stage: 'proposal' });
    expect(moved.status, moved.text).toBe(200);
    const won = await move(ctx.owner, moved.body.deal, { stage: 'won' });
    expect(won.status, won.text).toBe(200);
    const ofDeal = (s: RecordingSocket) => s.feed.filter((e) => e.resource.id === deal.id);
    await waitFor(
      () => ofDeal(miaLive).length >= 3 && ofDeal(leadLive).length >= 3,
      5000,
      () => 'deal entries',
    );
    expect(ofDeal(miaLive).map((e) => e.type)).toEqual(['deal.created', 'deal.stageChanged', 'deal.won']);
    const [, changed, winEntry] = ofDeal(miaLive);
    expect(changed.data).toMatchObject({
      title: 'Live deal',
      clientId: miaClient,
      stage: 'proposal',
      stageLabel: 'Proposal',
      fromStage: 'new',
    });
    expect(String(changed.data.clientName)).toContain('Alpha Trading');
    expect(winEntry.data).toMatchObject({ amount: 99_900, currency: 'EUR', stage: 'won' });
    // The owner closed Mia's client's deal: she is notified.
    await waitFor(
      () => miaLive.notifications.length >= 1,
      5000,
      () => 'dealWon notification',
    );
    expect(JSON.stringify(miaLive.notifications)).toContain('dealWon');
    await sleep(200);
    expect(otherLive.feed.filter((e) => e.resource.kind === 'deal')).toEqual([]);
    expect(otherLive.notifications).toEqual([]);
    const lost = await newDeal(mia.client, { clientId: miaClient, title: 'Live loss' });
    expect((await move(mia.client, lost, { stage: 'lost', reason: 'Budget cut' })).status).toBe(200);
    await waitFor(() => ofDeal(leadLive).length >= 2 && leadLive.feed.some((e) => e.type === 'deal.lost'), 5000);
    expect(leadLive.feed.find((e) => e.type === 'deal.lost')?.data).toMatchObject({ reason: 'Budget cut' });
  });

  it('summarizes won deals per currency for a period', async () => {
    const clientId = await newClient(ctx.owner, 'Summit Partners');
    const today = new Date().toISOString().slice(0, 10);
    for (const [amount, currency] of [
      [1000, 'USD'],
      [2500, 'USD'],
      [700, 'EUR'],
    ] as const) {
      const deal = await newDeal(ctx.owner, { clientId, amount, currency, managerId: outsider.user.id });
      expect((await move(ctx.owner, deal, { stage: 'won' })).status).toBe(200);
    }
    const res = await ctx.owner.get(`/api/deals/summary?from=${today}&to=${today}&managerId=${outsider.user.id}`);
    expect(res.status, res.text).toBe(200);
    const summary = dealSummarySchema.parse(res.body);
    expect(summary.won).toEqual({
      count: 3,
      byCurrency: [
        { currency: 'EUR', count: 1, amount: 700 },
        { currency: 'USD', count: 2, amount: 3500 },
      ],
    });
    const past = dealSummarySchema.parse(
      (await ctx.owner.get(`/api/deals/summary?from=2020-01-01&to=2020-12-31&managerId=${outsider.user.id}`)).body,
    );
    expect(past.won.count).toBe(0);
    // Max sees none of these (own visibility), whatever he asks.
    const maxView = dealSummarySchema.parse(
      (await max.client.get(`/api/deals/summary?from=${today}&to=${today}&managerId=${outsider.user.id}`)).body,
    );
    expect(maxView.won.count).toBe(0);
  });
});

describe('deals follow their client', () => {
  it('a merge moves the deals to the kept client; undo moves them back', async () => {
    const keep = await newClient(ctx.owner, 'Delta Keep');
    const absorbed = await newClient(ctx.owner, 'Echo Absorbed');
    const deal = await newDeal(ctx.owner, { clientId: absorbed, title: 'Moves along' });
    const merged = await ctx.owner.post('/api/clients/merge', { keepId: keep, mergeId: absorbed });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body.merge.moved.deals).toBe(1);
    const after = dealResponseSchema.parse((await ctx.owner.get(`/api/deals/${deal.id}`)).body).deal;
    expect(after.client.id).toBe(keep);
    const undone = await ctx.owner.post(`/api/clients/merges/${merged.body.merge.id}/undo`, {});
    expect(undone.status, undone.text).toBe(200);
    const back = dealResponseSchema.parse((await ctx.owner.get(`/api/deals/${deal.id}`)).body).deal;
    expect(back.client.id).toBe(absorbed);
  });
});

describe('search', () => {
  it('the one search box finds a deal by its title, for those who see its client only', async () => {
    const deal = await newDeal(mia.client, { clientId: miaClient, title: 'Zanzibar turbines' });
    const found = await mia.client.get('/api/search?q=zanzibar&kinds=deal');
    expect(found.status, found.text).toBe(200);
    expect(found.body.results.map((r: { id: string }) => r.id)).toContain(deal.id);
    const hidden = await max.client.get('/api/search?q=zanzibar&kinds=deal');
    expect(hidden.body.results ?? []).toEqual([]);
    expect((await mia.client.delete(`/api/deals/${deal.id}`)).status).toBe(200);
    const gone = await mia.client.get('/api/search?q=zanzibar&kinds=deal');
    expect(gone.body.results).toEqual([]);
  });
});

describe('hostile input', () => {
  it('keeps markup in titles as text and refuses NUL and lone surrogates', async () => {
    const title = '<img src=x onerror=alert(1)> "Deal" & {{7*7}} ${x}';
    const deal = await newDeal(mia.client, { clientId: miaClient, title });
    expect(deal.title).toBe(title);
    for (const bad of ['a\u0000b', 'x\ud800y', '', ' '.repeat(3), 'x'.repeat(201)]) {
      const res = await mia.client.post('/api/deals', { title: bad, clientId: miaClient });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    const extra = await mia.client.post('/api/deals', { title: 'x', clientId: miaClient, outcome: 'won' });
    expect(extra.status).toBe(400);
    // Operator syntax in the query is never an operator: refused or ignored, never widening the list.
    const injected = await mia.client.get(`/api/deals?clientId[$ne]=x&managerId[$ne]=x`);
    expect([200, 400]).toContain(injected.status);
    if (injected.status === 200)
      expect(dealListSchema.parse(injected.body).deals.every((d) => d.client.id === miaClient)).toBe(true);
    const badId = await mia.client.get('/api/deals/%7B%22%24ne%22%3A1%7D');
    expect(badId.status).toBe(400);
  });
});

describe('export of the deals list', () => {
  const evilTitle = '=HYPERLINK("http://evil.test","click")';

  it('downloads CSV (BOM, decimal amounts, ISO dates) and XLSX, formulas neutralised, journaled', async () => {
    await newDeal(ctx.owner, {
      clientId: miaClient,
      title: evilTitle,
      amount: 1_250_050,
      currency: 'USD',
      expectedCloseDate: '2027-05-01',
    });
    const csv = await ctx.owner.get('/api/deals/export?format=csv&q=HYPERLINK');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('deals.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'Title,Client,Stage,Outcome,Amount,Currency,"Probability, %",Expected close,Manager,Closed,Lost reason,Created',
    );
    expect(lines[1].startsWith(`"'=HYPERLINK(""http://evil.test"",""click"")",Alpha Trading`)).toBe(true);
    expect(lines[1]).toContain(',open,12500.50,USD,10,2027-05-01,Mia Member,,,');
    expect(lines[1]).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const raw = await fetch(`${ctx.url}/api/deals/export?format=csv&q=HYPERLINK`, {
      headers: { cookie: ctx.owner.cookieHeader() },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const xlsx = await fetch(`${ctx.url}/api/deals/export?format=xlsx&q=HYPERLINK`, {
      headers: { cookie: ctx.owner.cookieHeader() },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(xlsx.headers.get('content-disposition')).toContain('deals.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const row = book.worksheets[0].getRow(2);
    expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(1).value).toBe(evilTitle);
    expect(row.getCell(5).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(5).value).toBe(12500.5);
    expect(row.getCell(6).value).toBe('USD');
    expect(book.worksheets[0].rowCount).toBe(2);

    const audit = await ctx.owner.get('/api/audit?action=client.export&limit=10');
    expect(audit.status, audit.text).toBe(200);
    const entries: { comment: string }[] = audit.body.items;
    expect(
      entries.some((e) => e.comment.includes('Deals: 1 rows, XLSX') && e.comment.includes('"q":"HYPERLINK"')),
    ).toBe(true);
  });

  it('needs client.export (403 for a Tester and a Member by default)', async () => {
    const tester = await ctx.newUser('Tester');
    expect((await tester.client.get('/api/deals/export')).status).toBe(403);
    expect((await max.client.get('/api/deals/export')).status).toBe(403);
  });

  it('a Member with own visibility exports only the deals of their own clients, as their board lists', async () => {
    const table = (await ctx.owner.get('/api/permissions')).body.matrix;
    const granted = await ctx.owner.put('/api/permissions', {
      matrix: { ...table, Member: [...table.Member, 'client.export'] },
    });
    expect(granted.status, granted.text).toBe(200);
    const own = await newClient(max.client, 'Export Own');
    await newDeal(max.client, { clientId: own, title: 'Exported own deal' });
    await newDeal(mia.client, { clientId: miaClient, title: 'Exported hidden deal' });
    const csv = await max.client.get('/api/deals/export?format=csv');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text).toContain('Exported own deal');
    expect(csv.text).not.toContain('Exported hidden deal');
    expect(csv.text).not.toContain('Alpha Trading');
    const board = dealListSchema.parse((await max.client.get('/api/deals')).body);
    expect(csv.text.trim().split('\r\n')).toHaveLength(board.deals.length + 1);
  });
});
