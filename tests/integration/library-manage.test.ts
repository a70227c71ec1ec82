import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collabCloseCodes } from '@crewdeck/shared/realtime';
import { libraryTrashListSchema } from '@crewdeck/shared/library';
import { connectEditor, upgradeStatus, waitFor } from '../support/collab.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';

let ctx: TestContext;
let member: TestUser;
let viewer: TestUser;
let outsider: TestUser;

// The periodic purge runs every 200 ms in this file (hourly by default).
process.env.LIBRARY_TRASH_PURGE_MS = '200';

beforeAll(async () => {
  ctx = await startTestServer();
  member = await ctx.newUser('Member', { name: 'Mo Member' });
  viewer = await ctx.newUser('Member', { name: 'Vi Viewer' });
  outsider = await ctx.newUser('Tester');
});
afterAll(async () => {
  await ctx?.close();
});

async function newDoc(title: string, folderId?: string): Promise<string> {
  const res = await member.client.post('/api/library/documents', { title, ...(folderId ? { folderId } : {}) });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function newFolder(name: string, parentId?: string): Promise<string> {
  const res = await member.client.post('/api/library/folders', { name, ...(parentId ? { parentId } : {}) });
  expect(res.status, res.text).toBe(201);
  return res.body.folder.id;
}

async function shareView(kind: 'documents' | 'folders', id: string): Promise<void> {
  const res = await member.client.put(`/api/library/${kind}/${id}/access`, {
    grants: [{ user: viewer.user.id, level: 'view' }],
  });
  expect(res.status, res.text).toBe(200);
}

const listIds = async (client: TestUser['client'], query = '') =>
  ((await client.get(`/api/library${query}`)).body.items as Array<{ id: string }>).map((d) => d.id);

const trashIds = async (client: TestUser['client']) =>
  libraryTrashListSchema.parse((await client.get('/api/library/trash')).body).items.map((i) => i.id);

describe('rename and move', () => {
  it('renames and moves documents and folders; a folder cannot move into its own subtree', async () => {
    const a = await newFolder('A');
    const b = await newFolder('B', a);
    const c = await newFolder('C', b);
    const doc = await newDoc('Draft');
    const renamed = await member.client.patch(`/api/library/documents/${doc}`, { title: 'Final', folderId: b });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.document).toMatchObject({ title: 'Final', folderId: b });
    expect((await member.client.patch(`/api/library/folders/${b}`, { name: 'Bee' })).body.folder.name).toBe('Bee');
    for (const target of [a, b, c]) {
      const res = await member.client.patch(`/api/library/folders/${a}`, { parentId: target });
      expect(res.status, res.text).toBe(400);
      expect(res.body.error.fields).toHaveProperty('parentId');
    }
    const moved = await member.client.patch(`/api/library/folders/${c}`, { parentId: null });
    expect(moved.body.folder.parentId).toBeNull();
  });

  it('a view-only grantee may not rename (403); an outsider learns nothing (404)', async () => {
    const doc = await newDoc('Shared');
    await shareView('documents', doc);
    expect((await viewer.client.patch(`/api/library/documents/${doc}`, { title: 'X' })).status).toBe(403);
    expect((await outsider.client.patch(`/api/library/documents/${doc}`, { title: 'X' })).status).toBe(404);
  });
});

