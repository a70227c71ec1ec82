import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.ts';
import { HttpClient } from '../support/http.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

const ADMIN = 'owner@multi.test';
const PASSWORD = 'owner-password-123';
let cluster: Cluster | undefined;
const open: RecordingSocket[] = [];

let a: string;
let b: string;
beforeAll(async () => {
  // The second instance starts after the first created the owner, so both agree on one account.
  cluster = await startCluster({ admin: ADMIN, password: PASSWORD, dbPath: `crewdeck_multi_${process.pid}` });
  [a, b] = cluster.urls;
});
afterAll(async () => {
  for (const s of open) s.close();
  await cluster?.stop();
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
