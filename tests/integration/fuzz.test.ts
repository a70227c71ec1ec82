// Fuzz suite driven by the server's own OpenAPI document: every route, as every role, with
// params, queries and bodies generated from the declared schemas plus hostile values. Bounded
// in time; the seed is printed so a failure can be replayed with FUZZ_SEED=<seed>.
// It asserts: never a 5xx, the shared error body on every 4xx, the server healthy and the
// audit chain intact at the end.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@crewdeck/shared/errors';
import type { Role } from '@crewdeck/shared/permissions';
import { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext } from '../support/server.ts';

const BUDGET_MS = Number(process.env.FUZZ_MS ?? 30_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
};
type Operation = {
  parameters?: Array<{ name: string; in: 'path' | 'query'; schema: JsonSchema }>;
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
};
interface Route {
  method: string;
  path: string;
  op: Operation;
}

/** Routes that would end the fuzzing sessions themselves; every other route is fuzzed. */
const SKIPPED = new Set(['post /api/auth/logout', 'post /api/auth/logout-all', 'post /api/auth/password']);

let ctx: TestContext;
let clients: Array<{ role: Role | 'anonymous'; client: HttpClient }>;
const realIds: string[] = [];

beforeAll(async () => {
  ctx = await startTestServer();
  const roles: Role[] = ['Admin', 'Lead', 'Member', 'Tester', 'External'];
  const users = await Promise.all(roles.map((role) => ctx.newUser(role)));
  const project = await ctx.newProject({
    members: users.slice(1, 4).map((user) => ({ user, role: 'member' as const })),
  });
  const task = await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title: 'Fuzz target' });
  const doc = await ctx.owner.post('/api/library/documents', { title: 'Fuzz doc' });
  realIds.push(project.id, task.body.task.id, doc.body.id, ...users.map((u) => u.user.id));
  clients = [
    { role: 'Owner', client: ctx.owner },
    ...users.map((u, i) => ({ role: roles[i], client: u.client })),
    { role: 'anonymous', client: ctx.anonymous() },
  ];
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const hostileString = fc.constantFrom(
  '\ud800',
  'a\udfffb',
  '\u0000',
  'x\u0000y',
  '\u202e\u200b',
  '🚀e\u0301',
  '',
  ' ',
  'x'.repeat(300),
  'x'.repeat(70_000),
  '$gt',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '000000000000000000000000',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  '<script>alert(1)</script>',
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(
    { $gt: '' },
    { $where: 'sleep(1000)' },
    { $ne: null },
    ['\ud800'],
    1e308,
    -1,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    0.5,
    true,
    null,
    {},
    [],
  ),
);

function idLike(): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom(...realIds), fc.stringMatching(/^[0-9a-f]{24}$/), fc.constantFrom('not-an-id', 'x'));
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern === '^[0-9a-f]{24}$') return idLike();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date') return fc.constantFrom('2026-01-31', '2026-02-30', '1970-01-01');
  return fc.string({ unit: 'grapheme', maxLength: Math.min(schema.maxLength ?? 40, 80) });
}

/** A value that usually fits the schema, sometimes a hostile one instead. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return hostileValue;
  const fitting = fittingValue(schema, depth);
  return fc.oneof({ weight: 4, arbitrary: fitting }, { weight: 1, arbitrary: hostileValue });
}

function fittingValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((alt) => valueFor(alt, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -10, -1e6), max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 });
    case 'object': {
      const entries = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, inner] of entries) record[key] = valueFor(inner, depth + 1);
      const requiredKeys = entries.map(([key]) => key).filter((key) => required.has(key));
      return fc.record(record, { requiredKeys });
    }
    default:
      return hostileValue;
  }
}

/** How a body goes on the wire: JSON of the value, or raw text no JSON encoder would produce. */
const rawBody = fc.constantFrom(
  '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}',
  '{"name":"\\ud800"}',
  '{"a":',
  'null',
  '[]',
  '"just a string"',
  '{"name":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
  '{"name":"' + 'x'.repeat(1_000_000) + '"}',
);
const badBytes = fc.constantFrom(
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.from([0xc3, 0x28]),
);

interface Generated {
  client: number;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body:
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; text: string }
    | { kind: 'bytes'; bytes: Buffer }
    | { kind: 'gzip-lie' };
}