describe('deleting documents', () => {
  it('moves to the trash: gone from get, list and search; restored with content and versions', async () => {
    const doc = await newDoc('Quarterly plan');
    const editor = connectEditor(ctx.url, doc, member.client);
    await editor.synced;
    editor.append('PLAN-CONTENT');
    const version = await (async () => {
      for (let i = 0; i < 50; i += 1) {
        const res = await member.client.post(`/api/library/documents/${doc}/versions`, { name: 'v1' });
        if (
          res.status === 201 &&
          (await member.client.get(`/api/library/documents/${doc}/versions/${res.body.version.id}`)).body.text.includes(
            'PLAN-CONTENT',
          )
        )
          return res.body.version.id as string;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('content never reached the server');
    })();
    const removed = await member.client.delete(`/api/library/documents/${doc}`);
    expect(removed.status, removed.text).toBe(200);
    const until = new Date(removed.body.restoreUntil).getTime();
    expect(Math.abs(until - Date.now() - 30 * 86_400_000)).toBeLessThan(60_000);
    // Its co-editing connection is closed, and a new one is refused.
    await waitFor(() => editor.closes.length > 0, 5000, 'editor closed');
    expect(editor.closes[0]).toBe(collabCloseCodes.accessChanged);
    editor.provider.shouldConnect = false;
    editor.destroy();
    expect(await upgradeStatus(ctx.url, doc, { cookie: member.client.cookieHeader() })).toBe(404);
    expect((await member.client.get(`/api/library/documents/${doc}`)).status).toBe(404);
    expect((await member.client.get(`/api/library/documents/${doc}/versions`)).status).toBe(404);
    expect(await listIds(member.client)).not.toContain(doc);
    expect(await listIds(member.client, '?q=Quarterly')).toEqual([]);
    expect(await listIds(member.client, '?q=PLAN-CONTENT')).toEqual([]);
    expect(await trashIds(member.client)).toContain(doc);
    const item = (await member.client.get('/api/library/trash')).body.items.find((i: { id: string }) => i.id === doc);
    expect(item).toMatchObject({ kind: 'document', title: 'Quarterly plan', deletedBy: { name: 'Mo Member' } });

    const restored = await member.client.post(`/api/library/trash/documents/${doc}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.document.title).toBe('Quarterly plan');
    expect(await trashIds(member.client)).not.toContain(doc);
    expect(await listIds(member.client, '?q=Quarterly')).toEqual([doc]);
    const versions = await member.client.get(`/api/library/documents/${doc}/versions`);
    expect(versions.body.items.map((v: { id: string }) => v.id)).toContain(version);
    const again = connectEditor(ctx.url, doc, member.client);
    await again.synced;
    await waitFor(() => again.text().includes('PLAN-CONTENT'), 5000, 'content back');
    again.destroy();
    // Journal and feed.
    const journal = (await ctx.owner.get('/api/audit?limit=20')).body.items.map((e: { action: string }) => e.action);
    expect(journal).toEqual(expect.arrayContaining(['document.delete', 'document.recover']));
    const feed = (await member.client.get('/api/feed?limit=20')).body.items;
    const types = feed
      .filter((e: { resource: { id: string } }) => e.resource.id === doc)
      .map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['document.deleted', 'document.recovered']));
  });

  it('outsiders get 404, view-only grantees 403, for delete, restore and the trash', async () => {
    const doc = await newDoc('Guarded');
    await shareView('documents', doc);
    expect((await outsider.client.delete(`/api/library/documents/${doc}`)).status).toBe(404);
    expect((await viewer.client.delete(`/api/library/documents/${doc}`)).status).toBe(403);
    expect((await member.client.delete(`/api/library/documents/${doc}`)).status).toBe(200);
    expect(await trashIds(viewer.client)).not.toContain(doc);
    expect(await trashIds(outsider.client)).not.toContain(doc);
    expect(await trashIds(ctx.owner)).toContain(doc);
    expect((await outsider.client.post(`/api/library/trash/documents/${doc}/restore`)).status).toBe(404);
    expect((await viewer.client.post(`/api/library/trash/documents/${doc}/restore`)).status).toBe(403);
    expect((await member.client.delete(`/api/library/documents/${doc}`)).status).toBe(404);
    expect((await ctx.owner.post(`/api/library/trash/documents/${doc}/restore`)).status).toBe(200);
    expect((await viewer.client.get(`/api/library/documents/${doc}`)).status).toBe(200);
    expect((await ctx.owner.post(`/api/library/trash/documents/${doc}/restore`)).status).toBe(404);
  });
});

describe('deleting folders', () => {
  it('a non-empty folder needs withContents; the subtree goes and comes back together', async () => {
    const top = await newFolder('Projects');
    const sub = await newFolder('Specs', top);
    const inTop = await newDoc('Overview', top);
    const inSub = await newDoc('Spec 1', sub);
    const refused = await member.client.delete(`/api/library/folders/${top}`);
    expect(refused.status).toBe(409);
    const removed = await member.client.delete(`/api/library/folders/${top}?withContents=true`);
    expect(removed.status, removed.text).toBe(200);
    for (const id of [inTop, inSub]) expect((await member.client.get(`/api/library/documents/${id}`)).status).toBe(404);
    const after = await member.client.get('/api/library');
    expect(after.body.folders.map((f: { id: string }) => f.id)).not.toEqual(expect.arrayContaining([top]));
    expect(after.body.folders.map((f: { id: string }) => f.id)).not.toContain(sub);
    const trash = libraryTrashListSchema.parse((await member.client.get('/api/library/trash')).body).items;
    // Only the root is listed; what it took along is restored with it.
    expect(trash.find((i) => i.id === top)).toMatchObject({ kind: 'folder', contains: 3 });
    expect(trash.map((i) => i.id)).not.toContain(inSub);
    expect((await member.client.post(`/api/library/trash/documents/${inSub}/restore`)).status).toBe(404);
    const restored = await member.client.post(`/api/library/trash/folders/${top}/restore`);
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.folder.name).toBe('Projects');
    for (const id of [inTop, inSub]) expect((await member.client.get(`/api/library/documents/${id}`)).status).toBe(200);
    const feed = (await member.client.get('/api/feed?limit=20')).body.items;
    const types = feed
      .filter((e: { resource: { id: string } }) => e.resource.id === top)
      .map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['folder.deleted', 'folder.recovered']));
  });

  it('outsiders get 404, view-only grantees 403; a document whose folder is in the trash restores after it', async () => {
    const folder = await newFolder('Private');
    const doc = await newDoc('Inside', folder);
    await shareView('folders', folder);
    expect((await outsider.client.delete(`/api/library/folders/${folder}?withContents=true`)).status).toBe(404);
    expect((await viewer.client.delete(`/api/library/folders/${folder}?withContents=true`)).status).toBe(403);
    expect((await member.client.delete(`/api/library/documents/${doc}`)).status).toBe(200);
    expect((await member.client.delete(`/api/library/folders/${folder}`)).status).toBe(200);
    expect((await viewer.client.post(`/api/library/trash/folders/${folder}/restore`)).status).toBe(403);
    expect((await outsider.client.post(`/api/library/trash/folders/${folder}/restore`)).status).toBe(404);
    const blocked = await member.client.post(`/api/library/trash/documents/${doc}/restore`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.fields).toHaveProperty('folderId');
    expect((await member.client.post(`/api/library/trash/folders/${folder}/restore`)).status).toBe(200);
    expect((await member.client.post(`/api/library/trash/documents/${doc}/restore`)).status).toBe(200);
  });
});

describe('purge', () => {
  it('after 30 days the item leaves the trash and is removed with its content', async () => {
    const doc = await newDoc('Old notes');
    const editor = connectEditor(ctx.url, doc, member.client);
    await editor.synced;
    editor.append('OLD-CONTENT');
    const updates = mongoose.connection.collection('collab_updates');
    for (let i = 0; i < 50 && (await updates.countDocuments({ docId: doc })) === 0; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    expect(await updates.countDocuments({ docId: doc })).toBeGreaterThan(0);
    editor.provider.shouldConnect = false;
    editor.destroy();
    const fresh = await newDoc('Recently deleted');
    expect((await member.client.delete(`/api/library/documents/${doc}`)).status).toBe(200);
    expect((await member.client.delete(`/api/library/documents/${fresh}`)).status).toBe(200);
    const docs = mongoose.connection.collection('library_documents');
    const _id = new mongoose.Types.ObjectId(doc);
    await docs.updateOne({ _id }, { $set: { deletedAt: new Date(Date.now() - 31 * 86_400_000) } });
    // Past its time it is no longer restorable, even before the purge ran.
    expect(await trashIds(member.client)).not.toContain(doc);
    let gone = false;
    for (let i = 0; i < 100 && !gone; i += 1) {
      gone = (await docs.countDocuments({ _id })) === 0;
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone).toBe(true);
    expect(await updates.countDocuments({ docId: doc })).toBe(0);
    expect((await member.client.post(`/api/library/trash/documents/${doc}/restore`)).status).toBe(404);
    // Something deleted today stays.
    expect(await trashIds(member.client)).toContain(fresh);
    expect(await docs.countDocuments({ _id: new mongoose.Types.ObjectId(fresh) })).toBe(1);
  });
});
