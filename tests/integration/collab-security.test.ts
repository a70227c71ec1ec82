import * as encoding from 'lib0/encoding';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { limits } from '@crewdeck/shared/limits';
import { collabCloseCodes, collabColor, type SessionEndReason } from '@crewdeck/shared/realtime';
import { connectEditor, upgradeStatus, waitFor, wsUrl, type Editor } from '../support/collab.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

let ctx: TestContext;
const editors: Editor[] = [];
const sockets: RecordingSocket[] = [];
const raw: WebSocket[] = [];
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
  for (const s of sockets) s.close();
  for (const ws of raw) ws.terminate();
  await ctx?.close();
});

async function newDocument(title = 'Secured'): Promise<string> {
  const res = await ctx.owner.post('/api/library/documents', { title });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function share(docId: string, grants: unknown[]): Promise<void> {
  const res = await ctx.owner.put(`/api/library/documents/${docId}/access`, { grants });
  expect(res.status, res.text).toBe(200);
}

/** Every stored update of a document, as text (inserted strings appear verbatim). */
async function storedBytes(docId: string): Promise<string> {
  const rows = await mongoose.connection.collection('collab_updates').find({ docId }).toArray();
  return rows.map((r) => Buffer.from(r.update.buffer).toString('latin1')).join('|');
}

/** A y-websocket awareness frame carrying one client's entry, as any client could send it. */
function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 1);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

/** When the socket was disconnected, and the `session:ended` reason it was told first. */
function watchSocket(rec: RecordingSocket): { ended: SessionEndReason | null; disconnectedAt: number | null } {
  const seen: { ended: SessionEndReason | null; disconnectedAt: number | null } = { ended: null, disconnectedAt: null };
  rec.socket.on('session:ended', ({ reason }) => (seen.ended = reason));
  rec.socket.on('disconnect', () => (seen.disconnectedAt = Date.now()));
  return seen;
}

/** The instant the editor's first close arrived. */
function watchClose(editor: Editor): { at: number | null } {
  const seen: { at: number | null } = { at: null };
  editor.provider.on('connection-close', () => (seen.at ??= Date.now()));
  return seen;
}

describe('expiry takes effect at its instant on every transport', () => {
  async function connectExternal(external: TestUser, docId: string) {
    const editor = open(ctx.url, docId, external.client);
    const observer = open(ctx.url, docId, ctx.owner);
    const socket = connectSocket(ctx.url, external.client);
    sockets.push(socket);
    await Promise.all([editor.synced, observer.synced, socket.ready]);
    return { editor, observer, socket, closed: watchClose(editor), seen: watchSocket(socket) };
  }

  /**
   * With `editAfter`, the editor sends an edit just after the instant (while the revocation is
   * still under way) and then stops reconnecting, so only the server's timer can end the
   * Socket.IO session; without it, only the timer can close either connection.
   */
  async function expectExpiredAt(
    instant: number,
    docId: string,
    external: TestUser,
    live: Awaited<ReturnType<typeof connectExternal>>,
    editAfter: boolean,
  ) {
    const { editor, observer, closed, seen } = live;
    await sleep(Math.max(0, instant - Date.now()) + 2);
    if (editAfter) {
      editor.append('AFTER-EXPIRY');
      editor.provider.shouldConnect = false;
    }
    await waitFor(
      () => closed.at !== null && seen.disconnectedAt !== null,
      instant + 1000 - Date.now(),
      'both connections closed',
    );
    expect(closed.at! - instant).toBeLessThan(1000);
    expect(seen.disconnectedAt! - instant).toBeLessThan(1000);
    expect(editor.closes[0]).toBe(collabCloseCodes.accessChanged);
    expect(seen.ended).toBe('expired');
    editor.provider.shouldConnect = false;
    // Neither stored nor shown to the other editor, nor to anyone joining later.
    await sleep(300);
    expect(observer.text()).toContain('BEFORE-EXPIRY');
    expect(observer.text()).not.toContain('AFTER-EXPIRY');
    expect(await storedBytes(docId)).toContain('BEFORE-EXPIRY');
    expect(await storedBytes(docId)).not.toContain('AFTER-EXPIRY');
    const late = open(ctx.url, docId, ctx.owner);
    await late.synced;
    expect(late.text()).not.toContain('AFTER-EXPIRY');
    // HTTP checks on each request; the co-editing upgrade too.
    expect((await external.client.get('/api/me')).status).toBe(401);
    expect(await upgradeStatus(ctx.url, docId, { cookie: external.client.cookieHeader() })).toBe(401);
  }

  async function moveExpiry(external: TestUser, ms: number): Promise<number> {
    const instant = Date.now() + ms;
    const moved = await ctx.owner.patch(`/api/users/${external.user.id}`, {
      expiresAt: new Date(instant).toISOString(),
    });
    expect(moved.status, moved.text).toBe(200);
    return instant;
  }

  for (const editAfter of [true, false]) {
    const what = editAfter ? 'an edit sent after it is neither stored nor seen' : 'with nothing sent';
    it(`an expiry moved to 1.5 s ahead, ${what}: Yjs and Socket.IO close within 1 s of the instant`, async () => {
      const docId = await newDocument();
      const external = await ctx.newUser('External');
      await share(docId, [{ user: external.user.id, level: 'edit' }]);
      const live = await connectExternal(external, docId);
      const instant = await moveExpiry(external, 1500);
      live.editor.append('BEFORE-EXPIRY');
      await waitFor(() => live.observer.text().includes('BEFORE-EXPIRY'), 1000, 'edit before the instant relayed');
      await expectExpiredAt(instant, docId, external, live, editAfter);
    });
  }

  it('an expiry set at creation is armed when the session is first used', async () => {
    const docId = await newDocument();
    const instant = Date.now() + 3000;
    const external = await ctx.newUser('External', { expiresAt: new Date(instant).toISOString() });
    await share(docId, [{ user: external.user.id, level: 'edit' }]);
    const live = await connectExternal(external, docId);
    expect(Date.now()).toBeLessThan(instant - 500);
    live.editor.append('BEFORE-EXPIRY');
    await waitFor(() => live.observer.text().includes('BEFORE-EXPIRY'), 1000, 'edit before the instant relayed');
    await expectExpiredAt(instant, docId, external, live, false);
  });

  it('an expiry moved later keeps the connections open past the old instant', async () => {
    const docId = await newDocument();
    const external = await ctx.newUser('External');
    await share(docId, [{ user: external.user.id, level: 'edit' }]);
    const live = await connectExternal(external, docId);
    const first = await moveExpiry(external, 1000);
    await moveExpiry(external, 86_400_000);
    await sleep(Math.max(0, first - Date.now()) + 300);
    live.editor.append('STILL-HERE');
    await waitFor(() => live.observer.text().includes('STILL-HERE'), 2000, 'edit after the old instant relayed');
    expect(live.closed.at).toBeNull();
    expect(live.seen.disconnectedAt).toBeNull();
    expect((await external.client.get('/api/me')).status).toBe(200);
  });
});

