import { notificationKinds } from '@crewdeck/shared/notifications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meSchema } from '@crewdeck/shared/auth';
import { peopleListSchema, profileResponseSchema } from '@crewdeck/shared/users';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let member: TestUser;
let colleague: TestUser;
let external: TestUser;

beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member', { name: 'Lena Member' });
  colleague = await ctx.newUser('Member', { name: 'Mark Colleague' });
  external = await ctx.newUser('External', { name: 'Eve Guest' });
});
afterAll(async () => {
  await ctx?.close();
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a50000000049454e44ae426082',
  'hex',
);

async function putAvatar(client: HttpClient, bytes: Buffer, name = 'avatar.png') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'image/png' }), name);
  const res = await fetch(`${ctx.url}/api/profile/avatar`, {
    method: 'PUT',
    body: form,
    headers: { cookie: client.cookieHeader(), origin: ctx.url },
  });
  return { status: res.status, body: (await res.json()) as Record<string, never> & { error?: { fields?: object } } };
}

describe('profile', () => {
  it('starts with defaults, in the profile and in /api/me', async () => {
    const res = await member.client.get('/api/profile');
    expect(profileResponseSchema.parse(res.body).profile).toEqual({
      name: 'Lena Member',
      timeZone: null,
      language: null,
      theme: 'system',
      // Every kind starts on (task kinds, calendar kinds, absences, Google).
      notifications: Object.fromEntries(notificationKinds.map((kind) => [kind, true])),
      phone: '',
      email: '',
      avatarUrl: null,
    });
    expect(meSchema.parse((await member.client.get('/api/me')).body).profile.theme).toBe('system');
  });

  it('updates name, time zone, language, theme and contacts; /api/me carries them; journaled', async () => {
    const res = await member.client.patch('/api/profile', {
      name: 'Lena M.',
      timeZone: 'Asia/Tehran',
      language: 'fa',
      theme: 'dark',
      phone: '+49 30 1234-56',
      email: 'lena@example.test',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.profile).toMatchObject({ name: 'Lena M.', timeZone: 'Asia/Tehran', language: 'fa', theme: 'dark' });
    const me = meSchema.parse((await member.client.get('/api/me')).body);
    expect(me.name).toBe('Lena M.');
    expect(me.profile).toMatchObject({
      timeZone: 'Asia/Tehran',
      language: 'fa',
      theme: 'dark',
      phone: '+49 30 1234-56',
    });
    const journal = await ctx.owner.get('/api/audit?action=profile.update&limit=5');
    expect(journal.body.items[0]).toMatchObject({ affectedUser: { id: member.user.id } });
    expect(journal.body.items[0].changes.map((c: { field: string }) => c.field)).toEqual(
      expect.arrayContaining(['name', 'timeZone', 'language', 'theme']),
    );
    // Back to the browser's language and time zone.
    const cleared = await member.client.patch('/api/profile', { language: null, timeZone: null, name: 'Lena Member' });
    expect(cleared.body.profile).toMatchObject({ language: null, timeZone: null });
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    [{ timeZone: '+01:00' }, 'timeZone'],
    [{ timeZone: '' }, 'timeZone'],
    [{ language: 'de' }, 'language'],
    [{ theme: 'pink' }, 'theme'],
    [{ notifications: { birthday: false } }, 'notifications'],
    [{ email: 'not-an-email' }, 'email'],
    [{ phone: 'call me maybe' }, 'phone'],
    [{ name: '' }, 'name'],
    [{ role: 'Owner' }, ''],
  ])('refuses %j with a field error', async (body, field) => {
    const res = await member.client.patch('/api/profile', body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    if (field) expect(Object.keys(res.body.error.fields ?? {}).some((k) => k.startsWith(field))).toBe(true);
  });

  it('signed-out callers get 401', async () => {
    expect((await ctx.anonymous().get('/api/profile')).status).toBe(401);
    expect((await ctx.anonymous().patch('/api/profile', { theme: 'dark' })).status).toBe(401);
  });
});

describe('avatar', () => {
  it('uploads a PNG; anyone who may see the user gets it; delete removes it', async () => {
    const res = await putAvatar(member.client, PNG);
    expect(res.status).toBe(200);
    const url: string = profileResponseSchema.parse(res.body).profile.avatarUrl ?? '';
    expect(url).toMatch(new RegExp(`^/api/users/${member.user.id}/avatar\\?v=\\d+$`));
    const image = await fetch(`${ctx.url}${url}`, { headers: { cookie: colleague.client.cookieHeader() } });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(image.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    // A guest sees only people they share a project with.
    expect((await external.client.get(url)).status).toBe(404);
    await ctx.newProject({
      members: [
        { user: member, role: 'member' },
        { user: external, role: 'member' },
      ],
    });
    expect((await external.client.get(url)).status).toBe(200);
    expect((await ctx.anonymous().get(url)).status).toBe(401);
    const removed = await member.client.delete('/api/profile/avatar');
    expect(removed.body.profile.avatarUrl).toBeNull();
    expect((await colleague.client.get(url)).status).toBe(404);
  });

  it('refuses what is not a PNG, JPEG or WebP image, whatever its name, and anything over 2 MB', async () => {
    const pdf = await putAvatar(member.client, Buffer.from('%PDF-1.4\n%%EOF\n'), 'me.png');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error?.fields).toHaveProperty('file');
    const gif = Buffer.from(
      '47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b',
      'hex',
    );
    expect((await putAvatar(member.client, gif, 'me.gif')).status).toBe(400);
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024, 1)]);
    expect((await putAvatar(member.client, big)).status).toBe(413);
    expect((await member.client.get('/api/profile')).body.profile.avatarUrl).toBeNull();
  });
});

