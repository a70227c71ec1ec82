// Property test for finding 9.1: random Unicode (lone surrogates, NUL, bidi marks, emoji,
// combining marks, long strings) through every journaled text field. Whatever is accepted or
// refused, nothing answers 5xx, what is accepted reads back as sent, and the audit chain
// verifies at the end.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestContext } from '../support/server.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const RUNS = Number(process.env.TEXT_RUNS ?? 12);

let ctx: TestContext;
let projectId: string;
let taskId: string;
let documentId: string;
let groupId: string;
let userId: string;

beforeAll(async () => {
  ctx = await startTestServer();
  projectId = (await ctx.owner.post('/api/projects', { name: 'Texts', code: 'TXT' })).body.project.id;
  taskId = (await ctx.owner.post(`/api/projects/${projectId}/tasks`, { title: 'Texts' })).body.task.id;
  documentId = (await ctx.owner.post('/api/library/documents', { title: 'Texts' })).body.id;
  groupId = (await ctx.owner.post('/api/groups', { name: 'Texts' })).body.group.id;
  userId = (await ctx.newUser('Member')).user.id;
});
afterAll(async () => {
  await ctx?.close();
});

const pieces = fc.constantFrom(
  '\ud800',
  '\udfff',
  '\u0000',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200c',
  '\ufeff',
  '🚀',
  '👩‍👩‍👧',
  'e\u0301',
  '\t',
  '\n',
  ' ',
  'ё',
  'ی',
  'ق',
);
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
/** Any UTF-16 sequence, weighted towards the pieces that broke things before. */
const hostileText = fc.oneof(
  fc
    .array(fc.oneof(pieces, codeUnit, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 40 })
    .map((parts) => parts.join('')),
  fc.constantFrom('x'.repeat(65_536), 'ж'.repeat(70_000)),
);

/** Each journaled text field: how to write it, and where the accepted value reads back. */
interface Field {
  name: string;
  write: (text: string) => Promise<{ status: number; stored?: string }>;
}

// JSON.stringify escapes lone surrogates (`"\ud800"`), so the server receives exactly them.
const fields: Field[] = [
  {
    name: 'group name',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/groups/${groupId}`, { name: t });
      return { status: r.status, stored: r.body?.group?.name };
    },
  },
  {
    name: 'group description',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/groups/${groupId}`, { description: t });
      return { status: r.status, stored: r.body?.group?.description };
    },
  },
  {
    name: 'user name',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/users/${userId}`, { name: t });
      return { status: r.status, stored: r.body?.user?.name };
    },
  },
  {
    name: 'project name',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/projects/${projectId}`, { name: t });
      return { status: r.status, stored: r.body?.project?.name };
    },
  },
  {
    name: 'project description',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/projects/${projectId}`, { description: t });
      return { status: r.status, stored: r.body?.project?.description };
    },
  },
  {
    name: 'milestone title',
    write: async (t) => {
      const r = await ctx.owner.post(`/api/projects/${projectId}/milestones`, { title: t });
      return { status: r.status, stored: r.body?.milestone?.title };
    },
  },
  {
    name: 'task title',
    write: async (t) => {
      const current = (await ctx.owner.get(`/api/tasks/${taskId}`)).body.task;
      const r = await ctx.owner.patch(`/api/tasks/${taskId}`, { title: t, version: current.version });
      return { status: r.status, stored: r.body?.task?.title };
    },
  },
  {
    name: 'task description',
    write: async (t) => {
      const r = await ctx.owner.post(`/api/projects/${projectId}/tasks`, { title: 'd', description: t });
      return { status: r.status, stored: r.body?.task?.description };
    },
  },
  {
    name: 'task label',
    write: async (t) => {
      const r = await ctx.owner.post(`/api/projects/${projectId}/tasks`, { title: 'l', labels: [t] });
      return { status: r.status, stored: r.body?.task?.labels?.[0] };
    },
  },
  {
    name: 'comment',
    write: async (t) => {
      const r = await ctx.owner.post(`/api/tasks/${taskId}/comments`, { body: t });
      return { status: r.status, stored: r.body?.comment?.body };
    },
  },
  {
    name: 'time-log note',
    write: async (t) => {
      const r = await ctx.owner.post(`/api/tasks/${taskId}/time`, { hours: 0.5, note: t });
      return { status: r.status, stored: r.body?.timeLog?.note };
    },
  },
  {
    name: 'document title',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/library/documents/${documentId}`, { title: t });
      return { status: r.status, stored: r.body?.document?.title };
    },
  },
  {
    name: 'document tag',
    write: async (t) => {
      const r = await ctx.owner.patch(`/api/library/documents/${documentId}`, { tags: [t] });
      return { status: r.status, stored: r.body?.document?.tags?.[0] };
    },
  },
  {
    name: 'version name',
    write: async (t) => {
      const r = await ctx.owner.post(`/api/library/documents/${documentId}/versions`, { name: t });
      return { status: r.status, stored: r.body?.version?.name };
    },
  },
  {
    name: 'folder name',
    write: async (t) => {
      const r = await ctx.owner.post('/api/library/folders', { name: t });
      return { status: r.status, stored: r.body?.folder?.name };
    },
  },
];

describe('random Unicode through every journaled text field', () => {
  it.each(fields.map((f) => [f.name, f] as const))(
    '%s: never 5xx, accepted text reads back, chain intact',
    async (_name, field) => {
      await fc.assert(
        fc.asyncProperty(hostileText, async (text) => {
          const { status, stored } = await field.write(text);
          expect(status, `${field.name} ${JSON.stringify(text.slice(0, 80))}`).toBeLessThan(500);
          if (status < 300) {
            expect(stored?.isWellFormed()).toBe(true);
            // What was stored is what was sent, give or take trimming at the ends.
            expect(text.includes(stored?.trim() ?? '\u0000')).toBe(true);
          } else {
            expect([400, 409, 413]).toContain(status);
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      const verify = await ctx.owner.get('/api/audit/verify');
      expect(verify.body, `seed ${SEED}: ${JSON.stringify(verify.body)}`).toMatchObject({ ok: true, broken: [] });
    },
    120_000,
  );
});
