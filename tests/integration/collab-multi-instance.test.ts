import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collabCloseCodes } from '@crewdeck/shared/realtime';
import { startCluster, type Cluster } from '../support/cluster.ts';
import { connectEditor, waitFor, type Editor } from '../support/collab.ts';
import { HttpClient } from '../support/http.ts';

const ADMIN = 'owner@collab-multi.test';
const PASSWORD = 'owner-password-123';
let cluster: Cluster | undefined;
let db: mongoose.Connection;
const editors: Editor[] = [];
const open = (...args: Parameters<typeof connectEditor>) => {
  const editor = connectEditor(...args);
  editors.push(editor);
  return editor;
};

let a: string;
let b: string;
beforeAll(async () => {
  // The store is this test's own; the instances use the default database name on it.
  cluster = await startCluster({ admin: ADMIN, password: PASSWORD });
  [a, b] = cluster.urls;
  db = await mongoose.createConnection(cluster.uri, { dbName: 'crewdeck' }).asPromise();
});
afterAll(async () => {
  for (const e of editors) e.destroy();
  await db?.close();
  await cluster?.stop();
});

describe('two server processes with Redis', () => {
  it('editors on different instances converge; each update is stored exactly once; awareness crosses over', async () => {
    const ownerA = new HttpClient(a);
    expect((await ownerA.login(ADMIN, PASSWORD)).status).toBe(200);
    const ownerB = new HttpClient(b);
    expect((await ownerB.login(ADMIN, PASSWORD)).status).toBe(200);
    const docId: string = (await ownerA.post('/api/library/documents', { title: 'Across' })).body.id;
    const x = open(a, docId, ownerA, { awareness: { user: { name: 'On A' } } });
    const y = open(b, docId, ownerB, { awareness: { user: { name: 'On B' } } });
    await Promise.all([x.synced, y.synced]);
    for (let i = 0; i < 10; i += 1) {
      x.append(`a${i}`);
      y.append(`b${i}`);
    }
    await waitFor(() => x.text().split('\n').length === 20 && x.text() === y.text(), 10_000, 'convergence');
    // The server names each state from the session (both editors are the owner here).
    const ownerName: string = (await ownerA.get('/api/me')).body.name;
    await waitFor(
      () => x.provider.awareness.getStates().get(y.doc.clientID)?.user?.name === ownerName,
      5000,
      'awareness A←B',
    );
    await waitFor(
      () => y.provider.awareness.getStates().get(x.doc.clientID)?.user?.name === ownerName,
      5000,
      'awareness B←A',
    );
    // 20 edits (one transaction each), stored by the instance that received them and by no other.
    expect(await db.collection('collab_updates').countDocuments({ docId })).toBe(20);
    // Both instances report who is editing.
    const presence = await ownerB.get('/api/library/presence');
    expect(presence.body.documents[docId]).toHaveLength(1);
    // A late joiner on B after A's editor left sees everything.
    x.destroy();
    const z = open(b, docId, ownerB);
    await z.synced;
    expect(z.text()).toBe(y.text());
  });

  it('revocation on instance A closes the connection on instance B within 1 s', async () => {
    const ownerA = new HttpClient(a);
    await ownerA.login(ADMIN, PASSWORD);
    const created = await ownerA.post('/api/users', {
      name: 'Remote',
      login: 'remote@collab-multi.test',
      role: 'Member',
    });
    const member = new HttpClient(b);
    expect((await member.login('remote@collab-multi.test', created.body.oneTimePassword)).status).toBe(200);
    expect(
      (
        await member.post('/api/auth/password', {
          currentPassword: created.body.oneTimePassword,
          newPassword: 'remote-password-123',
        })
      ).status,
    ).toBe(200);
    const docId: string = (await ownerA.post('/api/library/documents', { title: 'Revoke' })).body.id;
    await ownerA.put(`/api/library/documents/${docId}/access`, {
      grants: [{ user: created.body.user.id, level: 'edit' }],
    });
    const editor = open(b, docId, member);
    await editor.synced;
    const started = Date.now();
    await ownerA.put(`/api/library/documents/${docId}/access`, { grants: [] });
    await waitFor(() => editor.closes.length > 0, 1000, 'close across instances');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(editor.closes[0]).toBe(collabCloseCodes.accessChanged);
  });
});
