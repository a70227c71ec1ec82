import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedEntrySchema, feedPageSchema, type FeedEntry } from '@crewdeck/shared/feed';
import type { LibraryPresenceEvent } from '@crewdeck/shared/realtime';
import { connectEditor, waitFor, type Editor } from '../support/collab.ts';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
let member: TestUser;
let outsider: TestUser;
const sockets: RecordingSocket[] = [];
const editors: Editor[] = [];

beforeAll(async () => {
  // Automatic versions after 1 s of inactivity: long enough not to fire mid-step by accident.
  ctx = await startTestServer({ library: { timings: { versionIdleMs: 1000, textSaveMs: 50 } } });
  member = await ctx.newUser('Member', { name: 'Mia Member' });
  outsider = await ctx.newUser('Member', { name: 'Otto Outsider' });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const e of editors) e.destroy();
  await ctx?.close();
});

async function live(client: HttpClient, lastSeq?: number): Promise<RecordingSocket> {
  const socket = connectSocket(ctx.url, client, { lastSeq });
  sockets.push(socket);
  await socket.ready;
  return socket;
}

function edit(docId: string, client: HttpClient): Editor {
  const editor = connectEditor(ctx.url, docId, client);
  editors.push(editor);
  return editor;
}

const typesOf = (entries: FeedEntry[], docId: string) =>
  entries.filter((e) => e.resource.id === docId).map((e) => e.type);
const libraryEntries = (entries: FeedEntry[]) => entries.filter((e) => e.projectId === null);

