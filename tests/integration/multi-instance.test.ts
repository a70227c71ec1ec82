import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../server/src/store/store.ts';
import { HttpClient } from '../support/http.ts';
import { REDIS_URL, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

const ADMIN = 'owner@multi.test';
const PASSWORD = 'owner-password-123';
let store: Store;
const children: ServerProcess[] = [];
const open: RecordingSocket[] = [];

/** One more server process on the shared store and Redis; resolves with its URL. */
async function startInstance(mongoUri: string): Promise<string> {
  const instance = await startServerProcess({
    MONGODB_URI: mongoUri,
    REDIS_URL,
    ADMIN_EMAIL: ADMIN,
    ADMIN_PASSWORD: PASSWORD,
  });
  children.push(instance);
  return instance.url;
}

let a: string;
let b: string;
beforeAll(async () => {
  store = new Store();
  const port = await store.listen(0, '127.0.0.1');
  const uri = `mongodb://127.0.0.1:${port}/crewdeck_multi_${process.pid}?directConnection=true`;
  a = await startInstance(uri);
  // The second instance starts after the first created the owner, so both agree on one account.
  b = await startInstance(uri);
});
afterAll(async () => {
  for (const s of open) s.close();
  for (const c of children) await c.stop();
  await store?.close();
});

describe('two instances on one database with the Redis adapter', () => {
  it('a change written through A reaches a client connected to B; outsiders on B get nothing; removal is immediate across instances', async () => {
    const ownerA = new HttpClient(a);
    expect((await ownerA.login(ADMIN, PASSWORD)).status).toBe(200);
    const created = await ownerA.post('/api/users', { name: 'Remote', login: 'remote@multi.test', role: 'Member' });
    const outsiderCreated = await ownerA.post('/api/users', {
      name: 'Outsider',
      login: 'out@multi.test',
      role: 'Member',
    });
    const users = [created, outsiderCreated].map((r) => ({
      id: r.body.user.id as string,
      login: r.body.user.login as string,
      otp: r.body.oneTimePassword as string,
    }));
    const clientsB: HttpClient[] = [];
    for (const u of users) {
      const c = new HttpClient(b);
      expect((await c.login(u.login, u.otp)).status).toBe(200);
      expect(
        (await c.post('/api/auth/password', { currentPassword: u.otp, newPassword: 'Copper-kettle-whistles-at-dawn' }))
          .status,
      ).toBe(200);
      clientsB.push(c);
    }
    const project = (await ownerA.post('/api/projects', { name: 'Multi', code: 'MULTI' })).body.project;
    expect(
      (await ownerA.post(`/api/projects/${project.id}/members`, { userId: users[0].id, role: 'member' })).status,
    ).toBe(201);
    const member = connectSocket(b, clientsB[0]);
    const outsider = connectSocket(b, clientsB[1]);
    open.push(member, outsider);
    await Promise.all([member.ready, outsider.ready]);
    const task = await ownerA.post(`/api/projects/${project.id}/tasks`, { title: 'Across', assignees: [users[0].id] });
    expect(task.status, task.text).toBe(201);
    await member.waitForFeed(2, 5000);
    expect(member.feed.map((e) => e.type)).toEqual(['task.created', 'task.assigned']);
    await sleep(300);
    expect(member.notifications.map((n) => n.notification.kind)).toEqual(['assigned']);
    expect(outsider.feed).toEqual([]);
    const presence = await clientsB[0].get(`/api/projects/${project.id}/presence`);
    expect(presence.body.online.map((u: { userId: string }) => u.userId)).toContain(users[0].id);
    expect((await ownerA.delete(`/api/projects/${project.id}/members/${users[0].id}`)).status).toBe(200);
    await ownerA.post(`/api/projects/${project.id}/tasks`, { title: 'After removal' });
    await sleep(500);
    expect(member.feed.some((e) => e.data.title === 'After removal')).toBe(false);
  });
});
