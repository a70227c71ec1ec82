import mongoose, { type HydratedDocument, Schema, type Types } from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Running, mongooseConnection, rejection, startStore } from './helpers.ts';

// The flows the product runs through mongoose: populate, aggregate, optimistic concurrency, transactions.
let s: Running;
let conn: mongoose.Connection;

interface TeamDoc {
  name: string;
}
interface MemberDoc {
  name: string;
  team?: Types.ObjectId;
  score: number;
  createdAt: Date;
  updatedAt: Date;
}
interface AccountDoc {
  owner: string;
  balance: number;
}

const teamSchema = new Schema<TeamDoc>({ name: { type: String, required: true, unique: true } });
const memberSchema = new Schema<MemberDoc>(
  { name: String, team: { type: Schema.Types.ObjectId, ref: 'Team' }, score: Number },
  { timestamps: true },
);
const docSchema = new Schema({ title: String, body: String }, { optimisticConcurrency: true });
const accountSchema = new Schema<AccountDoc>({ owner: { type: String, unique: true }, balance: Number });
const rowSchema = new Schema({ i: Number });
const scratchSchema = new Schema({ k: String });

// Given the schema it was compiled from, conn.model() returns the model already on the connection.
const Team = () => conn.model('Team', teamSchema);
const Member = () => conn.model('Member', memberSchema);
const Doc = () => conn.model('Doc', docSchema);
const Account = () => conn.model('Account', accountSchema);

beforeAll(async () => {
  s = await startStore();
  conn = await mongooseConnection(s.uri, 'mg');
  await Promise.all([Team().init(), Member().init(), Doc().init(), Account().init()]);
});
afterAll(async () => {
  await conn.close();
  await s.close();
});

