import mongoose from 'mongoose';
import { Query } from 'mingo/query';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Collection } from '../../server/src/store/collection.ts';
import {
  type Document,
  Long,
  type Running,
  type WriteError,
  mongooseConnection,
  rejection,
  startStore,
} from './helpers.ts';

// Unique indexes and their E11000 errors through mongoose; indexed equality lookups that do not scan.
let s: Running;
let conn: mongoose.Connection;

const userSchema = new mongoose.Schema({
  email: { type: String, unique: true },
  name: String,
  team: String,
  slot: Number,
});
userSchema.index({ team: 1, slot: 1 }, { unique: true, sparse: true });

beforeAll(async () => {
  s = await startStore();
  conn = await mongooseConnection(s.uri, 'idx');
});
afterAll(async () => {
  await conn.close();
  await s.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('duplicate keys through mongoose', () => {
  const User = () => conn.models.User ?? conn.model('User', userSchema);

  beforeAll(async () => {
    await User().init();
    await User().create({ email: 'ann@x.io', name: 'Ann', team: 'red', slot: 1 });
  });

  it('mongoose created the unique indexes it declares', async () => {
    const indexes = await User().collection.listIndexes().toArray();
    expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({ unique: true, key: { email: 1 } });
    expect(indexes.find((i) => i.name === 'team_1_slot_1')).toMatchObject({ unique: true, sparse: true });
  });

  it('insert: code 11000, exact message, keyValue and keyPattern', async () => {
    const err = await rejection(() => User().create({ email: 'ann@x.io', name: 'Other' }));
    expect(err.code).toBe(11000);
    expect(err.message).toBe(
      'E11000 duplicate key error collection: idx.users index: email_1 dup key: { email: "ann@x.io" }',
    );
    expect(err.keyValue).toEqual({ email: 'ann@x.io' });
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(await User().countDocuments({ email: 'ann@x.io' })).toBe(1);
  });

  it('update into an existing key is refused and leaves the document as it was', async () => {
    const bob = await User().create({ email: 'bob@x.io', name: 'Bob' });
    const err = await rejection(() => User().updateOne({ _id: bob._id }, { $set: { email: 'ann@x.io' } }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'ann@x.io' });
    expect((await User().findById(bob._id).lean())!.email).toBe('bob@x.io');
    // saving a document onto its own key is not a duplicate
    bob.name = 'Bobby';
    await bob.save();
    expect((await User().findById(bob._id).lean())!.name).toBe('Bobby');
  });

  it('upsert that would insert an existing key is refused', async () => {
    const err = await rejection(() =>
      User().findOneAndUpdate({ name: 'Nobody' }, { $set: { email: 'ann@x.io' } }, { upsert: true }),
    );
    expect(err.code).toBe(11000);
    expect(await User().countDocuments({ name: 'Nobody' })).toBe(0);
    const err2 = await rejection(() =>
      User().updateOne({ email: 'ann@x.io', name: 'Not Ann' }, { $set: { x: 1 } }, { upsert: true, strict: false }),
    );
    expect(err2.code).toBe(11000);
  });

  it('compound unique index: same pair refused, other pairs allowed, sparse lets missing through', async () => {
    await User().create({ email: 'c1@x.io', team: 'blue', slot: 1 });
    await User().create({ email: 'c2@x.io', team: 'blue', slot: 2 });
    const err = await rejection(() => User().create({ email: 'c3@x.io', team: 'blue', slot: 1 }));
    expect(err.code).toBe(11000);
    expect(err.message).toBe(
      'E11000 duplicate key error collection: idx.users index: team_1_slot_1 dup key: { team: "blue", slot: 1 }',
    );
    expect(err.keyPattern).toEqual({ team: 1, slot: 1 });
    expect(err.keyValue).toEqual({ team: 'blue', slot: 1 });
    // neither field: left out of the sparse index, any number of times
    await User().create({ email: 'n1@x.io' });
    await User().create({ email: 'n2@x.io' });
  });

  it('unordered insertMany reports writeErrors and inserts the rest', async () => {
    const err = await rejection(() =>
      User().insertMany(
        [{ email: 'u1@x.io' }, { email: 'ann@x.io' }, { email: 'u2@x.io' }, { email: 'u1@x.io' }, { email: 'u3@x.io' }],
        { ordered: false },
      ),
    );
    expect(err.code).toBe(11000);
    expect(err.writeErrors).toHaveLength(2);
    expect(err.writeErrors.map((w: WriteError) => w.index)).toEqual([1, 3]);
    // the driver keeps code and errmsg of each write error (as with a real MongoDB)
    expect(err.writeErrors.map((w: WriteError) => [w.code, w.errmsg])).toEqual([
      [11000, 'E11000 duplicate key error collection: idx.users index: email_1 dup key: { email: "ann@x.io" }'],
      [11000, 'E11000 duplicate key error collection: idx.users index: email_1 dup key: { email: "u1@x.io" }'],
    ]);
    expect(err.result.insertedCount).toBe(3);
    expect(await User().countDocuments({ email: { $in: ['u1@x.io', 'u2@x.io', 'u3@x.io'] } })).toBe(3);
  });

  it('ordered insertMany stops at the first duplicate', async () => {
    const err = await rejection(() =>
      User().insertMany([{ email: 'o1@x.io' }, { email: 'o1@x.io' }, { email: 'o2@x.io' }]),
    );
    expect(err.code).toBe(11000);
    expect(await User().countDocuments({ email: 'o1@x.io' })).toBe(1);
    expect(await User().countDocuments({ email: 'o2@x.io' })).toBe(0);
  });

  it('duplicate _id answers the _id_ index', async () => {
    const raw = () => conn.collection<{ _id: number; v?: string }>('raw');
    const err = await rejection(() => raw().insertMany([{ _id: 5 }, { _id: 5 }]));
    expect(err.code).toBe(11000);
    expect(err.message).toBe('E11000 duplicate key error collection: idx.raw index: _id_ dup key: { _id: 5 }');
    // the first document is kept as it was, not replaced
    await rejection(() => raw().insertOne({ _id: 5, v: 'second' }));
    expect(await raw().find().toArray()).toEqual([{ _id: 5 }]);
  });

  it('an upsert whose filter names an existing _id but does not match is E11000, not a replace', async () => {
    const raw2 = () => conn.collection<{ _id: number; state: string; v?: number }>('raw2');
    await raw2().insertOne({ _id: 9, state: 'old' });
    const err = await rejection(() =>
      raw2().updateOne({ _id: 9, state: 'other' }, { $set: { v: 1 } }, { upsert: true }),
    );
    expect(err.code).toBe(11000);
    expect(err.message).toContain('index: _id_ dup key: { _id: 9 }');
    expect(await raw2().find().toArray()).toEqual([{ _id: 9, state: 'old' }]);
  });
});

describe('index key semantics', () => {
  const coll = <T extends Document = Document>(name: string) => s.client.db('idx').collection<T>(name);

  it('numbers of different BSON types that are equal collide on a unique index', async () => {
    await coll('nums').createIndex({ n: 1 }, { unique: true });
    await coll('nums').insertOne({ n: 1 });
    expect((await rejection(() => coll('nums').insertOne({ n: 1.0 }))).code).toBe(11000);
    expect((await rejection(() => coll('nums').insertOne({ n: Long.fromNumber(1) }))).code).toBe(11000);
    await coll('nums').insertOne({ n: 2 });
  });

  it('a non-sparse unique index treats missing as null (once)', async () => {
    await coll('nulls').createIndex({ k: 1 }, { unique: true });
    await coll('nulls').insertOne({ a: 1 });
    const err = await rejection(() => coll('nulls').insertOne({ a: 2 }));
    expect(err.code).toBe(11000);
    expect(err.message).toContain('dup key: { k: null }');
  });

  it('a partial unique index only constrains the documents it covers', async () => {
    await coll('partial').createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll('partial').insertMany([
      { code: 'a', active: false },
      { code: 'a', active: false },
      { code: 'a', active: true },
    ]);
    expect((await rejection(() => coll('partial').insertOne({ code: 'a', active: true }))).code).toBe(11000);
    expect(await coll('partial').countDocuments({ code: 'a' })).toBe(3);
    // finds through the partial index's field still see every document
    expect(await coll('partial').countDocuments({ code: 'a', active: false })).toBe(2);
  });

  it('multikey unique: array elements are keys', async () => {
    await coll('multi').createIndex({ tags: 1 }, { unique: true });
    await coll('multi').insertOne({ tags: ['a', 'b'] });
    expect((await rejection(() => coll('multi').insertOne({ tags: ['c', 'b'] }))).code).toBe(11000);
    await coll('multi').insertOne({ tags: ['c'] });
    expect(await coll('multi').find({ tags: 'b' }).toArray()).toHaveLength(1);
  });

  it('after updates and deletes the index answers the current values only', async () => {
    const c = coll<{ _id: number; k: string }>('moving');
    await c.createIndex({ k: 1 });
    await c.insertMany([
      { _id: 1, k: 'a' },
      { _id: 2, k: 'b' },
    ]);
    await c.updateOne({ _id: 1 }, { $set: { k: 'b' } });
    expect(await c.find({ k: 'a' }).toArray()).toEqual([]);
    expect((await c.find({ k: 'b' }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2]);
    await c.deleteOne({ _id: 2 });
    expect((await c.find({ k: 'b' }).toArray()).map((d) => d._id)).toEqual([1]);
    await c.dropIndex('k_1');
    expect((await c.find({ k: 'b' }).toArray()).map((d) => d._id)).toEqual([1]);
  });

  it('a unique index can be re-created after duplicates are removed and then enforces', async () => {
    const c = coll('recreate');
    await c.insertMany([{ e: 1 }, { e: 1 }]);
    expect((await rejection(() => c.createIndex({ e: 1 }, { unique: true }))).code).toBe(11000);
    await c.deleteOne({ e: 1 });
    await c.createIndex({ e: 1 }, { unique: true });
    expect((await rejection(() => c.insertOne({ e: 1 }))).code).toBe(11000);
  });
});

/** The documents of the lookup tests. */
interface BigDoc {
  i: number;
  email: string;
  team: string;
  slot: number;
  free: string;
  touched?: boolean;
}

describe('indexed equality lookups do not scan', () => {
  const N = 3000;
  const coll = () => s.client.db('idx').collection<BigDoc>('big');

  beforeAll(async () => {
    await coll().insertMany(
      Array.from({ length: N }, (_, i) => ({
        i,
        email: `u${i}@x.io`,
        team: `t${i % 50}`,
        slot: i % 60,
        free: `f${i}`,
      })),
    );
    await coll().createIndex({ email: 1 }, { unique: true });
    await coll().createIndex({ team: 1, slot: 1 });
  });

  /** How many documents the store's filter looked at while running `fn`. */
  async function testedDuring(fn: () => Promise<unknown>): Promise<number> {
    const spy = vi.spyOn(Query.prototype, 'test');
    await fn();
    const n = spy.mock.calls.length;
    spy.mockRestore();
    return n;
  }

  it('the instrument sees a scan (an unindexed field tests every document)', async () => {
    let found: unknown[] = [];
    const n = await testedDuring(async () => (found = await coll().find({ free: 'f1234' }).toArray()));
    expect(found).toMatchObject([{ i: 1234 }]);
    expect(n).toBeGreaterThanOrEqual(N);
  });

  it('an unsorted limit stops testing once enough matched', async () => {
    const n = await testedDuring(() => coll().findOne({ free: 'f10' }));
    expect(n).toBeLessThan(N / 10);
  });

  it('$all is answered from the rarest of its values', async () => {
    const tagged = s.client.db('idx').collection<{ i: number; tags: string[] }>('tagged');
    await tagged.createIndex({ tags: 1 });
    await tagged.insertMany([
      ...Array.from({ length: 2000 }, (_, i) => ({ i, tags: ['common'] })),
      { i: -1, tags: ['common', 'rare-one'] },
    ]);
    let found: unknown[] = [];
    const n = await testedDuring(
      async () => (found = await tagged.find({ tags: { $all: ['common', 'rare-one'] } }).toArray()),
    );
    expect(found).toMatchObject([{ i: -1 }]);
    expect(n).toBeLessThanOrEqual(2);
  });

  it('equality on a unique field, on _id, $in, and a compound index test a handful of documents', async () => {
    const byEmail = await coll().findOne({ email: 'u2345@x.io' });
    expect(byEmail).toMatchObject({ i: 2345 });
    expect(await testedDuring(() => coll().findOne({ email: 'u2345@x.io' }))).toBeLessThanOrEqual(1);
    expect(await testedDuring(() => coll().findOne({ _id: byEmail!._id }))).toBeLessThanOrEqual(1);
    let many: unknown[] = [];
    expect(
      await testedDuring(
        async () =>
          (many = await coll()
            .find({ email: { $in: ['u1@x.io', 'u2@x.io', 'nobody'] } })
            .toArray()),
      ),
    ).toBeLessThanOrEqual(2);
    expect(many).toHaveLength(2);
    let pair: BigDoc[] = [];
    expect(
      await testedDuring(
        async () =>
          (pair = await coll()
            .find({ team: 't7', slot: 7, i: { $lt: 1000 } })
            .toArray()),
      ),
    ).toBeLessThanOrEqual(N / 50);
    expect(pair.map((d) => d.i).sort((a, b) => a - b)).toEqual([7, 307, 607, 907]);
  });

  it('updates, deletes, countDocuments and a leading $match use the index too', async () => {
    expect(
      await testedDuring(() => coll().updateOne({ email: 'u10@x.io' }, { $set: { touched: true } })),
    ).toBeLessThanOrEqual(1);
    expect(await coll().countDocuments({ touched: true })).toBe(1);
    expect(await testedDuring(() => coll().countDocuments({ email: 'u11@x.io' }))).toBeLessThanOrEqual(1);
    expect(
      await testedDuring(() =>
        coll()
          .aggregate([{ $match: { email: 'u12@x.io' } }, { $project: { i: 1 } }])
          .toArray(),
      ),
    ).toBeLessThanOrEqual(1);
    expect(await testedDuring(() => coll().deleteOne({ email: 'u13@x.io' }))).toBeLessThanOrEqual(1);
    expect(await coll().countDocuments({ email: 'u13@x.io' })).toBe(0);
  });

  it('candidates() picks the index: the unique email index yields one id', () => {
    const c = s.store.engine.collection('idx', 'big')!;
    const ids = c.candidates({ email: 'u99@x.io', team: 't49' });
    expect(ids?.size).toBe(1);
    expect(c).toBeInstanceOf(Collection);
    expect(c.candidates({ free: 'f1' })).toBeUndefined();
  });
});
