/**
 * Feed fan-out benchmark. The server runs in this process; socket.io clients run in a forked
 * child (`node bench/feed.ts --clients`). Measures, at 100 / 500 / 1,000 connected project
 * members: time from the API write returning to receipt at every client (p50/p99/max),
 * the same payload through a bare Socket.IO `io.emit` (baseline), server heap per idle
 * client, and 200 task updates/s sustained with the API latency while everyone listens.
 * Loopback only, bounded loops. Run: `node --expose-gc bench/feed.ts`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import mongoose from 'mongoose';
import { startServer } from '../server/src/app.ts';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { UserModel } from '../server/src/users/users.model.ts';
import { ProjectModel } from '../server/src/projects/projects.model.ts';
import { HttpClient } from '../tests/support/http.ts';
import { percentiles, round } from './support.ts';

const SIZES = [100, 500, 1000];
const ROUNDS = 30;
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- client process
type Cmd =
  | { cmd: 'connect'; url: string; cookies: string[] }
  | { cmd: 'wait'; key: string; count: number; sent: number }
  | { cmd: 'close' };

async function clientMain(): Promise<void> {
  const sockets: Socket[] = [];
  const receipts = new Map<string, number[]>();
  const record = (entry: { data?: { title?: unknown } }) => {
    const key = String(entry.data?.title ?? '');
    const list = receipts.get(key) ?? [];
    list.push(now());
    receipts.set(key, list);
  };
  const reply = (msg: unknown) => process.send?.(msg);
  process.on('message', async (msg: Cmd) => {
    if (msg.cmd === 'connect') {
      const fresh = msg.cookies.map((cookie) =>
        connect(msg.url, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
          extraHeaders: cookie ? { cookie, origin: msg.url } : {},
        }),
      );
      await Promise.all(
        fresh.map(
          (s) =>
            new Promise<void>((resolve, reject) => {
              s.once('connect_error', reject);
              if (msg.cookies[0]) s.once('feed:synced', () => resolve());
              else s.once('connect', () => resolve());
            }),
        ),
      );
      for (const s of fresh) s.on('feed', record);
      sockets.push(...fresh);
      reply({ connected: sockets.length });
    } else if (msg.cmd === 'wait') {
      const until = Date.now() + 20_000;
      while ((receipts.get(msg.key)?.length ?? 0) < msg.count && Date.now() < until)
        await new Promise((r) => setTimeout(r, 2));
      const got = receipts.get(msg.key) ?? [];
      receipts.delete(msg.key);
      reply({ latencies: got.map((t) => t - msg.sent), missing: msg.count - got.length });
    } else {
      for (const s of sockets) s.close();
      sockets.length = 0;
      reply({ closed: true });
    }
  });
}

// ---------------------------------------------------------------- server process
function ask<T>(child: ChildProcess, msg: Cmd): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    child.send(msg);
  });
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function seedUsers(count: number, projectId: string): Promise<string[]> {
  const passwordHash = await hashPassword('bench-password-123');
  const docs = Array.from({ length: count }, (_, i) => ({
    code: `USR-B${i}`,
    name: `Bench ${i}`,
    login: `bench${i}@bench.test`,
    passwordHash,
    role: 'Member',
    mustChangePassword: false,
  }));
  const inserted = await UserModel.insertMany(docs);
  const owner = await UserModel.findOne({ role: 'Owner' }).lean();
  const members = [{ userId: owner?._id, role: 'lead' }, ...inserted.map((u) => ({ userId: u._id, role: 'member' }))];
  await ProjectModel.updateOne({ _id: new mongoose.Types.ObjectId(projectId) }, { $set: { members } });
  return inserted.map((u) => u.login);
}

async function login(url: string, logins: string[]): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < logins.length; i += 8) {
    const batch = await Promise.all(
      logins.slice(i, i + 8).map(async (l) => {
        const c = new HttpClient(url);
        const res = await c.login(l, 'bench-password-123');
        if (res.status !== 200) throw new Error(`login ${l}: ${res.status}`);
        return c.cookieHeader();
      }),
    );
    cookies.push(...batch);
  }
  return cookies;
}

/**
 * `fromReturn`: receipt minus the moment the write returned (the measure; the server emits
 * before it answers, so most receipts precede the return and count as 0). `fromStart`: receipt
 * minus the moment the write was sent, i.e. what a user of the API actually waits.
 */
async function rounds(child: ChildProcess, clients: number, send: (i: number) => Promise<string>) {
  const fromReturn: number[] = [];
  const fromStart: number[] = [];
  let missing = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const started = now();
    const key = await send(i);
    const sent = now();
    const res = await ask<{ latencies: number[]; missing: number }>(child, { cmd: 'wait', key, count: clients, sent });
    for (const l of res.latencies) {
      fromReturn.push(Math.max(0, l));
      fromStart.push(l + (sent - started));
    }
    missing += res.missing;
  }
  return { ...percentiles(fromReturn), start: percentiles(fromStart), missing };
}

