/**
 * Resume-flood benchmark (issue 9, item 2). The server runs in this process on the embedded
 * store, with a 5,000-entry feed every flooder may read; socket.io-client sockets run in a
 * forked child (`node bench/feed-resume.ts --clients`), so decoding replays does not compete
 * with the server. Measures the latency of a Lead's comment (`POST /api/tasks/:id/comments`,
 * one at a time, back to back) issued while one socket has 300 `feed:resume { lastSeq: 0 }` in
 * flight, against the same writes with no resume running (baseline: after each flood, as long
 * as it lasted, so both see the same background load). Each round uses
 * a fresh flooder, so each flood meets a fresh per-user allowance. Loopback only, bounded loops.
 * Run: `node bench/feed-resume.ts [rounds]`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { io as connect, type Socket } from 'socket.io-client';
import { limits } from '@crewdeck/shared/limits';
import type { Ack, FeedSynced } from '@crewdeck/shared/realtime';
import { startServer } from '../server/src/app.ts';
import { seedFeed } from '../tests/support/feed-seed.ts';
import { HttpClient } from '../tests/support/http.ts';
import { percentiles, round } from './support.ts';

const FEED = 5000;
const FLOOD = 300;
const ROUNDS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 12);
const PASSWORD = 'bench-password-123';

// ---------------------------------------------------------------- client process
type Cmd = { cmd: 'connect'; url: string; cookie: string } | { cmd: 'flood'; count: number } | { cmd: 'close' };
type FloodResult = {
  ok: number;
  truncated: number;
  limited: number;
  failed: number;
  received: number;
  runs: number;
  ms: number;
};

async function clientMain(): Promise<void> {
  let socket: Socket | null = null;
  let received: number[] = [];
  const reply = (msg: unknown) => process.send?.(msg);
  process.on('message', async (msg: Cmd) => {
    if (msg.cmd === 'connect') {
      socket?.close();
      received = [];
      const s = connect(msg.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders: { cookie: msg.cookie, origin: msg.url },
      });
      await new Promise<void>((resolve, reject) => {
        s.once('connect_error', reject);
        s.once('feed:synced', () => resolve());
      });
      s.on('feed', (entry: { seq: number }) => received.push(entry.seq));
      socket = s;
      reply({ connected: true });
    } else if (msg.cmd === 'flood') {
      const s = socket;
      if (!s) return reply({ error: 'not connected' });
      const t0 = performance.now();
      const answers = (await Promise.all(
        Array.from({ length: msg.count }, () =>
          s
            .timeout(120_000)
            .emitWithAck('feed:resume', { lastSeq: 0 })
            .catch(() => null),
        ),
      )) as Array<Ack<FeedSynced> | null>;
      const result: FloodResult = {
        ok: answers.filter((a) => a?.ok).length,
        truncated: answers.filter((a) => a?.ok && a.truncated).length,
        limited: answers.filter((a) => a && !a.ok && a.error.code === 'rate_limited').length,
        failed: answers.filter((a) => !a || (!a.ok && a.error.code !== 'rate_limited')).length,
        received: received.length,
        runs: received.filter((seq, i) => i === 0 || seq < received[i - 1]).length,
        ms: performance.now() - t0,
      };
      reply(result);
    } else {
      socket?.close();
      socket = null;
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

async function newUser(
  owner: HttpClient,
  url: string,
  role: string,
  name: string,
): Promise<{ id: string; client: HttpClient }> {
  const created = await owner.post('/api/users', { name, login: `${name}@bench.test`, role });
  if (created.status !== 201) throw new Error(`create ${name}: ${created.status} ${created.text}`);
  const client = new HttpClient(url);
  await client.login(`${name}@bench.test`, created.body.oneTimePassword);
  const changed = await client.post('/api/auth/password', {
    currentPassword: created.body.oneTimePassword,
    newPassword: PASSWORD,
  });
  if (changed.status !== 200) throw new Error(`password ${name}: ${changed.status}`);
  return { id: created.body.user.id, client };
}

/** One comment, timed from request to answer. */
async function comment(lead: HttpClient, taskId: string, body: string): Promise<number> {
  const t0 = performance.now();
  const res = await lead.post(`/api/tasks/${taskId}/comments`, { body });
  if (res.status !== 201) throw new Error(`comment: ${res.status} ${res.text}`);
  return performance.now() - t0;
}