async function newDocument(client: HttpClient, title: string): Promise<string> {
  const res = await client.post('/api/library/documents', { title });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function share(docId: string, grants: Array<{ user: string; level: string }>): Promise<void> {
  const res = await ctx.owner.put(`/api/library/documents/${docId}/access`, { grants });
  expect(res.status, res.text).toBe(200);
}

describe('library entries in the workspace feed', () => {
  it('created, shared, versions saved (automatic and named) and restored reach the viewers live, never an outsider', async () => {
    const [owner, viewer, other] = await Promise.all([live(ctx.owner), live(member.client), live(outsider.client)]);
    const docId = await newDocument(ctx.owner, 'Spec');
    await waitFor(() => typesOf(owner.feed, docId).length === 1, 5000, 'document.created for the owner');
    const created = owner.feed.find((e) => e.resource.id === docId);
    expect(feedEntrySchema.parse(created)).toMatchObject({
      type: 'document.created',
      projectId: null,
      resource: { kind: 'document', id: docId },
      data: { title: 'Spec' },
    });
    expect(created?.resource.code).toMatch(/^DOC-\d+$/);

    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    await waitFor(
      () => typesOf(viewer.feed, docId).includes('document.shared'),
      5000,
      'document.shared for the member',
    );

    // Edits alone add nothing; 1 s of inactivity saves an automatic version.
    const a = edit(docId, ctx.owner);
    const b = edit(docId, member.client);
    await Promise.all([a.synced, b.synced]);
    a.append('first draft');
    await waitFor(() => b.text() === 'first draft', 5000, 'sync');
    await waitFor(() => typesOf(viewer.feed, docId).includes('document.versionSaved'), 5000, 'automatic version');
    expect(viewer.feed.find((e) => e.type === 'document.versionSaved' && e.resource.id === docId)).toMatchObject({
      actor: null,
      data: { kind: 'auto', version: 1 },
    });

    const named = await member.client.post(`/api/library/documents/${docId}/versions`, { name: 'Approved' });
    expect(named.status, named.text).toBe(201);
    a.append('unsaved thoughts');
    await waitFor(() => b.text() === 'first draft\nunsaved thoughts', 5000, 'sync 2');
    const restored = await member.client.post(
      `/api/library/documents/${docId}/versions/${named.body.version.id}/restore`,
    );
    expect(restored.status, restored.text).toBe(200);

    const expected = [
      'document.created',
      'document.shared',
      'document.versionSaved',
      'document.versionSaved',
      'document.versionSaved',
      'document.restored',
    ];
    await waitFor(() => typesOf(owner.feed, docId).length === expected.length, 5000, 'every entry for the owner');
    expect(typesOf(owner.feed, docId)).toEqual(expected);
    // The member became a viewer with the share: everything from there on.
    await waitFor(() => typesOf(viewer.feed, docId).length === expected.length - 1, 5000, 'every entry for the member');
    expect(typesOf(viewer.feed, docId)).toEqual(expected.slice(1));
    const byMember = viewer.feed
      .filter((e) => e.resource.id === docId && e.actor?.id === member.user.id)
      .map((e) => [e.type, e.data.kind, e.data.beforeRestore ?? false]);
    expect(byMember).toEqual([
      ['document.versionSaved', 'named', false],
      ['document.versionSaved', 'auto', true],
      ['document.restored', 'restore', false],
    ]);
    const seqs = owner.feed.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Nothing about the document ever reached the outsider.
    await sleep(300);
    expect(libraryEntries(other.feed)).toEqual([]);
  });

  it('restore first keeps the unsaved content as an automatic version', async () => {
    const docId = await newDocument(ctx.owner, 'Restore safety');
    const a = edit(docId, ctx.owner);
    const b = edit(docId, ctx.owner);
    await Promise.all([a.synced, b.synced]);
    a.append('kept');
    // Seen by the other editor: the server has it.
    await waitFor(() => b.text() === 'kept', 5000, 'sync');
    const named = await ctx.owner.post(`/api/library/documents/${docId}/versions`, { name: 'Base' });
    expect(named.status, named.text).toBe(201);
    a.append('typed after the last version');
    await waitFor(() => b.text() === 'kept\ntyped after the last version', 5000, 'sync 2');
    const restored = await ctx.owner.post(`/api/library/documents/${docId}/versions/${named.body.version.id}/restore`);
    expect(restored.status, restored.text).toBe(200);
    await waitFor(() => a.text() === 'kept' && b.text() === 'kept', 5000, 'restore converges');
    const list = (await ctx.owner.get(`/api/library/documents/${docId}/versions`)).body.items as Array<{
      id: string;
      number: number;
      kind: string;
    }>;
    expect(list.map((v) => v.kind)).toEqual(['restore', 'auto', 'named']);
    const before = await ctx.owner.get(`/api/library/documents/${docId}/versions/${list[1]?.id}`);
    expect(before.body.text).toBe('kept\ntyped after the last version');
    // Restoring again with nothing new since the last version adds no empty automatic version.
    const again = await ctx.owner.post(`/api/library/documents/${docId}/versions/${named.body.version.id}/restore`);
    expect(again.status, again.text).toBe(200);
    const after = (await ctx.owner.get(`/api/library/documents/${docId}/versions`)).body.items as Array<{
      kind: string;
    }>;
    expect(after.map((v) => v.kind)).toEqual(['restore', 'restore', 'auto', 'named']);
  });

  it('resume after a disconnect replays exactly the library and project entries the user may read, in order', async () => {
    const project = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const hiddenProject = await ctx.newProject();
    const first = await live(member.client);
    const lastSeq = first.synced[0]?.lastSeq ?? 0;
    first.close();

    const shared = await newDocument(ctx.owner, 'Shared later');
    await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title: 'visible task' });
    const hidden = await newDocument(ctx.owner, 'Never shared');
    await share(shared, [{ user: member.user.id, level: 'view' }]);
    await ctx.owner.post(`/api/projects/${hiddenProject.id}/tasks`, { title: 'hidden task' });
    const own = await newDocument(member.client, 'Mine');
    await share(hidden, [{ user: outsider.user.id, level: 'view' }]);

    const resumed = await live(member.client, lastSeq);
    // Not the creation of `shared` (the member could not view it yet), nothing about `hidden`
    // or the hidden project; the share, their own document and the project's task, in seq order.
    expect(resumed.synced[0]?.replayed).toBe(3);
    expect(resumed.feed.map((e) => [e.type, e.data.title])).toEqual([
      ['task.created', 'visible task'],
      ['document.shared', 'Shared later'],
      ['document.created', 'Mine'],
    ]);
    const seqs = resumed.feed.map((e) => e.seq);
    expect(seqs.every((seq) => seq > lastSeq)).toBe(true);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Live again afterwards, without duplicates.
    await share(own, [{ user: outsider.user.id, level: 'view' }]);
    await resumed.waitForFeed(4);
    await sleep(200);
    expect(resumed.feed.map((e) => e.type)).toEqual([
      'task.created',
      'document.shared',
      'document.created',
      'document.shared',
    ]);
  });

  it('GET /api/feed lists library entries to their viewers only, and leaves them out of project and "mine" views', async () => {
    const project = await ctx.newProject({ members: [{ user: member, role: 'member' }] });
    const docId = await newDocument(ctx.owner, 'Listed');
    await share(docId, [{ user: member.user.id, level: 'comment' }]);
    const mine = feedPageSchema.parse((await member.client.get('/api/feed?limit=500')).body);
    expect(typesOf(mine.items, docId)).toEqual(['document.shared']);
    const seqs = mine.items.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    const owners = feedPageSchema.parse((await ctx.owner.get('/api/feed?limit=500')).body);
    expect(typesOf(owners.items, docId)).toEqual(['document.shared', 'document.created']);
    const outsiders = feedPageSchema.parse((await outsider.client.get('/api/feed?limit=500')).body);
    expect(outsiders.items.filter((e) => e.resource.id === docId)).toEqual([]);
    // Paging forward from a seq, as a client catching up does.
    const after = feedPageSchema.parse(
      (await member.client.get(`/api/feed?after=${(seqs.at(-1) ?? 1) - 1}&limit=500`)).body,
    );
    expect(after.items.map((e) => e.seq)).toEqual([...seqs].reverse());
    expect(libraryEntries((await member.client.get(`/api/feed?projectId=${project.id}`)).body.items)).toEqual([]);
    expect(libraryEntries((await member.client.get('/api/feed?mine=true')).body.items)).toEqual([]);
  });

  it('"who is editing" reaches the users who may view the document, never an outsider', async () => {
    const docId = await newDocument(ctx.owner, 'Presence');
    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    const [owner, other] = await Promise.all([live(ctx.owner), live(outsider.client)]);
    const seen = (socket: RecordingSocket) => {
      const events: LibraryPresenceEvent[] = [];
      socket.socket.on('library:presence', (event) => events.push(event));
      return events;
    };
    const ownerEvents = seen(owner);
    const outsiderEvents = seen(other);
    const editor = edit(docId, member.client);
    await editor.synced;
    await waitFor(
      () =>
        ownerEvents.some(
          (e) =>
            e.documentId === docId && e.editing.some((p) => p.userId === member.user.id && p.name === 'Mia Member'),
        ),
      5000,
      'presence: joined',
    );
    editor.destroy();
    await waitFor(
      () => ownerEvents.at(-1)?.documentId === docId && ownerEvents.at(-1)?.editing.length === 0,
      5000,
      'presence: left',
    );
    await sleep(300);
    expect(outsiderEvents).toEqual([]);
    // The REST answer (on load and after a reconnect) follows the same rule.
    expect((await outsider.client.get('/api/library/presence')).body.documents[docId]).toBeUndefined();
  });
});
