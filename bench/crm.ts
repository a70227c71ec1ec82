/**
 * CRM benchmark (issue 13). The real server (embedded store, quiet) runs in this process; real
 * HTTP clients talk to it over loopback. The workspace is seeded straight through the models
 * (the same documents the services write, with their duplicate keys and search entries):
 * 50,000 clients, 100,000 contacts and 200,000 interactions. Then:
 *  1. search p50/p99 by phone fragment, email and company name through `GET /api/search`,
 *     against the bare index lookup (the floor) and a regex scan of the clients (the naive way);
 *  2. the duplicate check on create: `POST /api/clients` that answers 409, against the same
 *     create with `force: true` (no check) — the difference is the check;
 *  3. an import of 10,000 CSV rows through the import API, against inserting the same clients
 *     with a bare `insertMany`;
 *  4. duplicate detection quality on 1,000 true pairs and 1,000 near-misses (bench/crm-pairs.ts).
 * Run: `node bench/crm.ts` (sizes can be scaled down with CRM_BENCH_SCALE=0.1 for a quick look).
 */
import mongoose from 'mongoose';
import { defaultCrmSettings, type CreateClient } from '@crewdeck/shared/clients';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { startServer } from '../server/src/app.ts';
import { clientFieldsFrom } from '../server/src/clients/client-fields.ts';
import { ClientModel, ContactModel } from '../server/src/clients/clients.model.ts';
import { InteractionModel } from '../server/src/interactions/interactions.model.ts';
import { SearchIndex } from '../server/src/search/search-index.ts';
import { SearchEntryModel } from '../server/src/search/search.model.ts';
import { UserModel } from '../server/src/users/users.model.ts';
import { HttpClient } from '../tests/support/http.ts';
import { generatePairs, measureQuality } from './crm-pairs.ts';
import { percentiles, round } from './support.ts';

const SCALE = Number(process.env.CRM_BENCH_SCALE ?? 1);
const CLIENTS = Math.round(50_000 * SCALE);
const CONTACTS = Math.round(100_000 * SCALE);
const INTERACTIONS = Math.round(200_000 * SCALE);
const IMPORT_ROWS = Math.round(10_000 * Math.max(SCALE, 0.1));
const QUERIES = 100;
const CREATES = 100;
const MANAGERS = 20;
const PASSWORD = 'bench-password-123';

interface Row {
  figure: string;
  value: string;
  baseline: string;
  target: string;
  pass: boolean | null;
}
const rows: Row[] = [];
const ms = (n: number) => `${round(n, 1)} ms`;

/** A seeded pseudo-random generator (mulberry32), so every run builds the same workspace. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261206);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
/** `CRM_BENCH_ONLY=import` runs only the seeding and the import (to look at one figure). */
const ONLY = process.env.CRM_BENCH_ONLY ?? '';

const roots = [
  'Ромаш',
  'Берёз',
  'Север',
  'Техно',
  'Строй',
  'Агро',
  'Мега',
  'Вектор',
  'Альфа',
  'Гранит',
  'Сигма',
  'Орион',
];
const tails = ['ка', 'ин', 'пром', 'сервис', 'трейд', 'лайн', 'маш', 'комплект', 'снаб', 'инвест', 'логистик', 'медиа'];
const forms = ['ООО', 'АО', 'ИП', 'LLC', 'GmbH', ''];
const first = ['Иван', 'Ольга', 'Анна', 'Сергей', 'Maryam', 'Reza', 'John', 'Emma', 'Дмитрий', 'Елена'];
const last = ['Петров', 'Смирнова', 'Иванов', 'Ahmadi', 'Karimi', 'Smith', 'Müller', 'Кузнецова', 'Попов', 'Соколов'];

