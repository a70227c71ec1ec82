import { describe, expect, it } from 'vitest';
import { limits } from '@crewdeck/shared/limits';
import type { Ack, FeedSynced } from '@crewdeck/shared/realtime';
import { coalesce } from '../../../server/src/realtime/coalesce.ts';
import { ReplayGate, ResumeLimiter } from '../../../server/src/realtime/replay-limits.ts';
import { ReplayQueue } from '../../../server/src/realtime/replay-queue.ts';

/** A promise with its resolver, to finish fake work when the test says so. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));
const synced = (lastSeq: number): Ack<FeedSynced> => ({ ok: true, lastSeq, replayed: lastSeq, truncated: false });

describe('ReplayQueue', () => {
  it('runs one replay at a time; requests during it merge into one more run from the lowest seq', async () => {
    const runs: Array<{ from: number; done: ReturnType<typeof deferred<Ack<FeedSynced>>> }> = [];
    const queue = new ReplayQueue((from) => {
      const done = deferred<Ack<FeedSynced>>();
      runs.push({ from, done });
      return done.promise;
    });
    const first = deferred();
    queue.start(() => first.promise);
    const answers: Array<[number, Ack<FeedSynced>]> = [];
    expect(queue.request(40, (a) => answers.push([40, a]))).toBe(false);
    for (const seq of [70, 20, 90]) expect(queue.request(seq, (a) => answers.push([seq, a]))).toBe(true);
    await tick();
    expect(runs).toHaveLength(0); // the connection's replay is still running
    first.resolve();
    await tick();
    expect(runs.map((r) => r.from)).toEqual([20]);
    // While that one runs, the next request waits alone, the one after merges into it.
    expect(queue.request(5, (a) => answers.push([5, a]))).toBe(false);
    expect(queue.request(8, (a) => answers.push([8, a]))).toBe(true);
    runs[0].done.resolve(synced(100));
    await tick();
    expect(answers).toEqual([40, 70, 20, 90].map((seq) => [seq, synced(100)]));
    expect(runs.map((r) => r.from)).toEqual([20, 5]);
    runs[1].done.resolve(synced(101));
    await tick();
    expect(answers.slice(4)).toEqual([
      [5, synced(101)],
      [8, synced(101)],
    ]);
    // Idle again: a new request starts at once.
    queue.request(3, () => undefined);
    expect(runs.map((r) => r.from)).toEqual([20, 5, 3]);
  });
});

describe('coalesce', () => {
  it('a burst costs two calls, each caller answered by a call started after it asked', async () => {
    const calls: Array<ReturnType<typeof deferred<number>>> = [];
    const check = coalesce(() => {
      const call = deferred<number>();
      calls.push(call);
      return call.promise;
    });
    const first = check();
    const burst = Array.from({ length: 300 }, () => check());
    expect(calls).toHaveLength(1);
    calls[0].resolve(1);
    expect(await first).toBe(1);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1].resolve(2);
    expect(new Set(await Promise.all(burst))).toEqual(new Set([2]));
    const later = check();
    expect(calls).toHaveLength(3);
    calls[2].resolve(3);
    expect(await later).toBe(3);
  });

  it('a failed call fails its callers only', async () => {
    let n = 0;
    const check = coalesce(async () => {
      n += 1;
      if (n === 1) throw new Error('store down');
      return n;
    });
    await expect(check()).rejects.toThrow('store down');
    expect(await check()).toBe(2);
  });
});

describe('ReplayGate', () => {
  it(`lets ${limits.feedReplaysPerUser} replays of one user run at once, the rest in arrival order; other users are not held`, async () => {
    const gate = new ReplayGate();
    const held = await Promise.all(Array.from({ length: limits.feedReplaysPerUser }, () => gate.acquire('u')));
    const order: string[] = [];
    const waiting = [
      gate.acquire('u').then((release) => (order.push('third'), release)),
      gate.acquire('u').then((release) => (order.push('fourth'), release)),
    ];
    const other = await gate.acquire('v');
    await tick();
    expect(order).toEqual([]);
    held[0]();
    await tick();
    expect(order).toEqual(['third']);
    held[1]();
    await tick();
    expect(order).toEqual(['third', 'fourth']);
    for (const release of await Promise.all(waiting)) release();
    other();
  });
});

describe('ResumeLimiter', () => {
  it(`allows ${limits.feedResumesPerUser} resumes per user per window, then says when to retry`, async () => {
    const limiter = new ResumeLimiter();
    for (let i = 0; i < limits.feedResumesPerUser; i++) expect(await limiter.take('u')).toBeNull();
    const wait = await limiter.take('u');
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(limits.feedResumeWindowSeconds);
    expect(await limiter.take('other')).toBeNull();
  });
});
