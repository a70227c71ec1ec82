import mongoose, { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, mongooseConnection, rejection, startStore } from './helpers.ts';

// Issue 10, item 4: a transaction reads the snapshot taken when it started, plus its own writes;
// write-write conflicts still answer WriteConflict; write skew is possible, as on MongoDB.
let s: Running;
let conn: mongoose.Connection;

beforeAll(async () => {
  s = await startStore();
  conn = await mongooseConnection(s.uri, 'snap_m');
});
afterAll(async () => {
  await conn.close();
  await s.close();
});

const coll = (name: string) => s.client.db('snap').collection<{ _id: string; n?: number; tag?: string }>(name);

describe('snapshot isolation', () => {
  it('a transaction does not see commits, inserts or deletes made after it started', async () => {
    const c = coll('basic');
    await c.createIndex({ tag: 1 });
    await c.insertMany([
      { _id: 'x', n: 1, tag: 'a' },
      { _id: 'gone', n: 5, tag: 'a' },
    ]);
    const session = s.client.startSession();
    try {
      session.startTransaction();
      expect(await c.findOne({ _id: 'x' }, { session })).toMatchObject({ n: 1 });
      // Others change the data meanwhile, outside and inside their own transactions.
      await c.updateOne({ _id: 'x' }, { $set: { n: 2, tag: 'b' } });
      await c.insertOne({ _id: 'new', n: 9, tag: 'a' });
      await c.deleteOne({ _id: 'gone' });
      const other = s.client.startSession();
      await other.withTransaction(() => c.updateOne({ _id: 'new' }, { $set: { n: 10 } }, { session: other }));
      await other.endSession();

      expect(await c.findOne({ _id: 'x' }, { session })).toMatchObject({ n: 1, tag: 'a' });
      const all = await c.find({}, { session }).sort({ _id: 1 }).toArray();
      expect(all.map((d) => [d._id, d.n])).toEqual([
        ['gone', 5],
        ['x', 1],
      ]);
      // Through the index on tag (which holds current values) and through a sort + limit walk.
      expect((await c.find({ tag: 'a' }, { session }).toArray()).map((d) => d._id).sort()).toEqual(['gone', 'x']);
      expect(await c.find({ tag: 'b' }, { session }).toArray()).toEqual([]);
      expect((await c.find({}, { session }).sort({ tag: 1 }).limit(1).toArray())[0]._id).not.toBe('new');
      expect(await c.countDocuments({}, { session })).toBe(2);
      const grouped = await c.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }], { session }).toArray();
      expect(grouped[0].total).toBe(6);
      // Its own writes overlay the snapshot.
      await c.insertOne({ _id: 'own', n: 100 }, { session });
      expect(await c.countDocuments({}, { session })).toBe(3);
      // Writing a document changed since the snapshot is a write conflict.
      const conflict = await rejection(() => c.updateOne({ _id: 'x' }, { $inc: { n: 1 } }, { session }));
      expect(conflict.code).toBe(112);
      expect(conflict.errorLabels).toContain('TransientTransactionError');
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
    expect(await c.findOne({ _id: 'x' })).toMatchObject({ n: 2 });
    expect(await c.findOne({ _id: 'own' })).toBeNull();
  });

  it('inserting an _id another session inserted after the snapshot is a write conflict', async () => {
    const c = coll('insert-race');
    await c.insertOne({ _id: 'seed' });
    const session = s.client.startSession();
    try {
      session.startTransaction();
      await c.findOne({}, { session });
      await c.insertOne({ _id: 'same' });
      const err = await rejection(() => c.insertOne({ _id: 'same' }, { session }));
      expect(err.code).toBe(112);
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  });

  it('write skew: transactions writing different documents both commit; a common document conflicts', async () => {
    const c = coll('shifts');
    await c.insertMany([
      { _id: 'alice', n: 1 },
      { _id: 'bob', n: 1 },
      { _id: 'guard', n: 0 },
    ]);
    const onCall = async (session: ReturnType<typeof s.client.startSession>) =>
      (await c.find({ n: 1 }, { session }).toArray()).length;
    const a = s.client.startSession();
    const b = s.client.startSession();
    try {
      a.startTransaction();
      b.startTransaction();
      // Both see two people on call and each takes one off: snapshot isolation lets both commit.
      expect(await onCall(a)).toBe(2);
      expect(await onCall(b)).toBe(2);
      await c.updateOne({ _id: 'alice' }, { $set: { n: 0 } }, { session: a });
      await c.updateOne({ _id: 'bob' }, { $set: { n: 0 } }, { session: b });
      await a.commitTransaction();
      await b.commitTransaction();
      expect(await c.countDocuments({ n: 1 })).toBe(0);

      // The rule made safe: both also write one common document, so the second one conflicts.
      await c.updateMany({ _id: { $in: ['alice', 'bob'] } }, { $set: { n: 1 } });
      a.startTransaction();
      b.startTransaction();
      expect(await onCall(a)).toBe(2);
      expect(await onCall(b)).toBe(2);
      await c.updateOne({ _id: 'alice' }, { $set: { n: 0 } }, { session: a });
      await c.updateOne({ _id: 'guard' }, { $inc: { n: 1 } }, { session: a });
      await c.updateOne({ _id: 'bob' }, { $set: { n: 0 } }, { session: b });
      const err = await rejection(() => c.updateOne({ _id: 'guard' }, { $inc: { n: 1 } }, { session: b }));
      expect(err.code).toBe(112);
      await a.commitTransaction();
      await b.abortTransaction();
      expect(await c.countDocuments({ n: 1, _id: { $ne: 'guard' } })).toBe(1);
    } finally {
      await a.endSession();
      await b.endSession();
    }
  });

  it('through mongoose: a report inside a transaction sees one consistent state', async () => {
    const Account = conn.model('Account', new Schema({ _id: String, balance: Number }));
    await Account.create([
      { _id: 'a', balance: 50 },
      { _id: 'b', balance: 50 },
    ]);
    const session = await conn.startSession();
    try {
      session.startTransaction();
      const first = await Account.findById('a').session(session).lean();
      // A transfer commits between the report's two reads.
      await conn.transaction(async (t) => {
        await Account.updateOne({ _id: 'a' }, { $inc: { balance: -30 } }, { session: t });
        await Account.updateOne({ _id: 'b' }, { $inc: { balance: 30 } }, { session: t });
      });
      const second = await Account.findById('b').session(session).lean();
      expect((first?.balance ?? 0) + (second?.balance ?? 0)).toBe(100);
      expect(second?.balance).toBe(50);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect((await Account.findById('b').lean())?.balance).toBe(80);
  });

  it('past versions are kept only while a transaction that may read them is open', async () => {
    const c = coll('history');
    await c.insertOne({ _id: 'h', n: 0 });
    const session = s.client.startSession();
    session.startTransaction();
    await c.findOne({ _id: 'h' }, { session });
    for (let i = 0; i < 50; i++) await c.updateOne({ _id: 'h' }, { $inc: { n: 1 } });
    expect(s.store.engine.pastVersions).toBeGreaterThanOrEqual(1);
    expect(await c.findOne({ _id: 'h' }, { session })).toMatchObject({ n: 0 });
    await session.abortTransaction();
    await session.endSession();
    expect(s.store.engine.pastVersions).toBe(0);
    for (let i = 0; i < 10; i++) await c.updateOne({ _id: 'h' }, { $inc: { n: 1 } });
    expect(s.store.engine.pastVersions).toBe(0);
  });
});

describe('unique index created inside a transaction', () => {
  it('is checked against the documents the transaction wrote before creating it', async () => {
    const session = s.client.startSession();
    try {
      session.startTransaction();
      const c = s.client.db('snap').collection('fresh');
      await c.insertMany(
        [
          { _id: 1, email: 'same@x' },
          { _id: 2, email: 'same@x' },
        ] as never[],
        { session },
      );
      const err = await rejection(() => c.createIndex({ email: 1 }, { unique: true, session }));
      expect(err.code).toBe(11000);
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
    expect(await s.client.db('snap').listCollections({ name: 'fresh' }).toArray()).toEqual([]);
  });
});