async function sustained(owner: HttpClient, projectId: string, rate: number, seconds: number) {
  const tasks = await Promise.all(
    Array.from(
      { length: 40 },
      async (_, i) =>
        (await owner.post(`/api/projects/${projectId}/tasks`, { title: `s${i}` })).body.task as {
          id: string;
          version: number;
        },
    ),
  );
  const latencies: number[] = [];
  const total = rate * seconds;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  const busy = new Set<number>();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Bounded: a saturated server cannot stall the run past twice its planned length.
    if (performance.now() - start > seconds * 2000) break;
    while (busy.size === tasks.length) await new Promise((r) => setTimeout(r, 1));
    let t = i % tasks.length;
    while (busy.has(t)) t = (t + 1) % tasks.length;
    busy.add(t);
    const task = tasks[t];
    inflight.push(
      (async () => {
        const t0 = performance.now();
        const res = await owner.patch(`/api/tasks/${task.id}`, { version: task.version, title: `sustained ${i}` });
        latencies.push(performance.now() - t0);
        if (res.status === 200) task.version = res.body.task.version;
        busy.delete(t);
      })(),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  return { sent: latencies.length, achieved: Math.round(latencies.length / elapsed), ...percentiles(latencies) };
}

async function serverMain(): Promise<void> {
  const server = await startServer({
    port: 0,
    quiet: true,
    dbName: 'bench_feed',
    adminLogin: 'owner@bench.test',
    adminPassword: 'owner-password-123',
  });
  const owner = new HttpClient(server.url);
  await owner.login('owner@bench.test', 'owner-password-123');
  const project = (await owner.post('/api/projects', { name: 'Bench', code: 'BENCH' })).body.project as { id: string };
  const task = (await owner.post(`/api/projects/${project.id}/tasks`, { title: 'bench' })).body.task as {
    id: string;
    version: number;
  };
  console.log(`seeding ${SIZES.at(-1)} users…`);
  const logins = await seedUsers(SIZES.at(-1) ?? 0, project.id);
  const cookies = await login(server.url, logins);

  const http = createServer();
  const bare = new Server(http, { serveClient: false });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const bareUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const child = fork(new URL(import.meta.url).pathname, ['--clients'], { stdio: 'inherit' });
  const rows: string[] = [];
  let connected = 0;
  let version = task.version;
  for (const size of SIZES) {
    const baseHeap = heap();
    await ask(child, { cmd: 'connect', url: server.url, cookies: cookies.slice(connected, size) });
    await new Promise((r) => setTimeout(r, 1500)); // let presence batches drain
    const perClient = (heap() - baseHeap) / (size - connected);
    connected = size;
    const feed = await rounds(child, size, async (i) => {
      const title = `f${size}-${i}`;
      const res = await owner.patch(`/api/tasks/${task.id}`, { version, title });
      version = res.body.task.version;
      return title;
    });
    await ask(child, { cmd: 'close' });
    await ask(child, { cmd: 'connect', url: bareUrl, cookies: Array.from({ length: size }, () => '') });
    const sample = {
      seq: 1,
      type: 'task.updated',
      at: new Date().toISOString(),
      actor: { id: '0'.repeat(24), name: 'Owner' },
      projectId: project.id,
      resource: { kind: 'task', id: task.id, code: 'BENCH-1' },
      data: { title: '', fields: ['title'] },
    };
    const base = await rounds(child, size, async (i) => {
      const title = `b${size}-${i}`;
      bare.emit('feed', { ...sample, data: { ...sample.data, title } });
      return title;
    });
    await ask(child, { cmd: 'close' });
    // Reconnect the members: the next size adds to them, and the sustained run listens with all.
    await ask(child, { cmd: 'connect', url: server.url, cookies: cookies.slice(0, size) });
    rows.push(
      `${String(size).padStart(5)} clients | feed after return p50 ${feed.p50} p99 ${feed.p99} max ${feed.max} ms; from request start p50 ${feed.start.p50} p99 ${feed.start.p99} max ${feed.start.max} ms (missing ${feed.missing}) | bare io.emit p50 ${base.p50} p99 ${base.p99} max ${base.max} ms | p99 ratio ${round(feed.p99 / Math.max(base.p99, 0.01))} (from start ${round(feed.start.p99 / Math.max(base.p99, 0.01))}) | heap/idle client ${round(perClient / 1024, 1)} KB`,
    );
    console.log(rows.at(-1));
  }
  const load = await sustained(owner, project.id, 200, 5);
  console.log(
    `sustained: target 200 updates/s for 5 s with ${SIZES.at(-1)} listeners → ${load.sent} sent, achieved ${load.achieved}/s, API latency p50 ${load.p50} p99 ${load.p99} max ${load.max} ms`,
  );
  await ask(child, { cmd: 'close' });
  child.kill();
  bare.close();
  await server.close();
  process.exit(0);
}

if (process.argv.includes('--clients')) await clientMain();
else await serverMain();