/** Comments back to back while `busy()` holds; only writes issued while it held count. */
async function writeWhile(lead: HttpClient, taskId: string, busy: () => boolean, label: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; busy() && i < 10_000; i++) latencies.push(await comment(lead, taskId, `${label} ${i}`));
  return latencies;
}

async function serverMain(): Promise<void> {
  const server = await startServer({
    port: 0,
    quiet: true,
    dbName: 'bench_feed_resume',
    adminLogin: 'owner@bench.test',
    adminPassword: 'owner-password-123',
  });
  const owner = new HttpClient(server.url);
  await owner.login('owner@bench.test', 'owner-password-123');
  const lead = await newUser(owner, server.url, 'Lead', 'lead');
  const flooders = [];
  for (let i = 0; i < ROUNDS; i++) flooders.push(await newUser(owner, server.url, 'Member', `flooder${i}`));
  const project = (await owner.post('/api/projects', { name: 'Bench', code: 'BENCH' })).body.project as {
    id: string;
    code: string;
  };
  for (const [user, role] of [[lead, 'lead'], ...flooders.map((f) => [f, 'member'] as const)] as const) {
    const added = await owner.post(`/api/projects/${project.id}/members`, { userId: user.id, role });
    if (added.status !== 201) throw new Error(`member: ${added.status}`);
  }
  const taskId = (await lead.client.post(`/api/projects/${project.id}/tasks`, { title: 'Flooded' })).body.task
    .id as string;
  const t0 = performance.now();
  await seedFeed(
    Array.from({ length: FEED }, () => ({ projectId: project.id, code: project.code })),
    'bench',
  );
  console.log(
    `seeded ${FEED} feed entries in ${Math.round(performance.now() - t0)} ms; ${ROUNDS} rounds of ${FLOOD} concurrent feed:resume { lastSeq: 0 } from one socket`,
  );
  console.log(
    `limits: page ${limits.feedReplayPage}, ${limits.feedResumesPerUser} resumes/${limits.feedResumeWindowSeconds} s per user, ${limits.feedReplaysPerUser} replays at once per user`,
  );

  const child = fork(new URL(import.meta.url).pathname, ['--clients'], { stdio: 'inherit' });
  let warm = 50;
  await writeWhile(lead.client, taskId, () => warm-- > 0, 'warm-up');

  // Each round: writes while one socket floods, then the same writes for as long with nothing
  // else running (the baseline), so both see the same background load.
  const during: number[] = [];
  const baseline: number[] = [];
  const floods: FloodResult[] = [];
  for (const [i, flooder] of flooders.entries()) {
    await ask(child, { cmd: 'connect', url: server.url, cookie: flooder.client.cookieHeader() });
    let flooding = true;
    const started = performance.now();
    const flood = ask<FloodResult>(child, { cmd: 'flood', count: FLOOD }).then((r) => {
      flooding = false;
      return r;
    });
    during.push(...(await writeWhile(lead.client, taskId, () => flooding, `flood ${i}`)));
    floods.push(await flood);
    const until = performance.now() + Math.max(1000, performance.now() - started);
    baseline.push(...(await writeWhile(lead.client, taskId, () => performance.now() < until, `baseline ${i}`)));
  }
  await ask(child, { cmd: 'close' });
  child.kill();

  const base = percentiles(baseline);
  const flood = percentiles(during);
  const per = (key: keyof FloodResult) => round(floods.reduce((sum, f) => sum + f[key], 0) / floods.length, 1);
  console.log(
    `baseline (no resume running): ${baseline.length} writes, p50 ${base.p50} p99 ${base.p99} max ${base.max} ms`,
  );
  console.log(
    `during 300 concurrent resumes of a ${FEED}-entry feed: ${during.length} writes, p50 ${flood.p50} p99 ${flood.p99} max ${flood.max} ms (target p99 < 100 ms) | p99 ratio ${round(flood.p99 / Math.max(base.p99, 0.01))}`,
  );
  console.log(
    `per flood (mean of ${floods.length}): ${per('ms')} ms until every answer, ${per('ok')} answered ok (${per('truncated')} truncated at ${limits.feedResumeMax}), ${per('limited')} rate_limited, ${per('failed')} failed, ${per('runs')} replay runs, ${per('received')} entries received`,
  );
  await server.close();
  process.exit(0);
}

if (process.argv.includes('--clients')) await clientMain();
else await serverMain();
