import { Query } from 'mingo/query';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Running, startStore } from './helpers.ts';

// Ranges and sort+limit on an indexed field walk the index's B-tree: same answers as a full
// sort, without testing every document.
let s: Running;
const coll = () => s.client.db('ordered').collection('entries');
const plain = () => s.client.db('ordered').collection('plain');
const N = 3000;

beforeAll(async () => {
  s = await startStore();
  const docs = Array.from({ length: N }, (_, i) => ({
    seq: i,
    group: i % 7,
    at: new Date(Date.UTC(2026, 0, 1) + ((i * 7919) % N) * 60_000),
    tags: [(i * 31) % 101, (i * 17) % 53],
    label: i % 5 === 0 ? null : `L${(i * 13) % 97}`,
  }));
  await coll().insertMany(docs);
  await plain().insertMany(docs.map((d) => ({ ...d })));
  await coll().createIndexes([
    { key: { seq: 1 } },
    { key: { at: -1 } },
    { key: { tags: 1 } },
    { key: { label: 1 } },
    { key: { group: 1, seq: 1 } },
  ]);
});
afterAll(() => s.close());

async function testedDuring(fn: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(Query.prototype, 'test');
  await fn();
  const n = spy.mock.calls.length;
  spy.mockRestore();
  return n;
}

const strip = (docs: Array<Record<string, unknown>>) => docs.map(({ _id, ...rest }) => rest);

describe('ordered index walks', () => {
  it('"latest by seq" (sort desc, limit 1) tests one document, not all', async () => {
    let latest: unknown;
    const n = await testedDuring(async () => (latest = await coll().findOne({}, { sort: { seq: -1 } })));
    expect(latest).toMatchObject({ seq: N - 1 });
    expect(n).toBeLessThanOrEqual(2);
  });

  it('a range on an indexed field tests only the documents inside it', async () => {
    let found: unknown[] = [];
    const n = await testedDuring(
      async () =>
        (found = await coll()
          .find({ seq: { $gt: N - 11 } })
          .toArray()),
    );
    expect(found.map((d) => (d as { seq: number }).seq)).toEqual(Array.from({ length: 10 }, (_, i) => N - 10 + i));
    expect(n).toBeLessThanOrEqual(12);
    const count = await testedDuring(() => coll().countDocuments({ seq: { $gte: 100, $lt: 150 } }));
    expect(count).toBeLessThanOrEqual(52);
    expect(await coll().countDocuments({ seq: { $gte: 100, $lt: 150 } })).toBe(50);
  });

  it('a resume-style query (seq > x, ascending, limit) starts at x', async () => {
    let page: unknown[] = [];
    const n = await testedDuring(
      async () =>
        (page = await coll()
          .find({ seq: { $gt: 2000 } })
          .sort({ seq: 1 })
          .limit(5)
          .toArray()),
    );
    expect(page.map((d) => (d as { seq: number }).seq)).toEqual([2001, 2002, 2003, 2004, 2005]);
    expect(n).toBeLessThanOrEqual(7);
  });

  it('gives the same answers as the unindexed path, for many sorts, filters, skips and limits', async () => {
    const cases: Array<{ filter: Record<string, unknown>; sort: Record<string, 1 | -1>; skip: number; limit: number }> =
      [
        { filter: {}, sort: { at: -1 }, skip: 0, limit: 25 },
        { filter: { group: 3 }, sort: { at: 1 }, skip: 5, limit: 10 },
        { filter: {}, sort: { tags: -1, seq: 1 }, skip: 0, limit: 40 },
        { filter: {}, sort: { tags: 1, seq: -1 }, skip: 3, limit: 40 },
        { filter: {}, sort: { label: 1, seq: 1 }, skip: 0, limit: 700 },
        { filter: { label: { $ne: null } }, sort: { label: -1, seq: 1 }, skip: 10, limit: 30 },
        { filter: { seq: { $lt: 500 } }, sort: { seq: -1 }, skip: 0, limit: 15 },
        { filter: { at: { $gte: new Date(Date.UTC(2026, 0, 2)) } }, sort: { at: 1 }, skip: 2, limit: 20 },
        { filter: { group: { $in: [1, 2] } }, sort: { group: -1, seq: -1 }, skip: 0, limit: 50 },
      ];
    for (const c of cases) {
      const viaIndex = await coll().find(c.filter).sort(c.sort).skip(c.skip).limit(c.limit).toArray();
      const viaScan = await plain().find(c.filter).sort(c.sort).skip(c.skip).limit(c.limit).toArray();
      expect(strip(viaIndex), JSON.stringify(c)).toEqual(strip(viaScan));
      expect(viaIndex.length, JSON.stringify(c)).toBe(
        Math.min(c.limit, Math.max(0, (await plain().countDocuments(c.filter)) - c.skip)),
      );
    }
  });

  it('stays right while documents change, and inside a transaction sees its own writes', async () => {
    await coll().updateOne({ seq: 5 }, { $set: { seq: N + 100 } });
    await coll().deleteOne({ seq: N - 1 });
    expect(await coll().findOne({}, { sort: { seq: -1 } })).toMatchObject({ seq: N + 100 });
    const session = s.client.startSession();
    try {
      await session.withTransaction(async () => {
        await coll().insertOne({ seq: N + 500 }, { session });
        expect(await coll().findOne({}, { sort: { seq: -1 }, session })).toMatchObject({ seq: N + 500 });
        expect(await coll().findOne({}, { sort: { seq: -1 } })).toMatchObject({ seq: N + 100 });
      });
    } finally {
      await session.endSession();
    }
    expect(await coll().findOne({}, { sort: { seq: -1 } })).toMatchObject({ seq: N + 500 });
  });
});

describe('ranges on array fields (multikey)', () => {
  it('a two-sided range matches an array whose different elements satisfy each side, as MongoDB does', async () => {
    const c = s.client.db('ordered').collection('multikey');
    await c.createIndex({ v: 1 });
    await c.insertMany([
      { k: 'split', v: [1, 20] },
      { k: 'inside', v: [7] },
      { k: 'outside', v: [30, 40] },
      { k: 'scalar', v: 8 },
    ]);
    const found = await c
      .find({ v: { $gt: 5, $lt: 10 } })
      .sort({ k: 1 })
      .toArray();
    expect(found.map((d) => d.k)).toEqual(['inside', 'scalar', 'split']);
    // Sorting by an array uses its smallest element ascending (1 for `split`), whatever the filter.
    const sorted = await c
      .find({ v: { $gt: 5, $lt: 10 } })
      .sort({ v: 1 })
      .limit(2)
      .toArray();
    expect(sorted.map((d) => d.k)).toEqual(['split', 'inside']);
    const desc = await c
      .find({ v: { $gt: 5 } })
      .sort({ v: -1 })
      .limit(2)
      .toArray();
    expect(desc.map((d) => d.k)).toEqual(['outside', 'split']);
  });
});