/** The i-th client: a distinct company name, phone and email. */
function clientInput(i: number): CreateClient {
  // Derived from i alone, so the benchmark can ask for the i-th client by name later.
  const at = (list: readonly string[], salt: number) => list[(i * 7919 + salt * 104729) % list.length];
  const name = `${at(roots, 1)}${at(tails, 2)} ${i}`;
  const form = at(forms, 3);
  return {
    kind: 'company',
    name: form && form !== 'ИП' ? `${form} «${name}»` : name,
    legalForm: form || undefined,
    phones: [
      {
        value: `+7 9${String(10 + (i % 90))} ${String(1_000_000 + i).slice(1, 4)}-${String(i).padStart(4, '0').slice(-4, -2)}-${String(i).padStart(2, '0').slice(-2)}`,
        kind: 'work',
      },
    ],
    emails: [{ value: `office${i}@firm${i}.example`, kind: 'work' }],
    website: `https://firm${i}.example`,
  };
}

async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function seedManagers() {
  const passwordHash = await hashPassword(PASSWORD);
  const docs = Array.from({ length: MANAGERS }, (_, i) => ({
    code: `USR-B${i}`,
    name: `Manager ${i}`,
    login: `manager${i}@bench.test`,
    passwordHash,
    role: 'Member',
    mustChangePassword: false,
  }));
  return UserModel.insertMany(docs);
}

async function seedClients(managers: { _id: mongoose.Types.ObjectId }[]) {
  const ids: mongoose.Types.ObjectId[] = [];
  for (let start = 0; start < CLIENTS; start += 2000) {
    const docs = [];
    for (let i = start; i < Math.min(CLIENTS, start + 2000); i++) {
      const manager = managers[i % managers.length];
      docs.push({
        code: `CLI-${i + 1}`,
        ...clientFieldsFrom(defaultCrmSettings, clientInput(i)),
        managerId: manager._id,
        groupIds: [],
        contactCount: 2,
        lastInteractionAt: null,
        mergedInto: null,
        createdBy: manager._id,
      });
    }
    const inserted = await ClientModel.insertMany(docs, { lean: true });
    ids.push(...inserted.map((d) => d._id as mongoose.Types.ObjectId));
  }
  await mongoose.connection
    .collection('counters')
    .updateOne({ _id: 'CLI' as never }, { $set: { seq: CLIENTS } }, { upsert: true });
  return ids;
}

async function seedContacts(clientIds: mongoose.Types.ObjectId[]) {
  for (let start = 0; start < CONTACTS; start += 5000) {
    const docs = [];
    for (let i = start; i < Math.min(CONTACTS, start + 5000); i++) {
      docs.push({
        clientId: clientIds[i % clientIds.length],
        name: `${pick(first)} ${pick(last)}`,
        position: 'Manager',
        phones: [
          { value: `+7 495 ${String(i).padStart(7, '0')}`, kind: 'work', e164: `+7495${String(i).padStart(7, '0')}` },
        ],
        emails: [{ value: `person${i}@mail${i % 997}.example`, kind: 'work' }],
        note: '',
        consent: { email: null, sms: null },
        movedFrom: null,
      });
    }
    await ContactModel.insertMany(docs, { lean: true });
  }
}

async function seedInteractions(clientIds: mongoose.Types.ObjectId[], managers: { _id: mongoose.Types.ObjectId }[]) {
  const kinds = ['call', 'meeting', 'email', 'message', 'note'] as const;
  const year = 365 * 86_400_000;
  for (let start = 0; start < INTERACTIONS; start += 5000) {
    const docs = [];
    for (let i = start; i < Math.min(INTERACTIONS, start + 5000); i++) {
      const manager = managers[i % managers.length];
      docs.push({
        kind: kinds[i % kinds.length],
        clientId: clientIds[i % clientIds.length],
        access: { managerId: manager._id, groupIds: [] },
        occurredAt: new Date(Date.now() - random() * year),
        direction: null,
        durationMinutes: 5,
        subject: `Discussed order ${i}`,
        notes: '',
        result: 'completed',
        managerId: manager._id,
        authorId: manager._id,
        contactId: null,
        dealId: null,
        taskId: null,
        followUp: null,
      });
    }
    await InteractionModel.insertMany(docs, { lean: true });
  }
}

function record(figure: string, samples: number[], baseline: string, target: number | null) {
  const p = percentiles(samples);
  rows.push({
    figure,
    value: `p50 ${ms(p.p50)} · p99 ${ms(p.p99)}`,
    baseline,
    target: target === null ? '—' : `p99 < ${target} ms`,
    pass: target === null ? null : p.p99 < target,
  });
  return p;
}

