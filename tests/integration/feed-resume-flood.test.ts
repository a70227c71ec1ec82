import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedEntry } from '@crewdeck/shared/feed';
import { limits } from '@crewdeck/shared/limits';
import type { Ack, FeedSynced } from '@crewdeck/shared/realtime';
import { seedFeed, type SeedEntry } from '../support/feed-seed.ts';
import type { HttpClient } from '../support/http.ts';
import { startTestServer, type TestContext, type TestUser } from '../support/server.ts';
import { connectSocket, waitFor, type RecordingSocket } from '../support/socket.ts';

// A security review measured a Lead's comment at 5.8 s while one socket sent 300 `feed:resume
// { lastSeq: 0 }`. Replays now page without the publisher's lock, one run per socket (the rest
// merged), rate limited per user. Timings here are loose; `bench/feed-resume.ts` has the figures.

const SEEDED = 3000;
const FLOOD = 300;

let ctx: TestContext;
let alice: TestUser; // floods
let bob: TestUser; // resumes at the same time, on his own socket
let dave: TestUser; // coalescing from several seqs
let lead: TestUser; // writes meanwhile
let taskId: string;
let seeded: number[];
const sockets: RecordingSocket[] = [];

beforeAll(async () => {
  ctx = await startTestServer();
  [alice, bob, dave, lead] = await Promise.all([
    ctx.newUser('Member'),
    ctx.newUser('Member'),
    ctx.newUser('Member'),
    ctx.newUser('Lead'),
  ]);
  const shared = await ctx.newProject({
    members: [
      { user: alice, role: 'member' },
      { user: bob, role: 'member' },
      { user: dave, role: 'member' },
      { user: lead, role: 'lead' },
    ],
  });
  const bobs = await ctx.newProject({ members: [{ user: bob, role: 'member' }] });
  const task = await lead.client.post(`/api/projects/${shared.id}/tasks`, { title: 'Flooded' });
  expect(task.status, task.text).toBe(201);
  taskId = task.body.task.id;
  // Interleaved visibility: 60 % in the shared project, 20 % in one only Bob reads, library entries for Alice or Bob.
  const entries = Array.from({ length: SEEDED }, (_, i): SeedEntry => {
    const slot = i % 10;
    if (slot < 6) return { projectId: shared.id, code: shared.code };
    if (slot < 8) return { projectId: bobs.id, code: bobs.code };
    return { viewers: [slot === 8 ? alice.user.id : bob.user.id] };
  });
  seeded = await seedFeed(entries);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await ctx?.close();
});

async function live(client: HttpClient, lastSeq?: number): Promise<RecordingSocket> {
  const socket = connectSocket(ctx.url, client, { lastSeq });
  sockets.push(socket);
  await socket.ready;
  return socket;
}

/** Every seq `client` may read, through the REST API (the same visibility rule), oldest first. */
async function readableSeqs(client: HttpClient): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const res = await client.get(`/api/feed?after=${seqs.at(-1) ?? 0}&limit=${limits.feedPageMax}`);
    expect(res.status).toBe(200);
    const items: FeedEntry[] = res.body.items;
    if (items.length === 0) return seqs;
    seqs.push(...items.map((e) => e.seq));
  }
}

/** A socket's stream split into runs: each replay starts over at a lower seq. */
function runsOf(feed: FeedEntry[]): number[][] {
  const runs: number[][] = [];
  for (const { seq } of feed) {
    const current = runs.at(-1);
    if (current && seq > (current.at(-1) ?? 0)) current.push(seq);
    else runs.push([seq]);
  }
  return runs;
}

/** A run (replay plus the live entries after it) is every readable entry after `from` up to where it ended: no gap, no duplicate. */
function expectComplete(run: number[], readable: number[], from = 0): void {
  const last = run.at(-1) ?? from;
  expect(run).toEqual(readable.filter((seq) => seq > from && seq <= last));
}

const resume = (socket: RecordingSocket, lastSeq: number) =>
  socket.socket.timeout(60_000).emitWithAck('feed:resume', { lastSeq }) as Promise<Ack<FeedSynced>>;