describe('awareness is bound to the connection and named from the session', () => {
  async function threeInRoom() {
    const docId = await newDocument();
    const viewer = await ctx.newUser('Member', { name: 'Vera Viewer' });
    const member = await ctx.newUser('Member', { name: 'Milo Member' });
    await share(docId, [
      { user: viewer.user.id, level: 'view' },
      { user: member.user.id, level: 'edit' },
    ]);
    const me = (await ctx.owner.get('/api/me')).body as { id: string; name: string };
    const owner = open(ctx.url, docId, ctx.owner, { awareness: { user: { name: me.name }, cursor: 'owner' } });
    const spoofer = open(ctx.url, docId, viewer.client, { awareness: { user: { name: 'Vera' }, cursor: 'viewer' } });
    const watcher = open(ctx.url, docId, member.client, { awareness: { user: { name: 'Milo' }, cursor: 'member' } });
    await Promise.all([owner.synced, spoofer.synced, watcher.synced]);
    await waitFor(
      () =>
        watcher.provider.awareness.getStates().has(owner.doc.clientID) &&
        watcher.provider.awareness.getStates().has(spoofer.doc.clientID),
      5000,
      'everyone present',
    );
    return { me, viewer, owner, spoofer, watcher };
  }

  it('drops a view-only viewer’s awareness for the owner’s clientID with a higher clock', async () => {
    const { me, owner, spoofer, watcher } = await threeInRoom();
    const ownerClock = owner.provider.awareness.meta.get(owner.doc.clientID)?.clock ?? 0;
    spoofer.provider.ws?.send(awarenessFrame(owner.doc.clientID, ownerClock + 100, { user: { name: 'SPOOFED' } }));
    // A later message of the spoofer's own, as a barrier: once it arrived, the spoof was handled.
    spoofer.provider.awareness.setLocalStateField('cursor', 'barrier');
    await waitFor(
      () => watcher.provider.awareness.getStates().get(spoofer.doc.clientID)?.cursor === 'barrier',
      5000,
      'barrier',
    );
    const states = [...watcher.provider.awareness.getStates().values()];
    expect(states.some((s) => JSON.stringify(s).includes('SPOOFED'))).toBe(false);
    expect(watcher.provider.awareness.getStates().get(owner.doc.clientID)?.user).toEqual({
      id: me.id,
      name: me.name,
      color: collabColor(me.id),
    });
    expect(watcher.provider.awareness.meta.get(owner.doc.clientID)?.clock).toBeLessThan(ownerClock + 100);
    // Nor can the spoofer make the owner's cursor disappear.
    spoofer.provider.ws?.send(awarenessFrame(owner.doc.clientID, ownerClock + 200, null));
    spoofer.provider.awareness.setLocalStateField('cursor', 'barrier-2');
    await waitFor(
      () => watcher.provider.awareness.getStates().get(spoofer.doc.clientID)?.cursor === 'barrier-2',
      5000,
      'barrier 2',
    );
    expect(watcher.provider.awareness.getStates().has(owner.doc.clientID)).toBe(true);
  });

  it('a client claiming another name, id or colour is shown with its own, from the session', async () => {
    const { me, viewer, spoofer, watcher } = await threeInRoom();
    spoofer.provider.awareness.setLocalStateField('user', { id: me.id, name: me.name, color: '#000000' });
    spoofer.provider.awareness.setLocalStateField('cursor', 'claimed');
    await waitFor(
      () => watcher.provider.awareness.getStates().get(spoofer.doc.clientID)?.cursor === 'claimed',
      5000,
      'claim relayed',
    );
    const shown = watcher.provider.awareness.getStates().get(spoofer.doc.clientID);
    // The rest of the state (the cursor) is the client's; who it is, is the server's.
    expect(shown?.user).toEqual({ id: viewer.user.id, name: 'Vera Viewer', color: collabColor(viewer.user.id) });
    expect([...watcher.provider.awareness.getStates().values()].filter((s) => s.user?.id === me.id)).toHaveLength(1);
  });

  it('a fresh clientID introduced by a raw message counts as the sender’s, under the sender’s name', async () => {
    const { viewer, spoofer, watcher } = await threeInRoom();
    const invented = 1_234_567;
    spoofer.provider.ws?.send(awarenessFrame(invented, 1, { user: { name: 'Ghost' } }));
    await waitFor(() => watcher.provider.awareness.getStates().has(invented), 5000, 'invented client shown');
    expect(watcher.provider.awareness.getStates().get(invented)?.user?.name).toBe(viewer.user.name);
    // It goes when the connection that introduced it goes.
    spoofer.provider.disconnect();
    await waitFor(() => !watcher.provider.awareness.getStates().has(invented), 5000, 'invented client removed');
  });
});

