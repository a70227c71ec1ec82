import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../server/src/store/store.ts';
import { HttpClient } from '../support/http.ts';
import { connectSocket, sleep, type RecordingSocket } from '../support/socket.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN = 'owner@multi.test';
const PASSWORD = 'owner-password-123';
let store: Store;
const children: ChildProcess[] = [];
const open: RecordingSocket[] = [];

/** Starts `server/src/main.ts` as its own process on a free port; resolves with its URL. */
function startInstance(mongoUri: string): Promise<string> {
  const child = spawn(process.execPath, ['server/src/main.ts'], {
    env: { ...process.env, PORT: '0', MONGODB_URI: mongoUri, REDIS_URL, ADMIN_EMAIL: ADMIN, ADMIN_PASSWORD: PASSWORD, DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on http:\/\/localhost:(\d+)/.exec(chunk.toString());
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
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
  for (const c of children) {
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
  await store?.close();
});

describe('two instances on one database with the Redis adapter', () => {
  it('a change written through A reaches a client connected to B; outsiders on B get nothing; removal is immediate across instances', async () => {
    const ownerA = new HttpClient(a);
    expect((await ownerA.login(ADMIN, PASSWORD)).status).toBe(200);
    const created = await ownerA.post('/api/users', { name: 'Remote', login: 'remote@multi.test', role: 'Member' });
    const outsiderCreated = await ownerA.post('/api/users', { name: 'Outsider', login: 'out@multi.test', role: 'Member' });
    const users = [created, outsiderCreated].map((r) => ({ id: r.body.user.id as string, login: r.body.user.login as string, otp: r.body.oneTimePassword as string }));
    const clientsB: HttpClient[] = [];
    for (const u of users) {
      const c = new HttpClient(b);
      expect((await c.login(u.login, u.otp)).status).toBe(200);
      expect((await c.post('/api/auth/password', { currentPassword: u.otp, newPassword: `${u.login}-password` })).status).toBe(200);
      clientsB.push(c);
    }
    const project = (await ownerA.post('/api/projects', { name: 'Multi', code: 'MULTI' })).body.project;
    expect((await ownerA.post(`/api/projects/${project.id}/members`, { userId: users[0].id, role: 'member' })).status).toBe(201);
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
