import { actions, defaultPermissionMatrix } from '@crewdeck/shared/permissions';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntrySchema, auditPageSchema } from '@crewdeck/shared/audit';
import { auditCount, OWNER_LOGIN, startTestServer, type TestContext } from '../support/server.ts';
import type { HttpResponse } from '../support/http.ts';

let ctx: TestContext;
let ownerId: string;
beforeAll(async () => {
  ctx = await startTestServer();
  ownerId = (await ctx.owner.get('/api/me')).body.id;
});
afterAll(async () => {
  await ctx?.close();
});

/** Runs `write` and returns the single entry it journaled (fails if it made 0 or 2+). */
async function onlyEntry(write: () => Promise<HttpResponse>) {
  const before = await auditCount(ctx.owner);
  const res = await write();
  expect(res.status, res.text).toBeLessThan(400);
  const page = auditPageSchema.parse((await ctx.owner.get('/api/audit?limit=5')).body);
  const fresh = page.items.filter((e) => e.seq > before);
  expect(fresh, JSON.stringify(fresh)).toHaveLength(1);
  return { entry: auditEntrySchema.parse(fresh[0]), res };
}

describe('each write journals exactly one entry', () => {
  it('user creation: actor, affected user, permission, code, changes, ip', async () => {
    const { entry, res } = await onlyEntry(() =>
      ctx.owner.post('/api/users', { name: 'Ann', login: 'ann', role: 'Member' }),
    );
    expect(entry).toMatchObject({
      action: 'user.create',
      outcome: 'allowed',
      user: { id: ownerId, login: OWNER_LOGIN },
      affectedUser: { id: res.body.user.id, login: 'ann', code: res.body.user.code },
      permission: 'user.create',
      code: res.body.user.code,
    });
    expect(entry.code).toMatch(/^USR-\d+$/);
    expect(entry.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(entry.changes).toContainEqual({ field: 'role', from: null, to: 'Member' });
    expect(JSON.stringify(entry)).not.toContain(res.body.oneTimePassword);
  });

  it('user update: changed fields old → new, nothing for unchanged ones', async () => {
    const ann = (await ctx.owner.get('/api/users')).body.items.find((u: { login: string }) => u.login === 'ann');
    const { entry } = await onlyEntry(() =>
      ctx.owner.patch(`/api/users/${ann.id}`, { name: 'Anna', role: 'Lead', showInEmployees: ann.showInEmployees }),
    );
    expect(entry.action).toBe('user.update');
    expect(entry.permission).toBe('user.changeRole,user.update');
    expect(entry.changes).toEqual([
      { field: 'name', from: 'Ann', to: 'Anna' },
      { field: 'role', from: 'Member', to: 'Lead' },
    ]);
    expect(entry.comment).toBe('name: "Ann" → "Anna"; role: "Member" → "Lead"');
    const disabled = await onlyEntry(() => ctx.owner.patch(`/api/users/${ann.id}`, { disabled: true }));
    expect(disabled.entry).toMatchObject({ action: 'user.disable', permission: 'user.disable', code: ann.code });
  });

  it('password reset journals a masked change and never the password', async () => {
    const member = await ctx.newUser('Member', { keepOneTimePassword: true });
    const { entry, res } = await onlyEntry(() => ctx.owner.post(`/api/users/${member.user.id}/reset-password`));
    expect(entry).toMatchObject({
      action: 'user.resetPassword',
      changes: [{ field: 'password', from: '***', to: '***' }],
    });
    expect(JSON.stringify(entry)).not.toContain(res.body.oneTimePassword);
  });

  it('groups: create, rename with members, delete', async () => {
    const member = await ctx.newUser('Member', { keepOneTimePassword: true });
    const created = await onlyEntry(() => ctx.owner.post('/api/groups', { name: 'Development group' }));
    const id = created.res.body.group.id;
    expect(created.entry).toMatchObject({
      action: 'group.create',
      affectedGroup: { id, name: 'Development group' },
      permission: 'group.create',
    });
    expect(created.entry.code).toMatch(/^GRP-\d+$/);
    const updated = await onlyEntry(() =>
      ctx.owner.patch(`/api/groups/${id}`, { name: 'Dev', members: [member.user.id] }),
    );
    expect(updated.entry.changes).toEqual([
      { field: 'name', from: 'Development group', to: 'Dev' },
      { field: 'members', from: null, to: [member.login] },
    ]);
    expect(updated.res.body.group.members).toEqual([{ id: member.user.id, name: member.user.name }]);
    const deleted = await onlyEntry(() => ctx.owner.delete(`/api/groups/${id}`));
    expect(deleted.entry).toMatchObject({ action: 'group.delete', code: created.entry.code });
  });

  it('permission table edits and logins are journaled', async () => {
    const table = (await ctx.owner.get('/api/permissions')).body.matrix;
    const edited = await onlyEntry(() => ctx.owner.put('/api/permissions', { matrix: { ...table, Tester: [] } }));
    const testerBefore = actions.filter((a) => defaultPermissionMatrix.Tester.includes(a));
    expect(edited.entry).toMatchObject({
      action: 'permissions.update',
      changes: [{ field: 'Tester', from: testerBefore, to: [] }],
    });
    const member = await ctx.newUser('Member');
    const login = await onlyEntry(() => member.client.login(member.login, member.password));
    expect(login.entry).toMatchObject({
      action: 'auth.login',
      user: { login: member.login },
      affectedUser: { login: member.login },
    });
  });

  it('a denied attempt is journaled with the permission it lacked', async () => {
    const member = await ctx.newUser('Member');
    const before = await auditCount(ctx.owner);
    expect((await member.client.get('/api/audit')).status).toBe(403);
    const page = (await ctx.owner.get('/api/audit?action=access.denied&limit=1')).body;
    expect(page.items[0]).toMatchObject({
      seq: before + 1,
      outcome: 'denied',
      permission: 'audit.read',
      user: { id: member.user.id },
    });
  });
});

describe('querying', () => {
  it('filters by user, affected user, action, code and period, with cursor pagination', async () => {
    const member = await ctx.newUser('Member');
    const byAffected = (await ctx.owner.get(`/api/audit?affectedUser=${member.user.id}`)).body.items;
    expect(byAffected.length).toBeGreaterThanOrEqual(3); // create, login, password change
    expect(byAffected.every((e: { affectedUser: { id: string } }) => e.affectedUser.id === member.user.id)).toBe(true);
    const byCode = (await ctx.owner.get(`/api/audit?code=${member.user.code.toLowerCase()}`)).body.items;
    expect(byCode.map((e: { seq: number }) => e.seq)).toEqual(byAffected.map((e: { seq: number }) => e.seq));
    const byUser = (await ctx.owner.get(`/api/audit?user=${member.user.id}&action=auth.passwordChange`)).body.items;
    expect(byUser).toHaveLength(1);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await ctx.owner.get(`/api/audit?from=${encodeURIComponent(future)}`)).body.items).toEqual([]);

    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: { seq: number }[]; next: string | null } = (
        await ctx.owner.get(`/api/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      seen.push(...page.items.map((e: { seq: number }) => e.seq));
      cursor = page.next;
    }
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.at(-1)).toBe(1);
  });

  it('exports CSV with the same filters', async () => {
    const res = await ctx.owner.get('/api/audit/export.csv?action=user.create');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?audit-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe('seq,at,action,outcome,ip,user,affectedUser,affectedGroup,permission,code,comment,hash');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',user.create,'))).toBe(true);
  });

  it('offers no way to edit or delete entries', async () => {
    const id = (await ctx.owner.get('/api/audit?limit=1')).body.items[0].id;
    expect((await ctx.owner.patch(`/api/audit/${id}`, { comment: 'x' })).status).toBe(404);
    expect((await ctx.owner.delete(`/api/audit/${id}`)).status).toBe(404);
  });
});

describe('hash chain', () => {
  it('verifies, then detects an entry tampered with directly in the database', async () => {
    const intact = await ctx.owner.get('/api/audit/verify');
    expect(intact.body.ok).toBe(true);
    const total = await auditCount(ctx.owner);
    expect(intact.body.checked).toBe(total);

    await mongoose.connection.collection('audit').updateOne({ seq: 3 }, { $set: { comment: 'nothing happened here' } });
    const broken = await ctx.owner.get('/api/audit/verify');
    expect(broken.body).toMatchObject({ ok: false, checked: 2, brokenAt: { seq: 3, reason: 'hash_mismatch' } });
  });

  it('detects a deleted entry', async () => {
    await mongoose.connection.collection('audit').deleteOne({ seq: 2 });
    const broken = await ctx.owner.get('/api/audit/verify');
    expect(broken.body).toMatchObject({ ok: false, brokenAt: { seq: 2, reason: 'sequence_gap' } });
  });
});
