import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  actions,
  defaultPermissionMatrix,
  roles,
  type Action,
  type PermissionMatrix,
  type Role,
} from '@crewdeck/shared/permissions';
import { connectDatabase } from '../../server/src/db.ts';
import { PermissionRowModel } from '../../server/src/permissions/permissions.model.ts';
import { startTestServer, uniqueDbName, type TestContext } from '../support/server.ts';

// A table stored before the library and workload actions existed: every row lacks them,
// the Owner's too (it held every action there was).
const newer: Action[] = [
  'workload.read',
  'doc.create',
  'doc.view',
  'doc.comment',
  'doc.edit',
  'doc.manage',
  'folder.create',
  'folder.view',
  'folder.edit',
  'folder.manage',
];
const without = (list: readonly Action[], drop: readonly Action[]) => list.filter((a) => !drop.includes(a));

/** The old defaults with an Admin's edits: Members may not log time, Testers see billing, only the Owner verifies the journal. */
function oldTable(): PermissionMatrix {
  const table = Object.fromEntries(
    roles.map((role) => [role, without(defaultPermissionMatrix[role], newer)]),
  ) as Record<Role, Action[]>;
  table.Member = without(table.Member, ['task.logTime']);
  table.Tester = [...table.Tester, 'billing.read'];
  table.Admin = without(table.Admin, ['audit.verify']);
  table.Lead = without(table.Lead, ['audit.verify']);
  return table;
}

async function storeOldTable(dataDir: string, dbName: string): Promise<void> {
  const db = await connectDatabase({ dataDir, dbName });
  try {
    const table = oldTable();
    for (const role of roles)
      await PermissionRowModel.create({ _id: role, actions: table[role], updatedAt: new Date() });
  } finally {
    await db.close();
  }
}

const sorted = (list: readonly string[]) => [...list].sort();
const migrationEntries = async (ctx: TestContext) =>
  (await ctx.owner.get('/api/audit?action=permissions.update')).body.items;

describe('permission table stored before newer actions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crewdeck-permissions-'));
  const dbName = uniqueDbName();
  const servers: TestContext[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets the default grants of the missing actions on start; stored edits stay', async () => {
    await storeOldTable(dataDir, dbName);
    const ctx = await startTestServer({ dataDir, dbName });
    servers.push(ctx);
    const { matrix } = (await ctx.owner.get('/api/permissions')).body;
    const old = oldTable();
    for (const role of roles) {
      // Exactly the stored row plus the new actions' defaults for the role.
      const expected = [...old[role], ...newer.filter((a) => defaultPermissionMatrix[role].includes(a))];
      expect(sorted(matrix[role]), role).toEqual(sorted(expected));
    }
    expect(sorted(matrix.Owner)).toEqual(sorted(actions));
    expect(matrix.Member).not.toContain('task.logTime');
    expect(matrix.Tester).toContain('billing.read');
    expect(matrix.Admin).not.toContain('audit.verify');
    expect(matrix.Lead).not.toContain('audit.verify');
    expect(matrix.Member).toEqual(expect.arrayContaining(['doc.edit', 'folder.view']));
    expect(matrix.External).not.toContain('doc.create');

    // Journaled once, as a system change.
    const entries = await migrationEntries(ctx);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'permissions.update', user: null });
    expect(entries[0].comment).toContain('doc.create');
    const member = entries[0].changes.find((c: { field: string }) => c.field === 'Member');
    expect(sorted(member.from)).toEqual(sorted(old.Member));
    expect(sorted(member.to)).toEqual(sorted(matrix.Member));
  });

  it('a later start finds nothing to add and journals nothing', async () => {
    const first = servers.pop();
    const before = first ? (await first.owner.get('/api/permissions')).body.matrix : null;
    await first?.close();
    const ctx = await startTestServer({ dataDir, dbName });
    servers.push(ctx);
    expect((await ctx.owner.get('/api/permissions')).body.matrix).toEqual(before);
    expect(await migrationEntries(ctx)).toHaveLength(1);
  });
});