describe('refusals and limits of /yjs/<id>', () => {
  it('answers 404 to a user who may not view the document, as for one that does not exist', async () => {
    const docId = await newDocument();
    const outsider = await ctx.newUser('Member');
    const missing = await upgradeStatus(ctx.url, '0123456789abcdef01234567', {
      cookie: outsider.client.cookieHeader(),
    });
    const hidden = await upgradeStatus(ctx.url, docId, { cookie: outsider.client.cookieHeader() });
    expect(missing).toBe(404);
    expect(hidden).toBe(404);
  });

  it(`opens at most ${limits.collabConnectionsPerUser} connections per user; the rest close with tooManyConnections`, async () => {
    const docId = await newDocument();
    const member = await ctx.newUser('Member');
    await share(docId, [{ user: member.user.id, level: 'edit' }]);
    const url = `${wsUrl(ctx.url)}/${docId}`;
    const attempt = () => {
      const ws = new WebSocket(url, { headers: { cookie: member.client.cookieHeader() } });
      raw.push(ws);
      const state = { ws, opened: false, code: null as number | null };
      ws.on('open', () => (state.opened = true));
      ws.on('close', (code) => (state.code = code));
      ws.on('error', () => undefined);
      return state;
    };
    const all = Array.from({ length: 300 }, attempt);
    const cap = limits.collabConnectionsPerUser;
    await waitFor(
      () => all.filter((a) => a.code !== null).length === 300 - cap && all.every((a) => a.opened),
      20_000,
      'refused connections closed',
    );
    await sleep(200);
    const kept = all.filter((a) => a.code === null);
    expect(kept).toHaveLength(cap);
    expect(all.filter((a) => a.code === collabCloseCodes.tooManyConnections)).toHaveLength(300 - cap);
    // Another user is not affected; and a slot freed is a slot available again.
    expect(await upgradeStatus(ctx.url, docId, { cookie: ctx.owner.cookieHeader() })).toBe(101);
    kept[0]?.ws.close();
    await waitFor(() => kept[0]?.code !== null, 2000, 'one closed');
    await sleep(100);
    const again = attempt();
    await waitFor(() => again.opened, 2000, 'reopened');
    await sleep(300);
    expect(again.code).toBeNull();
  });
});
