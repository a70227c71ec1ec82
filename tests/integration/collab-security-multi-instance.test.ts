import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collabCloseCodes, type SessionEndReason } from '@crewdeck/shared/realtime';
import { startCluster, type Cluster } from '../support/cluster.ts';
import { connectEditor, waitFor, type Editor } from '../support/collab.ts';
import { HttpClient } from '../support/http.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

const ADMIN = 'owner@collab-security-multi.test';
const PASSWORD = 'owner-password-123';
let cluster: Cluster | undefined;
const editors: Editor[] = [];
const sockets: RecordingSocket[] = [];

let a: string;
let b: string;
beforeAll(async () => {
  cluster = await startCluster({ admin: ADMIN, password: PASSWORD });
  [a, b] = cluster.urls;
});
afterAll(async () => {
  for (const e of editors) e.destroy();
  for (const s of sockets) s.close();
  await cluster?.stop();
});

describe('co-editing security across two server processes', () => {
  it('an expiry moved through instance A ends the connections on instance B at the instant; a late edit on B is not stored', async () => {
    const owner = new HttpClient(a);
    expect((await owner.login(ADMIN, PASSWORD)).status).toBe(200);
    const created = await owner.post('/api/users', {
      name: 'Guest',
      login: 'guest@expiry-multi.test',
      role: 'External',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(created.status, created.text).toBe(201);
    const guest = new HttpClient(b);
    expect((await guest.login('guest@expiry-multi.test', created.body.oneTimePassword)).status).toBe(200);
    expect(
      (
        await guest.post('/api/auth/password', {
          currentPassword: created.body.oneTimePassword,
          newPassword: 'guest-password-123',
        })
      ).status,
    ).toBe(200);
    const docId: string = (await owner.post('/api/library/documents', { title: 'Across' })).body.id;
    await owner.put(`/api/library/documents/${docId}/access`, {
      grants: [{ user: created.body.user.id, level: 'edit' }],
    });

    const editor = connectEditor(b, docId, guest);
    const observer = connectEditor(a, docId, owner);
    editors.push(editor, observer);
    const socket = connectSocket(b, guest);
    sockets.push(socket);
    await Promise.all([editor.synced, observer.synced, socket.ready]);
    let closedAt: number | null = null;
    editor.provider.on('connection-close', () => (closedAt ??= Date.now()));
    let ended: SessionEndReason | null = null;
    let disconnectedAt: number | null = null;
    socket.socket.on('session:ended', ({ reason }) => (ended = reason));
    socket.socket.on('disconnect', () => (disconnectedAt = Date.now()));

    const instant = Date.now() + 1500;
    expect(
      (await owner.patch(`/api/users/${created.body.user.id}`, { expiresAt: new Date(instant).toISOString() })).status,
    ).toBe(200);
    editor.append('BEFORE-EXPIRY');
    await waitFor(() => observer.text().includes('BEFORE-EXPIRY'), 2000, 'edit before the instant relayed');
    await sleep(Math.max(0, instant - Date.now()) + 2);
    editor.append('AFTER-EXPIRY');
    editor.provider.shouldConnect = false;
    await waitFor(
      () => closedAt !== null && disconnectedAt !== null,
      instant + 1000 - Date.now(),
      'both connections on B closed',
    );
    expect(closedAt! - instant).toBeLessThan(1000);
    expect(disconnectedAt! - instant).toBeLessThan(1000);
    expect(editor.closes[0]).toBe(collabCloseCodes.accessChanged);
    expect(ended).toBe('expired');
    await sleep(300);
    expect(observer.text()).not.toContain('AFTER-EXPIRY');
    // B unloaded the document when its last editor left: a late joiner there reads what was stored.
    const ownerB = new HttpClient(b);
    expect((await ownerB.login(ADMIN, PASSWORD)).status).toBe(200);
    const late = connectEditor(b, docId, ownerB);
    editors.push(late);
    await late.synced;
    expect(late.text()).toContain('BEFORE-EXPIRY');
    expect(late.text()).not.toContain('AFTER-EXPIRY');
    expect((await guest.get('/api/me')).status).toBe(401);
  });

  it('an instance loading a document learns the awareness already on the others, named as each session', async () => {
    const owner = new HttpClient(a);
    expect((await owner.login(ADMIN, PASSWORD)).status).toBe(200);
    const me = (await owner.get('/api/me')).body as { id: string; name: string };
    const docId: string = (await owner.post('/api/library/documents', { title: 'Cursors' })).body.id;
    const x = connectEditor(a, docId, owner, { awareness: { user: { name: 'SPOOFED' }, cursor: 'x' } });
    const w = connectEditor(a, docId, owner);
    editors.push(x, w);
    await Promise.all([x.synced, w.synced]);
    await waitFor(() => w.provider.awareness.getStates().get(x.doc.clientID)?.cursor === 'x', 5000, 'awareness on A');
    // B holds no copy yet: it loads the document for this editor, after x's state was published.
    const ownerB = new HttpClient(b);
    expect((await ownerB.login(ADMIN, PASSWORD)).status).toBe(200);
    const y = connectEditor(b, docId, ownerB);
    editors.push(y);
    await y.synced;
    // Well before x renews its state (every 15 s).
    await waitFor(() => y.provider.awareness.getStates().get(x.doc.clientID)?.cursor === 'x', 3000, 'awareness on B');
    expect(y.provider.awareness.getStates().get(x.doc.clientID)?.user?.name).toBe(me.name);
  });
});