describe('queries, populate and aggregate', () => {
  beforeAll(async () => {
    const [red, blue] = await Team().create([{ name: 'red' }, { name: 'blue' }]);
    await Member().create([
      { name: 'ann', team: red._id, score: 5 },
      { name: 'bob', team: red._id, score: 7 },
      { name: 'cid', team: blue._id, score: 3 },
      { name: 'dan', score: 1 },
    ]);
  });

  it('populate fills references, and leaves missing ones null', async () => {
    const members = await Member().find().sort({ name: 1 }).populate<{ team: TeamDoc | null }>('team').lean();
    expect(members.map((m) => [m.name, m.team?.name ?? null])).toEqual([
      ['ann', 'red'],
      ['bob', 'red'],
      ['cid', 'blue'],
      ['dan', null],
    ]);
    const one = await Member()
      .findOne({ name: 'cid' })
      .populate<{ team: HydratedDocument<TeamDoc> }>({ path: 'team', select: 'name -_id' });
    expect(one!.team.toObject()).toEqual({ name: 'blue' });
    expect(one!.createdAt).toBeInstanceOf(Date);
  });

  it('aggregate with $lookup and $group', async () => {
    const rows = await Member().aggregate([
      { $match: { team: { $ne: null } } },
      { $lookup: { from: 'teams', localField: 'team', foreignField: '_id', as: 't' } },
      { $unwind: '$t' },
      { $group: { _id: '$t.name', total: { $sum: '$score' }, names: { $push: '$name' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'blue', total: 3, names: ['cid'] },
      { _id: 'red', total: 12, names: ['ann', 'bob'] },
    ]);
  });

  it('countDocuments, estimatedDocumentCount, exists, distinct, lean find with operators', async () => {
    expect(await Member().countDocuments({ score: { $gte: 3 } })).toBe(3);
    expect(await Member().estimatedDocumentCount()).toBe(4);
    expect(await Member().exists({ name: 'bob' })).toMatchObject({ _id: expect.anything() });
    expect(await Member().exists({ name: 'zed' })).toBeNull();
    expect((await Member().distinct('name', { score: { $lt: 6 } })).sort()).toEqual(['ann', 'cid', 'dan']);
    const top = await Member()
      .find({ name: { $in: ['ann', 'bob', 'cid'] } }, 'name score')
      .sort({ score: -1 })
      .limit(2)
      .lean();
    expect(top.map((m) => m.name)).toEqual(['bob', 'ann']);
  });

  it('a query cursor streams more than 101 documents', async () => {
    const Row = conn.model('Row', rowSchema);
    await Row.insertMany(Array.from({ length: 180 }, (_, i) => ({ i })));
    const seen: unknown[] = [];
    for await (const row of Row.find().sort({ i: 1 }).cursor()) seen.push(row.i);
    expect(seen).toEqual(Array.from({ length: 180 }, (_, i) => i));
  });

  it('bulkWrite mixes inserts, updates, upserts and deletes', async () => {
    const res = await Member().bulkWrite([
      { insertOne: { document: { name: 'eve', score: 9 } } },
      { updateOne: { filter: { name: 'ann' }, update: { $inc: { score: 1 } } } },
      { updateOne: { filter: { name: 'fay' }, update: { $set: { score: 2 } }, upsert: true } },
      { deleteOne: { filter: { name: 'dan' } } },
    ]);
    expect(res).toMatchObject({
      insertedCount: 1,
      matchedCount: 1,
      modifiedCount: 1,
      upsertedCount: 1,
      deletedCount: 1,
    });
    expect((await Member().find().sort({ name: 1 }).lean()).map((m) => `${m.name}:${m.score}`)).toEqual([
      'ann:6',
      'bob:7',
      'cid:3',
      'eve:9',
      'fay:2',
    ]);
  });

  it('findOneAndUpdate with upsert seeds from the query and applies mongoose $setOnInsert timestamps', async () => {
    const created = await Member().findOneAndUpdate(
      { name: 'gus', score: { $gt: 0 } },
      { $set: { score: 4 } },
      { upsert: true, new: true },
    );
    expect(created).toMatchObject({ name: 'gus', score: 4 });
    expect(created!.createdAt).toBeInstanceOf(Date);
    expect(created!.updatedAt).toBeInstanceOf(Date);
    const again = await Member().findOneAndUpdate({ name: 'gus' }, { $set: { score: 5 } }, { new: true });
    expect(again!.createdAt.getTime()).toBe(created!.createdAt.getTime());
  });
});

describe('optimistic concurrency', () => {
  it('a stale save rejects with VersionError and does not overwrite', async () => {
    const doc = await Doc().create({ title: 't', body: 'v0' });
    const a = await Doc().findById(doc._id);
    const b = await Doc().findById(doc._id);
    a!.body = 'from a';
    await a!.save();
    b!.body = 'from b';
    const err = await rejection(() => b!.save(), mongoose.Error.VersionError);
    expect(err).toBeInstanceOf(mongoose.Error.VersionError);
    const stored = await Doc().findById(doc._id).lean();
    expect(stored).toMatchObject({ body: 'from a', __v: 1 });
  });
});

describe('transactions', () => {
  beforeEach(async () => {
    await Account().deleteMany({});
    await Account().create([
      { owner: 'a', balance: 100 },
      { owner: 'b', balance: 0 },
    ]);
  });
  const balances = async () => Object.fromEntries((await Account().find().lean()).map((x) => [x.owner, x.balance]));

  it('withTransaction commits: reads its own writes, invisible outside until commit', async () => {
    const session = await conn.startSession();
    const outside: unknown[] = [];
    try {
      await session.withTransaction(async () => {
        await Account().updateOne({ owner: 'a' }, { $inc: { balance: -30 } }, { session });
        await Account().updateOne({ owner: 'b' }, { $inc: { balance: 30 } }, { session });
        await Account().create([{ owner: 'c', balance: 1 }], { session });
        // inside: own writes
        expect((await Account().findOne({ owner: 'a' }).session(session).lean())!.balance).toBe(70);
        expect(await Account().countDocuments({}).session(session)).toBe(3);
        // outside: the committed state only
        outside.push(await balances(), await Account().countDocuments({}));
      });
    } finally {
      await session.endSession();
    }
    expect(outside).toEqual([{ a: 100, b: 0 }, 2]);
    expect(await balances()).toEqual({ a: 70, b: 30, c: 1 });
  });

  it('an aborted transaction is discarded', async () => {
    const session = await conn.startSession();
    try {
      const err = await rejection(
        () =>
          session.withTransaction(async () => {
            await Account().updateOne({ owner: 'a' }, { $set: { balance: 0 } }, { session });
            await Account().create([{ owner: 'z', balance: 5 }], { session });
            throw new Error('changed my mind');
          }),
        Error,
      );
      expect(err.message).toBe('changed my mind');
      session.startTransaction();
      await Account().deleteOne({ owner: 'b' }, { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await balances()).toEqual({ a: 100, b: 0 });
  });

  it("dropping a collection under a transaction's staged write aborts the transaction", async () => {
    const Scratch = conn.model('Scratch', scratchSchema);
    await Scratch.create({ k: 'before' });
    const session = await conn.startSession();
    try {
      session.startTransaction();
      await Scratch.create([{ k: 'staged' }], { session });
      await Scratch.collection.drop();
      const err = await rejection(() => session.commitTransaction());
      expect(err.code).toBe(112);
    } finally {
      await session.endSession();
    }
    expect(await Scratch.countDocuments()).toBe(0);
  });

  it('a duplicate key inside a transaction aborts all of it', async () => {
    const session = await conn.startSession();
    try {
      const err = await rejection(() =>
        session.withTransaction(async () => {
          await Account().updateOne({ owner: 'a' }, { $inc: { balance: 1 } }, { session });
          await Account().create([{ owner: 'b', balance: 1 }], { session });
        }),
      );
      expect(err.code).toBe(11000);
    } finally {
      await session.endSession();
    }
    expect(await balances()).toEqual({ a: 100, b: 0 });
  });

  it('a conflicting concurrent write answers WriteConflict 112 / TransientTransactionError', async () => {
    const client = conn.getClient();
    const accounts = client.db('mg').collection('accounts');
    const s1 = client.startSession();
    const s2 = client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await accounts.updateOne({ owner: 'a' }, { $inc: { balance: -1 } }, { session: s1 });
      const err = await rejection(() => accounts.updateOne({ owner: 'a' }, { $inc: { balance: -2 } }, { session: s2 }));
      expect(err.code).toBe(112);
      expect(err.codeName).toBe('WriteConflict');
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
      await s2.abortTransaction();
      await s1.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(await balances()).toEqual({ a: 99, b: 0 });
  });

  it("endSessions aborts a session's abandoned transaction and releases its locks", async () => {
    const client = conn.getClient();
    const accounts = client.db('mg').collection('accounts');
    const abandoned = client.startSession();
    abandoned.startTransaction();
    await accounts.updateOne({ owner: 'a' }, { $set: { balance: -1 } }, { session: abandoned });
    // the client goes away without commit or abort: only endSessions reaches the server
    await client.db('admin').command({ endSessions: [abandoned.id] });
    const other = client.startSession();
    try {
      other.startTransaction();
      // no WriteConflict: the abandoned transaction no longer holds the document
      await accounts.updateOne({ owner: 'a' }, { $inc: { balance: 1 } }, { session: other });
      await other.commitTransaction();
    } finally {
      await other.endSession();
    }
    expect(await balances()).toEqual({ a: 101, b: 0 });
  });

  it('a write committed after the transaction started makes its write conflict; withTransaction retries to success', async () => {
    const session = await conn.startSession();
    let attempts = 0;
    try {
      await session.withTransaction(async () => {
        attempts++;
        const a = await Account().findOne({ owner: 'a' }).session(session).lean();
        if (attempts === 1) await Account().updateOne({ owner: 'a' }, { $inc: { balance: 1000 } }); // another client, committed
        await Account().updateOne({ owner: 'a' }, { $set: { balance: a!.balance + 1 } }, { session });
      });
    } finally {
      await session.endSession();
    }
    expect(attempts).toBe(2);
    // the retry read the committed 1100: no lost update
    expect(await balances()).toEqual({ a: 1101, b: 0 });
  });

  it('a write by another client after the transaction wrote makes the commit fail and retry', async () => {
    const session = await conn.startSession();
    let attempts = 0;
    try {
      await session.withTransaction(async () => {
        attempts++;
        await Account().updateOne({ owner: 'b' }, { $inc: { balance: 5 } }, { session });
        if (attempts === 1) await Account().updateOne({ owner: 'b' }, { $inc: { balance: 100 } });
      });
    } finally {
      await session.endSession();
    }
    expect(attempts).toBe(2);
    expect(await balances()).toEqual({ a: 100, b: 105 });
  });
});