async function main() {
  const server = await startServer({ port: 0, quiet: true, adminLogin: 'owner@bench.test', adminPassword: PASSWORD });
  const owner = new HttpClient(server.url);
  await owner.login('owner@bench.test', PASSWORD);
  try {
    let t0 = performance.now();
    const managers = await seedManagers();
    const clientIds = await seedClients(managers);
    await seedContacts(clientIds);
    await seedInteractions(clientIds, managers);
    const seedSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const index = new SearchIndex();
    await index.reindexAll();
    const indexSeconds = (performance.now() - t0) / 1000;
    console.log(
      `seeded ${CLIENTS} clients, ${CONTACTS} contacts, ${INTERACTIONS} interactions in ${round(seedSeconds, 1)} s; ` +
        `search index of clients and contacts built in ${round(indexSeconds, 1)} s (${await SearchEntryModel.estimatedDocumentCount()} entries)`,
    );

    if (ONLY !== 'import') await searchAndCreate(owner, clientIds);
    await importAndQuality(owner, server.url);
  } finally {
    await server.close();
  }
  printRows();
}

async function searchAndCreate(owner: HttpClient, clientIds: mongoose.Types.ObjectId[]) {
  {
    // 1. Search.
    const sample = (n: number) => Array.from({ length: n }, () => Math.floor(random() * CLIENTS));
    const picks = sample(QUERIES);
    const inputs = picks.map(clientInput);
    const fragments = inputs.map((c) => (c.phones?.[0].value ?? '').replace(/\D/g, '').slice(-7));
    const emails = inputs.map((c) => (c.emails?.[0].value ?? '').toUpperCase());
    const names = inputs.map((c) => c.name.replace(/^(ООО|АО|LLC|GmbH) «|»$/g, ''));
    const search = async (q: string) => {
      const res = await owner.get(`/api/search?q=${encodeURIComponent(q)}`);
      if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${res.text}`);
      return res.body as { results: { kind: string; id: string }[] };
    };
    let found = 0;
    for (const [label, queries] of [
      ['phone fragment (7 digits)', fragments],
      ['email (other case)', emails],
      ['company name (no legal form)', names],
    ] as const) {
      await search(queries[0]);
      const hits: number[] = [];
      const samples = await timed(queries.length, async (i) => {
        const body = await search(queries[i]);
        const want = String(clientIds[picks[i]]);
        if (body.results.some((r) => r.id === want)) hits.push(i);
      });
      found += hits.length;
      const naive = await timed(10, async (i) => {
        const pattern = label.startsWith('phone') ? queries[i].split('').join('\\D*') : queries[i];
        await ClientModel.find({
          $or: [
            { name: { $regex: pattern, $options: 'i' } },
            { 'phones.value': { $regex: pattern } },
            { 'emails.value': { $regex: pattern, $options: 'i' } },
          ],
        })
          .limit(20)
          .lean();
      });
      record(
        `search by ${label} (found ${hits.length}/${queries.length})`,
        samples,
        `regex scan of clients p50 ${ms(percentiles(naive).p50)}`,
        50,
      );
    }
    console.log(`search found the intended client in ${found} of ${3 * QUERIES} queries`);

    // 2. The duplicate check on create.
    const dupChecks = await timed(CREATES, async (i) => {
      const res = await owner.post('/api/clients', { ...clientInput(picks[i % picks.length]), name: `Other ${i}` });
      if (res.status !== 409) throw new Error(`expected 409, got ${res.status} ${res.text}`);
    });
    const forced = await timed(CREATES, async (i) => {
      const res = await owner.post('/api/clients', { ...clientInput(CLIENTS + 1000 + i), force: true });
      if (res.status !== 201) throw new Error(`expected 201, got ${res.status} ${res.text}`);
    });
    const fresh = await timed(CREATES, async (i) => {
      const res = await owner.post('/api/clients', clientInput(CLIENTS + 5000 + i));
      if (res.status !== 201) throw new Error(`expected 201, got ${res.status} ${res.text}`);
    });
    const f = percentiles(forced);
    record(
      'create answering 409 (duplicate found)',
      dupChecks,
      `create with force (no check) p50 ${ms(f.p50)} p99 ${ms(f.p99)}`,
      null,
    );
    const c = record('create with the check (no duplicate)', fresh, `force p50 ${ms(f.p50)} p99 ${ms(f.p99)}`, null);
    rows.push({
      figure: 'duplicate check on create (check − force)',
      value: `p50 ${ms(c.p50 - f.p50)} · p99 ${ms(c.p99 - f.p99)}`,
      baseline: 'same run',
      target: 'p99 < 30 ms',
      pass: c.p99 - f.p99 < 30,
    });
  }
}

async function importAndQuality(owner: HttpClient, url: string) {
  {
    let t0: number;
    // 3. Import.
    const csv = [
      'Название,Телефон,Email',
      ...Array.from({ length: IMPORT_ROWS }, (_, i) => {
        const row = clientInput(CLIENTS + 20_000 + i);
        return `"${row.name.replace(/"/g, '""')}",${row.phones?.[0].value},${row.emails?.[0].value}`;
      }),
    ].join('\n');
    t0 = performance.now();
    const imported = await runImport(owner, url, csv);
    const importSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await ClientModel.insertMany(
      Array.from({ length: IMPORT_ROWS }, (_, i) => ({
        code: `CLI-X${i}`,
        ...clientFieldsFrom(defaultCrmSettings, clientInput(CLIENTS + 40_000 + i)),
        managerId: null,
        groupIds: [],
      })),
      { lean: true },
    );
    const bareSeconds = (performance.now() - t0) / 1000;
    rows.push({
      figure: `import of ${IMPORT_ROWS} CSV rows (${imported} created)`,
      value: `${round(importSeconds, 1)} s`,
      baseline: `bare insertMany ${round(bareSeconds, 1)} s`,
      target: '< 20 s',
      pass: importSeconds < 20,
    });

    // 4. Duplicate detection quality.
    for (const seed of [13, 7]) {
      const q = measureQuality(generatePairs(seed));
      rows.push({
        figure: `duplicate detection, seed ${seed} (1,000 true pairs + 1,000 near-misses)`,
        value: `recall ${round(q.recall * 100, 1)} % · precision ${round(q.precision * 100, 1)} %`,
        baseline: `${q.falseNegatives} missed, ${q.falsePositives} false alarms`,
        target: '≥ 99 % / ≥ 95 %',
        pass: q.recall >= 0.99 && q.precision >= 0.95,
      });
    }
    rows.push({
      figure: 'server RSS after the run',
      value: `${round(process.memoryUsage().rss / 1024 / 1024, 0)} MB`,
      baseline: '—',
      target: '—',
      pass: null,
    });
  }
}

