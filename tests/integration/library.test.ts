import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentSchema, effectiveAccessSchema, libraryListSchema } from '@crewdeck/shared/library';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let member: TestUser;
let tester: TestUser;
let external: TestUser;

beforeAll(async () => {
  ctx = await startTestServer({ library: { maxUploadMb: 1 } });
  member = await ctx.newUser('Member', { name: 'Mo Member' });
  tester = await ctx.newUser('Tester');
  external = await ctx.newUser('External');
});
afterAll(async () => {
  await ctx?.close();
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a50000000049454e44ae426082',
  'hex',
);

async function upload(client: HttpClient, name: string, bytes: Buffer, query = ''): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return fetch(`${ctx.url}/api/library/files${query}`, {
    method: 'POST',
    body: form,
    headers: { cookie: client.cookieHeader(), origin: ctx.url },
  });
}

const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((d) => d.id);

describe('library documents and folders', () => {
  it('creates documents with human codes; the owner and Admins manage; others see nothing until shared', async () => {
    const created = await member.client.post('/api/library/documents', { title: 'Proposal', tags: ['sales'] });
    expect(created.status, created.text).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['code', 'id']);
    expect(created.body.code).toMatch(/^DOC-\d+$/);
    const mine = await member.client.get(`/api/library/documents/${created.body.id}`);
    expect(documentSchema.parse(mine.body.document)).toMatchObject({
      level: 'manage',
      title: 'Proposal',
      owner: { name: 'Mo Member' },
    });
    expect(mine.body.document.abilities).toEqual({
      'doc.view': true,
      'doc.comment': true,
      'doc.edit': true,
      'doc.manage': true,
    });
    expect((await ctx.owner.get(`/api/library/documents/${created.body.id}`)).body.document.level).toBe('manage');
    // Not shared: invisible (404, not 403) and absent from lists and search.
    expect((await tester.client.get(`/api/library/documents/${created.body.id}`)).status).toBe(404);
    expect(ids(await tester.client.get('/api/library'))).not.toContain(created.body.id);
    expect(ids(await tester.client.get('/api/library?q=Proposal'))).toEqual([]);
  });

  it('folder grants pass down unless the document overrides them; effective access explains why', async () => {
    const folder = await ctx.owner.post('/api/library/folders', { name: 'Specs' });
    expect(folder.status, folder.text).toBe(201);
    const folderId: string = folder.body.folder.id;
    const sub = await ctx.owner.post('/api/library/folders', { name: 'Drafts', parentId: folderId });
    const doc = await ctx.owner.post('/api/library/documents', {
      title: 'API spec',
      folderId: sub.body.folder.id,
      tags: ['api'],
    });
    expect((await tester.client.get(`/api/library/documents/${doc.body.id}`)).status).toBe(404);
    expect(
      (
        await ctx.owner.put(`/api/library/folders/${folderId}/access`, {
          grants: [{ role: 'Tester', level: 'comment' }],
        })
      ).status,
    ).toBe(200);
    const seen = await tester.client.get(`/api/library/documents/${doc.body.id}`);
    expect(seen.body.document).toMatchObject({ level: 'comment', grants: null });
    expect(seen.body.document.abilities).toMatchObject({ 'doc.comment': true, 'doc.edit': false });
    const listed = await tester.client.get(`/api/library?folderId=${sub.body.folder.id}`);
    expect(libraryListSchema.parse(listed.body).items.map((d) => d.id)).toEqual([doc.body.id]);
    expect(listed.body.folders.map((f: { name: string }) => f.name).sort()).toEqual(['Drafts', 'Specs']);
    expect((await tester.client.patch(`/api/library/documents/${doc.body.id}`, { title: 'x' })).status).toBe(403);
    // Document grants add a user; the effective view lists everyone with the reason.
    await ctx.owner.put(`/api/library/documents/${doc.body.id}/access`, {
      grants: [{ user: member.user.id, level: 'edit' }],
    });
    const access = effectiveAccessSchema.parse(
      (await ctx.owner.get(`/api/library/documents/${doc.body.id}/access`)).body,
    );
    const row = (id: string) => access.rows.find((r) => r.user.id === id);
    expect(row(member.user.id)).toMatchObject({
      level: 'edit',
      reasons: [{ kind: 'user', source: { kind: 'document' } }],
    });
    expect(row(tester.user.id)).toMatchObject({
      level: 'comment',
      reasons: [{ kind: 'role', source: { kind: 'folder', name: 'Specs' } }],
    });
    expect(row(tester.user.id)?.reasons[0].text).toContain('folder Specs');
    expect(row(external.user.id)).toBeUndefined();
    expect(access.rows.find((r) => r.role === 'Owner')?.reasons[0].kind).toBe('owner');
    // Override: stop inheriting.
    await ctx.owner.put(`/api/library/documents/${doc.body.id}/access`, {
      grants: [{ user: member.user.id, level: 'edit' }],
      inherit: false,
    });
    expect((await tester.client.get(`/api/library/documents/${doc.body.id}`)).status).toBe(404);
    // The effective access view needs manage.
    expect((await member.client.get(`/api/library/documents/${doc.body.id}/access`)).status).toBe(403);
  });

  it('the role table caps grants: an External granted manage only edits; cannot create', async () => {
    const doc = await ctx.owner.post('/api/library/documents', { title: 'Guest doc' });
    await ctx.owner.put(`/api/library/documents/${doc.body.id}/access`, {
      grants: [{ user: external.user.id, level: 'manage' }],
    });
    const seen = await external.client.get(`/api/library/documents/${doc.body.id}`);
    expect(seen.body.document.level).toBe('edit');
    expect((await external.client.put(`/api/library/documents/${doc.body.id}/access`, { grants: [] })).status).toBe(
      403,
    );
    expect((await external.client.post('/api/library/documents', { title: 'nope' })).status).toBe(403);
  });

  it('search by title, tag and kind shows only what the caller may view', async () => {
    const a = await member.client.post('/api/library/documents', { title: 'Roadmap 2027', tags: ['plan'] });
    await member.client.post('/api/library/documents', { title: 'Secret roadmap', tags: ['plan'] });
    await member.client.put(`/api/library/documents/${a.body.id}/access`, {
      grants: [{ role: 'Tester', level: 'view' }],
    });
    expect(ids(await tester.client.get('/api/library?q=roadmap'))).toEqual([a.body.id]);
    expect(ids(await tester.client.get('/api/library?tag=plan'))).toEqual([a.body.id]);
    expect((await member.client.get('/api/library?q=ROADMAP')).body.items).toHaveLength(2);
    expect((await member.client.get('/api/library?q=.*')).body.items).toHaveLength(0);
  });

  it('folders: only empty ones are deleted; no cycles; grants only for existing groups and users', async () => {
    const top = (await ctx.owner.post('/api/library/folders', { name: 'Top' })).body.folder;
    const child = (await ctx.owner.post('/api/library/folders', { name: 'Child', parentId: top.id })).body.folder;
    expect((await ctx.owner.patch(`/api/library/folders/${top.id}`, { parentId: child.id })).status).toBe(400);
    expect((await ctx.owner.delete(`/api/library/folders/${top.id}`)).status).toBe(409);
    expect((await ctx.owner.delete(`/api/library/folders/${child.id}`)).status).toBe(200);
    const bad = await ctx.owner.put(`/api/library/folders/${top.id}/access`, {
      grants: [{ group: '0123456789abcdef01234567', level: 'view' }],
    });
    expect(bad.status).toBe(400);
    expect((await tester.client.delete(`/api/library/folders/${top.id}`)).status).toBe(404);
  });
});

