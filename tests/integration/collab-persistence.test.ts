import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEditor, waitFor, type Editor } from '../support/collab.ts';
import { HttpClient } from '../support/http.ts';
import { startServerProcess } from '../support/server-process.ts';
import { startTestServer, type TestContext } from '../support/server.ts';

const ADMIN = 'owner@persist.test';
const PASSWORD = 'owner-password-123';
const editors: Editor[] = [];
const open = (...args: Parameters<typeof connectEditor>) => {
  const editor = connectEditor(...args);
  editors.push(editor);
  return editor;
};
afterAll(() => {
  for (const e of editors) e.destroy();
});

const startChild = (dataDir: string) =>
  startServerProcess({ DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN, ADMIN_PASSWORD: PASSWORD });

describe('persistence across a crash', () => {
  it('edits, then SIGKILL of the server process, restart on the same data → content intact', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crewdeck-collab-'));
    try {
      const first = await startChild(dataDir);
      const owner = new HttpClient(first.url);
      expect((await owner.login(ADMIN, PASSWORD)).status).toBe(200);
      const docId: string = (await owner.post('/api/library/documents', { title: 'Crash' })).body.id;
      const writer = open(first.url, docId, owner);
      const witness = open(first.url, docId, owner);
      await Promise.all([writer.synced, witness.synced]);
      for (let i = 0; i < 50; i += 1) writer.append(`line ${i}`);
      // The server relays an update only after storing it: what the witness has is durable.
      await waitFor(() => witness.text().split('\n').length === 50, 5000, 'witness');
      await first.stop('SIGKILL');
      writer.destroy();
      witness.destroy();
      const second = await startChild(dataDir);
      try {
        const again = new HttpClient(second.url);
        expect((await again.login(ADMIN, PASSWORD)).status).toBe(200);
        const reader = open(second.url, docId, again);
        await reader.synced;
        expect(reader.text()).toBe(Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n'));
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('compaction and versions', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await startTestServer({
      library: { timings: { versionIdleMs: 300, textSaveMs: 50, compactIntervalMs: 200, compactMinUpdates: 20 } },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const updates = (docId: string) => mongoose.connection.collection('collab_updates').countDocuments({ docId });

  it('compaction (periodic, and on unload) keeps the content identical', async () => {
    const docId: string = (await ctx.owner.post('/api/library/documents', { title: 'Compact' })).body.id;
    const a = open(ctx.url, docId, ctx.owner);
    await a.synced;
    for (let i = 0; i < 60; i += 1) a.append(`para ${i}`);
    const expected = a.text();
    // The periodic sweep merges the log while the document stays open.
    await waitFor(() => ctx.server.collab.size === 1, 1000, 'loaded');
    await new Promise((r) => setTimeout(r, 600));
    expect(await updates(docId)).toBeLessThan(20);
    expect(await mongoose.connection.collection('collab_heads').countDocuments({ _id: docId } as never)).toBe(1);
    a.append('after compaction');
    a.destroy();
    // Last connection gone: unloaded, and the rest of the log merged.
    await waitFor(() => ctx.server.collab.size === 0, 5000, 'unloaded');
    expect(await updates(docId)).toBe(0);
    const b = open(ctx.url, docId, ctx.owner);
    await b.synced;
    expect(b.text()).toBe(`${expected}\nafter compaction`);
    expect(await ctx.server.collab.compact(docId)).toBe(false);
  });

  it('automatic and named versions list who changed it; restore converges on every connected client', async () => {
    const member = await ctx.newUser('Member', { name: 'Mia Member' });
    const docId: string = (await ctx.owner.post('/api/library/documents', { title: 'Versioned' })).body.id;
    await ctx.owner.put(`/api/library/documents/${docId}/access`, {
      grants: [{ user: member.user.id, level: 'edit' }],
    });
    const a = open(ctx.url, docId, ctx.owner);
    const b = open(ctx.url, docId, member.client);
    await Promise.all([a.synced, b.synced]);
    b.append('first draft');
    await waitFor(() => a.text() === 'first draft', 5000, 'sync');
    // 300 ms of inactivity → automatic version, crediting the member.
    let list = await ctx.owner.get(`/api/library/documents/${docId}/versions`);
    for (let i = 0; i < 50 && list.body.items.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      list = await ctx.owner.get(`/api/library/documents/${docId}/versions`);
    }
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ number: 1, kind: 'auto', createdBy: null });
    expect(list.body.items[0].contributors.map((p: { name: string }) => p.name)).toEqual(['Mia Member']);
    const named = await ctx.owner.post(`/api/library/documents/${docId}/versions`, { name: 'Approved' });
    expect(named.status, named.text).toBe(201);
    expect(named.body.version).toMatchObject({ number: 2, kind: 'named', name: 'Approved' });
    a.append('second thoughts');
    await waitFor(() => b.text() === 'first draft\nsecond thoughts', 5000, 'sync 2');
    const view = await member.client.get(`/api/library/documents/${docId}/versions/${named.body.version.id}`);
    expect(view.status).toBe(200);
    expect(view.body.text).toBe('first draft');
    const restored = await member.client.post(
      `/api/library/documents/${docId}/versions/${named.body.version.id}/restore`,
    );
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.version).toMatchObject({ kind: 'restore', name: 'Restored version 2' });
    await waitFor(() => a.text() === 'first draft' && b.text() === 'first draft', 5000, 'restore converges');
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    // Editing goes on from the restored content.
    a.append('continued');
    await waitFor(() => b.text() === 'first draft\ncontinued', 5000, 'after restore');
    // A viewer may list and view but not restore.
    const viewer = await ctx.newUser('Member');
    await ctx.owner.put(`/api/library/documents/${docId}/access`, {
      grants: [
        { user: member.user.id, level: 'edit' },
        { user: viewer.user.id, level: 'view' },
      ],
    });
    expect((await viewer.client.get(`/api/library/documents/${docId}/versions`)).status).toBe(200);
    expect(
      (await viewer.client.post(`/api/library/documents/${docId}/versions/${named.body.version.id}/restore`)).status,
    ).toBe(403);
  });

  it('search finds a rich-text document by its co-edited text once saved', async () => {
    const docId: string = (await ctx.owner.post('/api/library/documents', { title: 'Plain title' })).body.id;
    const a = open(ctx.url, docId, ctx.owner);
    await a.synced;
    a.append('the quokka protocol');
    let found = await ctx.owner.get('/api/library?q=quokka');
    for (let i = 0; i < 50 && found.body.items.length === 0; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      found = await ctx.owner.get('/api/library?q=quokka');
    }
    expect(found.body.items.map((d: { id: string }) => d.id)).toEqual([docId]);
  });
});