function requestFor(route: Route): fc.Arbitrary<Generated> {
  const params = (route.op.parameters ?? []).filter((p) => p.in === 'path');
  const queries = (route.op.parameters ?? []).filter((p) => p.in === 'query');
  const paramRecord: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of params)
    paramRecord[p.name] = fc.oneof({ weight: 5, arbitrary: idLike() }, { weight: 1, arbitrary: hostileString });
  const queryRecord: Record<string, fc.Arbitrary<unknown>> = {};
  for (const q of queries) queryRecord[q.name] = valueFor(q.schema);
  const bodySchema = route.op.requestBody?.content['application/json'].schema;
  const body = fc.oneof(
    { weight: 8, arbitrary: valueFor(bodySchema).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: rawBody.map((text) => ({ kind: 'raw' as const, text })) },
    { weight: 1, arbitrary: badBytes.map((bytes) => ({ kind: 'bytes' as const, bytes })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'gzip-lie' as const }) },
  );
  return fc.record({
    client: fc.nat({ max: clients.length - 1 }),
    params: fc.record(paramRecord),
    query: fc.record(queryRecord, { requiredKeys: [] }),
    body,
  });
}

/** Percent-encoding that keeps a lone surrogate ill-formed on the wire (as the bytes of one). */
function encodeLoose(text: string): string {
  if (text.isWellFormed()) return encodeURIComponent(text);
  return encodeURIComponent(text.toWellFormed()).replaceAll('%EF%BF%BD', '%ED%A0%80');
}

/** Query values, capped so the URL stays under Node's header limit. */
function queryString(query: Record<string, unknown>): string {
  const pairs = Object.entries(query).map(([key, value]) => {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    return `${encodeLoose(key)}=${encodeLoose(text.slice(0, 2000))}`;
  });
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function pathFor(route: Route, params: Record<string, unknown>): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeLoose(String(params[name] ?? 'x')));
}

async function send(route: Route, input: Generated): Promise<{ status: number; text: string; type: string }> {
  const { client } = clients[input.client];
  const headers: Record<string, string> = { accept: 'application/json' };
  if (client.origin) headers.origin = client.origin;
  if (client.cookies.size > 0) headers.cookie = client.cookieHeader();
  let body: string | Buffer | undefined;
  if (route.method !== 'get') {
    headers['content-type'] = 'application/json';
    if (input.body.kind === 'json') body = JSON.stringify(input.body.value ?? null);
    else if (input.body.kind === 'raw') body = input.body.text;
    else if (input.body.kind === 'bytes') body = input.body.bytes;
    else {
      headers['content-encoding'] = 'gzip';
      body = 'not gzip at all';
    }
  }
  const url = `${ctx.url}${pathFor(route, input.params)}${queryString(input.query)}`;
  const res = await fetch(url, { method: route.method.toUpperCase(), headers, body, redirect: 'manual' });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

describe('fuzz every route from the OpenAPI document', () => {
  it(
    'never answers 5xx; every 4xx has the shared error body; the server and the chain stay intact',
    async () => {
      const doc = (await ctx.owner.get('/api/openapi.json')).body as {
        paths: Record<string, Record<string, Operation>>;
      };
      const routes: Route[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .map(([method, op]) => ({ method, path, op }))
          .filter((route) => !SKIPPED.has(`${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`)),
      );
      expect(routes.length).toBeGreaterThan(50);
      console.log(
        `fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${routes.length} routes, budget ${BUDGET_MS} ms`,
      );

      const failures: string[] = [];
      let sent = 0;
      const deadline = Date.now() + BUDGET_MS;
      const statuses = new Map<number, number>();
      let round = 0;
      while (Date.now() < deadline && failures.length === 0) {
        for (const route of routes) {
          if (Date.now() >= deadline) break;
          const samples = fc.sample(requestFor(route), {
            seed: SEED + round * 7919 + routes.indexOf(route),
            numRuns: 3,
          });
          for (const input of samples) {
            const res = await send(route, input);
            sent += 1;
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            const where = `${route.method.toUpperCase()} ${route.path} as ${clients[input.client].role}: ${res.status} ${res.text.slice(0, 300)}`;
            if (res.status >= 500) failures.push(where);
            else if (res.status >= 400) {
              const shaped =
                res.type.includes('application/json') && errorBodySchema.safeParse(JSON.parse(res.text)).success;
              if (!shaped) failures.push(`unshaped error: ${where}`);
            }
          }
        }
        round += 1;
      }
      const fiveXx = [...statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
      console.log(
        `fuzz: ${sent} requests in ${round} rounds, 5xx: ${fiveXx}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(failures, `seed ${SEED}`).toEqual([]);

      expect((await ctx.owner.get('/api/health')).status).toBe(200);
      const verify = await ctx.owner.get('/api/audit/verify');
      expect(verify.body, JSON.stringify(verify.body)).toMatchObject({ ok: true, broken: [] });
    },
    BUDGET_MS + 120_000,
  );
});