describe('uploads', () => {
  it('sniffs the content type from the bytes, not the name; downloads safely; others get 404', async () => {
    const res = await upload(member.client, 'picture.txt', PNG);
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const doc = (await member.client.get(`/api/library/documents/${id}`)).body.document;
    expect(doc).toMatchObject({
      kind: 'file',
      title: 'picture.txt',
      file: { contentType: 'image/png', size: PNG.length, filename: 'picture.txt' },
    });
    const download = await fetch(`${ctx.url}/api/library/documents/${id}/file`, {
      headers: { cookie: member.client.cookieHeader() },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?picture\.txt"?$/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await tester.client.get(`/api/library/documents/${id}/file`)).status).toBe(404);
    expect((await ctx.anonymous().get(`/api/library/documents/${id}/file`)).status).toBe(401);
  });

  it('an HTML file named .pdf is served as plain text; a path in the name is stripped', async () => {
    const res = await upload(member.client, '../../etc/evil".pdf', Buffer.from('<script>alert(1)</script>'));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const download = await fetch(`${ctx.url}/api/library/documents/${id}/file`, {
      headers: { cookie: member.client.cookieHeader() },
    });
    expect(download.headers.get('content-type')).toMatch(/^text\/plain/);
    const disposition = download.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="?evil/);
    expect(disposition).not.toMatch(/\.\.|\//);
  });

  it('too large → 413 (declared or streamed), nothing stored', async () => {
    const before = (await member.client.get('/api/library?kind=file')).body.items.length;
    const big = Buffer.alloc(1024 * 1024 + 10, 7);
    expect((await upload(member.client, 'big.bin', big)).status).toBe(413);
    // A chunked body has no Content-Length: the limit applies while streaming.
    const form = new FormData();
    form.append('file', new Blob([big]), 'big.bin');
    const body = new Response(form);
    const stream = body.body;
    const chunked = await fetch(`${ctx.url}/api/library/files`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: {
        cookie: member.client.cookieHeader(),
        origin: ctx.url,
        'content-type': body.headers.get('content-type') ?? '',
      },
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await member.client.get('/api/library?kind=file')).body.items.length).toBe(before);
  });

  it('refuses uploads into a folder the caller cannot edit, before reading the body', async () => {
    const folder = (await ctx.owner.post('/api/library/folders', { name: 'Closed' })).body.folder;
    await ctx.owner.put(`/api/library/folders/${folder.id}/access`, { grants: [{ role: 'Member', level: 'view' }] });
    expect((await upload(member.client, 'a.png', PNG, `?folderId=${folder.id}`)).status).toBe(403);
    expect((await upload(tester.client, 'a.png', PNG, `?folderId=${folder.id}`)).status).toBe(404);
  });
});

describe('bad input answers 4xx JSON on every library route', () => {
  const bad: Array<[string, string, unknown]> = [
    ['GET', '/api/library?limit=0', undefined],
    ['GET', '/api/library?folderId=nope', undefined],
    ['GET', '/api/library?unknown=1', undefined],
    ['POST', '/api/library/folders', { name: '' }],
    ['POST', '/api/library/folders', { name: 'x', parentId: 'zz' }],
    ['PATCH', '/api/library/folders/nope', { name: 'x' }],
    ['DELETE', '/api/library/folders/nope', undefined],
    ['GET', '/api/library/folders/nope/access', undefined],
    ['PUT', '/api/library/folders/0123456789abcdef01234567/access', { grants: [{ role: 'King', level: 'view' }] }],
    ['POST', '/api/library/documents', {}],
    ['POST', '/api/library/documents', { title: 'x'.repeat(500) }],
    ['POST', '/api/library/documents', { title: 'x', extra: true }],
    ['GET', '/api/library/documents/nope', undefined],
    ['PATCH', '/api/library/documents/0123456789abcdef01234567', { tags: 'x' }],
    ['DELETE', '/api/library/documents/nope', undefined],
    ['GET', '/api/library/documents/nope/access', undefined],
    ['PUT', '/api/library/documents/0123456789abcdef01234567/access', { grants: [{ user: 'x', level: 'view' }] }],
    [
      'PUT',
      '/api/library/documents/0123456789abcdef01234567/access',
      { grants: [{ role: 'Member', user: '0123456789abcdef01234567', level: 'view' }] },
    ],
    ['PUT', '/api/library/documents/0123456789abcdef01234567/access', { grants: [{ role: 'Member', level: 'owner' }] }],
    ['POST', '/api/library/files?folderId=zz', undefined],
    ['POST', '/api/library/files', { not: 'multipart' }],
    ['GET', '/api/library/documents/nope/file', undefined],
    ['GET', '/api/library/documents/0123456789abcdef01234567/file', undefined],
    ['GET', '/api/library/documents/nope/versions', undefined],
    ['POST', '/api/library/documents/0123456789abcdef01234567/versions', { name: '' }],
    ['GET', '/api/library/documents/0123456789abcdef01234567/versions/nope', undefined],
    ['POST', '/api/library/documents/0123456789abcdef01234567/versions/nope/restore', undefined],
  ];
  it.each(bad)('%s %s', async (method, path, json) => {
    const res = await member.client.request(method, path, json === undefined ? {} : { json });
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBeTypeOf('string');
  });
  it('anonymous callers get 401 everywhere', async () => {
    for (const [method, path] of bad) {
      const res = await ctx.anonymous().request(method, path, {});
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});
