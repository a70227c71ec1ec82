import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collabCloseCodes } from '@crewdeck/shared/realtime';
import { connectEditor, upgradeStatus, waitFor, type Editor } from '../support/collab.ts';
import { startTestServer, type TestContext } from '../support/server.ts';

let ctx: TestContext;
const editors: Editor[] = [];
const open = (...args: Parameters<typeof connectEditor>) => {
  const editor = connectEditor(...args);
  editors.push(editor);
  return editor;
};

beforeAll(async () => {
  ctx = await startTestServer();
});
afterAll(async () => {
  for (const e of editors) e.destroy();
  await ctx?.close();
});

async function newDocument(title = 'Spec'): Promise<string> {
  const res = await ctx.owner.post('/api/library/documents', { title });
  expect(res.status, res.text).toBe(201);
  expect(res.body.code).toMatch(/^DOC-\d+$/);
  return res.body.id;
}

async function share(docId: string, grants: unknown[]): Promise<void> {
  const res = await ctx.owner.put(`/api/library/documents/${docId}/access`, { grants });
  expect(res.status, res.text).toBe(200);
}

/** Every stored update of a document, as text (the update bytes contain inserted strings verbatim). */
async function storedBytes(docId: string): Promise<string> {
  const rows = await mongoose.connection.collection('collab_updates').find({ docId }).toArray();
  return rows.map((r) => Buffer.from(r.update.buffer).toString('latin1')).join('|');
}

describe('co-editing over y-websocket', () => {
  it('two stock WebsocketProvider clients co-edit and converge', async () => {
    const docId = await newDocument();
    const member = await ctx.newUser('Member');
    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    const a = open(ctx.url, docId, ctx.owner, { awareness: { user: { name: 'Owner', color: '#f00' } } });
    const b = open(ctx.url, docId, member.client, { awareness: { user: { name: 'Member', color: '#0f0' } } });
    await Promise.all([a.synced, b.synced]);
    a.append('Hello from A');
    b.append('Hello from B');
    await waitFor(() => a.text().split('\n').length === 2 && b.text() === a.text(), 5000, 'convergence');
    expect(a.text()).toContain('Hello from A');
    expect(a.text()).toContain('Hello from B');
    // Awareness (names and cursor colours) reaches the other editor, named by the server from the session.
    await waitFor(
      () => a.provider.awareness.getStates().get(b.doc.clientID)?.user?.name === member.user.name,
      5000,
      'awareness',
    );
    const presence = await ctx.owner.get('/api/library/presence');
    expect(presence.body.documents[docId].map((p: { id: string }) => p.id).sort()).toEqual(
      [member.user.id, (await ctx.owner.get('/api/me')).body.id].sort(),
    );
  });

  it('a view-only client receives edits, but its own never reach others or the database; dropped once in the journal', async () => {
    const docId = await newDocument();
    const viewer = await ctx.newUser('Member');
    await share(docId, [{ user: viewer.user.id, level: 'view' }]);
    const editor = open(ctx.url, docId, ctx.owner);
    const view = open(ctx.url, docId, viewer.client);
    await Promise.all([editor.synced, view.synced]);
    editor.append('Written by the editor');
    await waitFor(() => view.text() === 'Written by the editor', 5000, 'viewer receives');
    view.append('SNEAKY-1');
    view.append('SNEAKY-2');
    editor.append('After');
    await waitFor(() => view.text().includes('After'), 5000, 'viewer receives later edits');
    await new Promise((r) => setTimeout(r, 300));
    expect(editor.text()).toBe('Written by the editor\nAfter');
    expect(await storedBytes(docId)).not.toContain('SNEAKY');
    const fresh = open(ctx.url, docId, ctx.owner);
    await fresh.synced;
    expect(fresh.text()).not.toContain('SNEAKY');
    const journal = await ctx.owner.get('/api/audit?action=document.editDropped&limit=50');
    expect(journal.status, journal.text).toBe(200);
    expect(
      journal.body.items.filter((e: { user: { id: string } | null }) => e.user?.id === viewer.user.id),
    ).toHaveLength(1);
  });

  it('refuses an anonymous upgrade (401), a user without access (404, as for a missing document), a missing document (404), a foreign origin (403)', async () => {
    const docId = await newDocument();
    const outsider = await ctx.newUser('Member');
    expect(await upgradeStatus(ctx.url, docId)).toBe(401);
    expect(await upgradeStatus(ctx.url, docId, { cookie: 'crewdeck_session=abcdefghijklmnopqrstuvwxyz012345' })).toBe(
      401,
    );
    expect(await upgradeStatus(ctx.url, docId, { cookie: outsider.client.cookieHeader() })).toBe(404);
    expect(await upgradeStatus(ctx.url, '0123456789abcdef01234567', { cookie: ctx.owner.cookieHeader() })).toBe(404);
    expect(
      await upgradeStatus(ctx.url, docId, { cookie: ctx.owner.cookieHeader(), origin: 'https://evil.example' }),
    ).toBe(403);
    expect(await upgradeStatus(ctx.url, docId, { cookie: ctx.owner.cookieHeader() })).toBe(101);
    expect(await upgradeStatus(ctx.url, 'not-an-id', { cookie: ctx.owner.cookieHeader() })).toBe(404);
  });

  it('closes a revoked user’s connection within 1 s (grant removed), with the shared close code', async () => {
    const docId = await newDocument();
    const member = await ctx.newUser('Member');
    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    const editor = open(ctx.url, docId, member.client);
    await editor.synced;
    const started = Date.now();
    await share(docId, []);
    await waitFor(() => editor.closes.length > 0, 1000, 'close after revocation');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(editor.closes[0]).toBe(collabCloseCodes.accessChanged);
    // Reconnecting is refused now.
    expect(await upgradeStatus(ctx.url, docId, { cookie: member.client.cookieHeader() })).toBe(404);
  });

  it('closes a disabled account’s connections within 1 s', async () => {
    const docId = await newDocument();
    const member = await ctx.newUser('Member');
    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    const editor = open(ctx.url, docId, member.client);
    await editor.synced;
    const started = Date.now();
    expect((await ctx.owner.patch(`/api/users/${member.user.id}`, { disabled: true })).status).toBe(200);
    await waitFor(() => editor.closes.length > 0, 1000, 'close after disabling');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(editor.closes[0]).toBe(collabCloseCodes.accessChanged);
  });

  it('an edit grant lowered to view reconnects the client as view-only', async () => {
    const docId = await newDocument();
    const member = await ctx.newUser('Member');
    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    const owner = open(ctx.url, docId, ctx.owner);
    const editor = open(ctx.url, docId, member.client);
    await Promise.all([owner.synced, editor.synced]);
    editor.append('while editing');
    await waitFor(() => owner.text() === 'while editing', 5000, 'edit relayed');
    await share(docId, [{ user: member.user.id, level: 'view' }]);
    await waitFor(() => editor.closes.length > 0, 1000, 'close after downgrade');
    await waitFor(() => editor.provider.wsconnected && editor.provider.synced, 5000, 'reconnected');
    editor.append('after downgrade');
    owner.append('owner still edits');
    await waitFor(() => editor.text().includes('owner still edits'), 5000, 'viewer receives');
    await new Promise((r) => setTimeout(r, 200));
    expect(owner.text()).not.toContain('after downgrade');
  });
});
