import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupListSchema, groupResponseSchema } from '@crewdeck/shared/groups';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let admin: TestUser;
let member: TestUser;
let mark: TestUser;
let mia: TestUser;

beforeAll(async () => {
  ctx = await startTestServer();
  admin = await ctx.newUser('Admin');
  member = await ctx.newUser('Member');
  mark = await ctx.newUser('Member', { name: 'Mark' });
  mia = await ctx.newUser('Member', { name: 'Mia' });
});
afterAll(async () => {
  await ctx?.close();
});

async function newGroup(): Promise<string> {
  const res = await ctx.owner.post('/api/groups', { name: `Dev ${Math.random().toString(36).slice(2)}` });
  expect(res.status, res.text).toBe(201);
  return res.body.group.id;
}

const memberIds = (group: { members: Array<{ id: string }> }) => group.members.map((m) => m.id).sort();

describe('group members', () => {
  it('adding Mark and then Mia keeps both; the list and the group show them by name', async () => {
    const id = await newGroup();
    const first = await ctx.owner.post(`/api/groups/${id}/members`, { userId: mark.user.id });
    expect(first.status, first.text).toBe(200);
    expect(groupResponseSchema.parse(first.body).group.members).toEqual([{ id: mark.user.id, name: 'Mark' }]);
    const second = await ctx.owner.post(`/api/groups/${id}/members`, { userId: mia.user.id });
    expect(memberIds(second.body.group)).toEqual([mark.user.id, mia.user.id].sort());
    const list = groupListSchema.parse((await ctx.owner.get('/api/groups')).body);
    const listed = list.items.find((g) => g.id === id);
    expect(listed?.memberCount).toBe(2);
    expect(listed?.members.map((m) => m.name).sort()).toEqual(['Mark', 'Mia']);
    // Adding someone already in changes nothing and journals nothing new.
    const again = await ctx.owner.post(`/api/groups/${id}/members`, { userId: mia.user.id });
    expect(again.body.group.memberCount).toBe(2);
  });

  it('two admins adding different people at the same moment keep both', async () => {
    const id = await newGroup();
    const people = [mark, mia, member];
    const results = await Promise.all(
      people.map((p, i) =>
        (i % 2 === 0 ? ctx.owner : admin.client).post(`/api/groups/${id}/members`, { userId: p.user.id }),
      ),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    const group = (await ctx.owner.get(`/api/groups/${id}`)).body.group;
    expect(memberIds(group)).toEqual(people.map((p) => p.user.id).sort());
    // The user records agree: membership is stored on users.
    const user = (await ctx.owner.get(`/api/users/${mia.user.id}`)).body.user;
    expect(user.groups.map((g: { id: string }) => g.id)).toContain(id);
  });

  it('remove takes one member out and journals it; removing a non-member is 404', async () => {
    const id = await newGroup();
    await ctx.owner.post(`/api/groups/${id}/members`, { userId: mark.user.id });
    await ctx.owner.post(`/api/groups/${id}/members`, { userId: mia.user.id });
    const removed = await admin.client.delete(`/api/groups/${id}/members/${mark.user.id}`);
    expect(removed.status, removed.text).toBe(200);
    expect(memberIds(removed.body.group)).toEqual([mia.user.id]);
    expect((await admin.client.delete(`/api/groups/${id}/members/${mark.user.id}`)).status).toBe(404);
    const journal = await ctx.owner.get('/api/audit?action=group.update&limit=5');
    expect(journal.status, journal.text).toBe(200);
    const entry = journal.body.items.find((e: { affectedGroup: { id: string } | null }) => e.affectedGroup?.id === id);
    expect(entry?.changes).toEqual([{ field: 'members', from: [mark.login, mia.login].sort(), to: [mia.login] }]);
  });

  it('a Member may not add or remove (403); unknown user is 400 on userId; unknown group 404', async () => {
    const id = await newGroup();
    const denied = await member.client.post(`/api/groups/${id}/members`, { userId: mark.user.id });
    expect(denied.status).toBe(403);
    expect((await member.client.delete(`/api/groups/${id}/members/${mark.user.id}`)).status).toBe(403);
    const unknown = await ctx.owner.post(`/api/groups/${id}/members`, { userId: '0123456789abcdef01234567' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty('userId');
    const missing = await ctx.owner.post('/api/groups/0123456789abcdef01234567/members', { userId: mark.user.id });
    expect(missing.status).toBe(404);
    expect((await ctx.owner.post(`/api/groups/${id}/members`, { userId: 'nope' })).status).toBe(400);
  });

  it('a membership change re-authorizes the member: group grants apply at once', async () => {
    const id = await newGroup();
    const doc = (await ctx.owner.post('/api/library/documents', { title: 'Group doc' })).body.id;
    await ctx.owner.put(`/api/library/documents/${doc}/access`, { grants: [{ group: id, level: 'view' }] });
    expect((await mark.client.get(`/api/library/documents/${doc}`)).status).toBe(404);
    await ctx.owner.post(`/api/groups/${id}/members`, { userId: mark.user.id });
    expect((await mark.client.get(`/api/library/documents/${doc}`)).status).toBe(200);
    await ctx.owner.delete(`/api/groups/${id}/members/${mark.user.id}`);
    expect((await mark.client.get(`/api/library/documents/${doc}`)).status).toBe(404);
  });
});