describe('feed:resume flood from one socket', () => {
  it('writes stay fast, the flooder gets exactly what it may read once per run, a concurrent resume is unaffected, the rest is merged or rate limited', async () => {
    const flooder = await live(alice.client);
    const sameUser = await live(alice.client);
    const answers: Array<Ack<FeedSynced>> = [];
    const flood = Array.from({ length: FLOOD }, () => resume(flooder, 0).then((a) => void answers.push(a)));
    // Bob resumes from the start on his own connection while the flood runs.
    const bobStarted = performance.now();
    const bobSocket = connectSocket(ctx.url, bob.client, { lastSeq: 0 });
    sockets.push(bobSocket);
    const bobSynced = bobSocket.ready.then((s) => ({ ...s, ms: performance.now() - bobStarted }));
    const latencies: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      const res = await lead.client.post(`/api/tasks/${taskId}/comments`, { body: `during flood ${i}` });
      expect(res.status, res.text).toBe(201);
      latencies.push(performance.now() - t0);
    }
    // The per-user count spans sockets: Alice's other socket is refused too.
    await waitFor(
      () => answers.filter((a) => !a.ok).length >= FLOOD - limits.feedResumesPerUser,
      20_000,
      () => 'rate-limited answers',
    );
    const other = await resume(sameUser, 0);
    await Promise.all(flood);
    const bobResult = await bobSynced;
    const last = await lead.client.post(`/api/tasks/${taskId}/comments`, { body: 'after the flood' });
    expect(last.status).toBe(201);
    const [aliceReads, bobReads] = await Promise.all([readableSeqs(alice.client), readableSeqs(bob.client)]);
    // The last comment is stored before its POST answers: wait until it arrived live.
    await waitFor(
      () => flooder.feed.at(-1)?.seq === aliceReads.at(-1) && bobSocket.feed.at(-1)?.seq === bobReads.at(-1),
      10_000,
      () => 'the last comment',
    );

    // The write is not held behind the replays.
    expect(Math.max(...latencies)).toBeLessThan(1000);

    // Rate limit: exactly the allowance went through, the rest was told when to retry.
    const ok = answers.filter((a): a is { ok: true } & FeedSynced => a.ok);
    const refused = answers.filter((a) => !a.ok);
    expect(ok).toHaveLength(limits.feedResumesPerUser);
    for (const a of refused)
      expect(!a.ok && a.error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    expect(!other.ok && other.error.code).toBe('rate_limited');
    expect(!other.ok && other.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(!other.ok && other.error.retryAfterSeconds).toBeLessThanOrEqual(limits.feedResumeWindowSeconds);

    // Coalescing: ten accepted requests, two replays. The first ran; the other nine merged into one more.
    const runs = runsOf(flooder.feed);
    expect(runs).toHaveLength(2);
    const [first, ...merged] = ok;
    expect(merged.every((a) => JSON.stringify(a) === JSON.stringify(merged[0]))).toBe(true);
    for (const [i, answer] of [first, merged[0]].entries()) {
      // The replay is exactly what was stored up to its head, then live entries follow.
      const replayed = aliceReads.filter((seq) => seq <= answer.lastSeq);
      expect(answer).toMatchObject({ truncated: false, replayed: replayed.length });
      expect(runs[i].slice(0, replayed.length)).toEqual(replayed);
      expectComplete(runs[i], aliceReads);
    }
    // The second run reaches the live tail: the last comment arrived once, last.
    expect(runs[1]).toEqual(aliceReads);
    expect(aliceReads.length).toBeGreaterThan(SEEDED * 0.7);
    expect(flooder.feed.at(-1)).toMatchObject({ type: 'comment.added', resource: { id: taskId } });

    // Bob, resuming at the same time, got his own entries once each, in order, then live.
    expect(runsOf(bobSocket.feed)).toEqual([bobReads]);
    expect(bobResult.replayed).toBe(bobReads.filter((seq) => seq <= bobResult.lastSeq).length);
    expect(bobResult.ms).toBeLessThan(10_000);
    expect(seeded).toHaveLength(SEEDED);
  });

  it('requests that arrive while a replay runs merge into one more run, from the lowest seq asked for', async () => {
    const socket = await live(dave.client);
    const readable = await readableSeqs(dave.client);
    const running = resume(socket, 0);
    await waitFor(
      () => socket.feed.length > 0,
      10_000,
      () => 'the first run',
    );
    const [a, b, c, d] = [900, 300, 1200, 600].map((i) => readable[i]);
    const answers = await Promise.all([running, ...[a, b, c, d].map((seq) => resume(socket, seq))]);
    const runs = runsOf(socket.feed);
    expect(runs).toHaveLength(2);
    expectComplete(runs[0], readable);
    expectComplete(runs[1], readable, b);
    const [first, ...rest] = answers;
    expect(first).toMatchObject({ ok: true, replayed: readable.length, truncated: false });
    for (const answer of rest)
      expect(answer).toEqual({
        ok: true,
        lastSeq: expect.any(Number),
        replayed: readable.filter((seq) => seq > b).length,
        truncated: false,
      });
  });

  it('more than feedResumeMax missed: exactly feedResumeMax sent in pages, truncated at the last one sent, then live', async () => {
    const eve = await ctx.newUser('Member');
    const project = await ctx.newProject({ members: [{ user: eve, role: 'member' }] });
    const before = await live(eve.client);
    const from = (await before.ready).lastSeq;
    before.socket.close();
    const seqs = await seedFeed(
      Array.from({ length: limits.feedResumeMax + 20 }, () => ({ projectId: project.id, code: project.code })),
      'many',
    );
    const resumed = await live(eve.client, from);
    const sent = seqs.slice(0, limits.feedResumeMax);
    expect(resumed.synced).toEqual([{ lastSeq: sent.at(-1), replayed: limits.feedResumeMax, truncated: true }]);
    expect(resumed.feed.map((e) => e.seq)).toEqual(sent);
    const task = await ctx.owner.post(`/api/projects/${project.id}/tasks`, { title: 'live after truncation' });
    expect(task.status).toBe(201);
    await resumed.waitForFeed(limits.feedResumeMax + 1);
    expect(resumed.feed.at(-1)?.data.title).toBe('live after truncation');
    expect(resumed.feed).toHaveLength(limits.feedResumeMax + 1);
  }, 90_000);
});