describe('notification preferences', () => {
  it('a kind turned off is not created for that person; others still get it', async () => {
    const off = await member.client.patch('/api/profile', { notifications: { assigned: false } });
    expect(off.body.profile.notifications).toMatchObject({ assigned: false, mentioned: true });
    const p = await ctx.newProject({
      members: [
        { user: member, role: 'member' },
        { user: colleague, role: 'member' },
      ],
    });
    const task = await ctx.owner.post(`/api/projects/${p.id}/tasks`, {
      title: 'Quiet task',
      assignees: [member.user.id, colleague.user.id],
    });
    expect(task.status, task.text).toBe(201);
    const kinds = async (c: HttpClient) =>
      ((await c.get('/api/notifications')).body.items as Array<{ kind: string; task: { title: string } }>)
        .filter((n) => n.task.title === 'Quiet task')
        .map((n) => n.kind);
    let colleagueKinds: string[] = [];
    for (let i = 0; i < 50 && !colleagueKinds.includes('assigned'); i += 1) {
      colleagueKinds = await kinds(colleague.client);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(colleagueKinds).toContain('assigned');
    expect(await kinds(member.client)).toEqual([]);
    // Other kinds still arrive: a mention.
    await ctx.owner.post(`/api/tasks/${task.body.task.id}/comments`, { body: `@${member.login} look` });
    let mine: string[] = [];
    for (let i = 0; i < 50 && mine.length === 0; i += 1) {
      mine = await kinds(member.client);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(mine).toEqual(['mentioned']);
    await member.client.patch('/api/profile', { notifications: { assigned: true } });
  });
});

describe('people directory', () => {
  it('lists active people shown among employees, with groups, contacts and readable projects only', async () => {
    const hidden = await ctx.newUser('Member', { name: 'Hidden Person' });
    await ctx.owner.patch(`/api/users/${hidden.user.id}`, { showInEmployees: false });
    const gone = await ctx.newUser('Member', { name: 'Gone Person' });
    await ctx.owner.patch(`/api/users/${gone.user.id}`, { disabled: true });
    const group = (await ctx.owner.post('/api/groups', { name: 'Design' })).body.group.id;
    await ctx.owner.post(`/api/groups/${group}/members`, { userId: colleague.user.id });
    await colleague.client.patch('/api/profile', { phone: '+1 555 0100', email: 'mark@example.test' });
    const shared = await ctx.newProject({
      name: 'Shared',
      members: [
        { user: member, role: 'member' },
        { user: colleague, role: 'member' },
      ],
    });
    const secret = await ctx.newProject({ name: 'Secret', members: [{ user: colleague, role: 'member' }] });

    const res = await member.client.get('/api/people');
    expect(res.status, res.text).toBe(200);
    const items = peopleListSchema.parse(res.body).items;
    const names = items.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Lena Member', 'Mark Colleague']));
    expect(names).not.toContain('Hidden Person');
    expect(names).not.toContain('Gone Person');
    // External users are not listed among employees by default.
    expect(names).not.toContain('Eve Guest');
    const mark = items.find((p) => p.id === colleague.user.id);
    expect(mark).toMatchObject({
      role: 'Member',
      email: 'mark@example.test',
      phone: '+1 555 0100',
      groups: [{ id: group, name: 'Design' }],
    });
    expect(mark?.projects.map((p) => p.id)).toContain(shared.id);
    expect(mark?.projects.map((p) => p.id)).not.toContain(secret.id);
    // The Owner reads every project.
    const forOwner = (await ctx.owner.get('/api/people')).body.items.find(
      (p: { id: string }) => p.id === colleague.user.id,
    );
    expect(forOwner.projects.map((p: { id: string }) => p.id)).toContain(secret.id);

    const ids = async (query: string) =>
      ((await member.client.get(`/api/people${query}`)).body.items as Array<{ id: string }>).map((p) => p.id);
    expect(await ids('?q=mark%40example')).toEqual([colleague.user.id]);
    expect(await ids('?q=colleague')).toEqual([colleague.user.id]);
    expect(await ids(`?group=${group}`)).toEqual([colleague.user.id]);
    expect(await ids(`?project=${shared.id}`)).toEqual(expect.arrayContaining([member.user.id, colleague.user.id]));
    expect(await ids(`?project=${secret.id}`)).toEqual([]);
    expect(await ids('?role=Owner')).not.toContain(colleague.user.id);
    expect((await member.client.get('/api/people?role=King')).status).toBe(400);
  });

  it('is for employees: a guest gets 403, signed-out 401', async () => {
    expect((await external.client.get('/api/people')).status).toBe(403);
    expect((await ctx.anonymous().get('/api/people')).status).toBe(401);
  });
});