function printRows() {
  console.log('');
  console.log('| figure | value | baseline (same run) | target | |');
  console.log('|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.figure} | ${r.value} | ${r.baseline} | ${r.target} | ${r.pass === null ? '' : r.pass ? 'met' : 'NOT met'} |`,
    );
}

/** Uploads the CSV through the import API, keeps the proposed mapping, runs it and waits; returns how many were created. */
async function runImport(owner: HttpClient, url: string, csv: string): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'bench.csv');
  const res = await fetch(`${url}/api/imports`, {
    method: 'POST',
    body: form,
    headers: { cookie: owner.cookieHeader(), origin: url },
  });
  const { job } = (await res.json()) as { job: { id: string; mapping: unknown } };
  const run = await owner.post(`/api/imports/${job.id}/run`, { mapping: job.mapping, onDuplicate: 'skip' });
  if (run.status !== 202) throw new Error(`import run: ${run.status} ${run.text}`);
  for (;;) {
    const state = (await owner.get(`/api/imports/${job.id}`)).body as {
      job: { status: string; counts: { created: number } };
    };
    if (state.job.status === 'done') return state.job.counts.created;
    if (state.job.status === 'failed') throw new Error('import failed');
    await new Promise((r) => setTimeout(r, 200));
  }
}

await main();
process.exit(0);
