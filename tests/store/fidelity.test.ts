import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongo } from 'mongoose';
import {
  type Document,
  type Running,
  Binary,
  Long,
  MongoClient,
  mongooseConnection,
  rejection,
  startStore,
} from './helpers.ts';

// Issue 10, item 3: where the store differed from MongoDB 7.0. Each option either behaves as in
// 7.0 or is refused naming it; the official driver first, then mongoose where it reaches the feature.
let s: Running;
let conn: mongoose.Connection;

const itemSchema = new Schema({ k: String, n: Number });
const Item = () => conn.model('Item', itemSchema);

beforeAll(async () => {
  s = await startStore();
  conn = await mongooseConnection(s.uri, 'fidelity_m');
  await Item().init();
});
afterAll(async () => {
  await conn.close();
  await s.close();
});

const db = () => s.client.db('fidelity');

describe('_id validity (defect 4)', () => {
  it("refuses '$'-prefixed field names inside _id with InvalidIdField (53)", async () => {
    const err = await rejection(() =>
      db()
        .collection('ids')
        .insertOne({ _id: { $a: 1 } } as Document),
    );
    expect(err.code).toBe(53);
    expect(err.message).toBe("_id fields may not contain '$'-prefixed fields: $a is not valid for storage.");
    const nested = await rejection(() =>
      db()
        .collection('ids')
        .insertOne({ _id: { a: { $b: 1 } } } as Document),
    );
    expect(nested.code).toBe(53);
    expect(await db().collection('ids').countDocuments()).toBe(0);
    // a plain sub-document _id is fine
    await db()
      .collection('ids')
      .insertOne({ _id: { a: 1 } } as Document);
    expect(await db().collection('ids').countDocuments()).toBe(1);
  });

  it('mongoose: a document whose _id holds a $-field is refused', async () => {
    const Raw = conn.model('RawId', new Schema({ _id: Schema.Types.Mixed, v: Number }));
    const err = await rejection(() => Raw.collection.insertOne({ _id: { $x: 1 }, v: 1 } as Document));
    expect(err.code).toBe(53);
  });
});

describe('upsert seeding (defect 3)', () => {
  it('an upsert on {_id: null} stores _id null, not a generated ObjectId', async () => {
    const c = db().collection('nullid');
    const res = await c.updateOne({ _id: null } as Document, { $set: { v: 1 } }, { upsert: true });
    expect(res.upsertedId).toBeNull();
    expect(res.upsertedCount).toBe(1);
    expect(await c.find({}).toArray()).toEqual([{ _id: null, v: 1 }]);
    // the second upsert matches it
    const again = await c.updateOne({ _id: null } as Document, { $set: { v: 2 } }, { upsert: true });
    expect(again.matchedCount).toBe(1);
    expect(await c.find({}).toArray()).toEqual([{ _id: null, v: 2 }]);
  });

  it('equality to null seeds other fields as MongoDB does', async () => {
    const c = db().collection('nullseed');
    await c.updateOne({ a: null, b: { $eq: null } }, { $set: { v: 1 } }, { upsert: true });
    const [doc] = await c.find({}, { projection: { _id: 0 } }).toArray();
    expect(doc).toEqual({ a: null, b: null, v: 1 });
  });

  it('mongoose: findOneAndUpdate upsert on _id null', async () => {
    const Loose = conn.model('LooseId', new Schema({ _id: Schema.Types.Mixed, v: Number }));
    const doc = await Loose.findOneAndUpdate({ _id: null }, { $set: { v: 3 } }, { upsert: true, new: true }).lean();
    expect(doc).toMatchObject({ _id: null, v: 3 });
  });
});

describe('transactions (defects 5 and 6)', () => {
  it('committing an already committed transaction again answers ok', async () => {
    const session = s.client.startSession();
    try {
      session.startTransaction();
      await db().collection('txn').insertOne({ k: 'once' }, { session });
      await session.commitTransaction();
      await session.commitTransaction(); // the driver re-sends commitTransaction
      expect(await db().collection('txn').countDocuments({ k: 'once' })).toBe(1);
    } finally {
      await session.endSession();
    }
  });

  it('a raw repeated commitTransaction with the same lsid and txnNumber answers ok; abort after it is 256', async () => {
    const client = new MongoClient(s.uri, { monitorCommands: true });
    const sent: Document[] = [];
    client.on('commandStarted', (e) => sent.push(e.command));
    const session = client.startSession();
    try {
      session.startTransaction();
      await client.db('fidelity').collection('txn').insertOne({ k: 'raw' }, { session });
      await session.commitTransaction();
      const commit = sent.find((c) => c.commitTransaction === 1) as Document;
      const { lsid, txnNumber } = commit;
      const admin = client.db('admin');
      const again = { commitTransaction: 1, lsid, txnNumber, autocommit: false };
      // the driver keeps the session's lsid and txnNumber on a raw command run in that session
      expect((await admin.command(again, { session })).ok).toBe(1);
      expect(sent[sent.length - 1]).toMatchObject({ commitTransaction: 1, lsid, txnNumber });
      const abort = await rejection(() =>
        admin.command({ abortTransaction: 1, lsid, txnNumber, autocommit: false }, { session }),
      );
      expect(abort.code).toBe(256);
      // straight to the store: the same again answers ok, another txnNumber of the session is still NoSuchTransaction
      const direct = (n: InstanceType<typeof Long>) =>
        s.store.execute({ command: { commitTransaction: 1, lsid, txnNumber: n, autocommit: false, $db: 'admin' } });
      expect(await direct(txnNumber as InstanceType<typeof Long>)).toMatchObject({ ok: 1 });
      expect(await direct(Long.fromNumber(99))).toMatchObject({ ok: 0, code: 251 });
    } finally {
      await session.endSession();
      await client.close();
    }
  });

  it('mongoose: commitTransaction twice on one session', async () => {
    const session = await conn.startSession();
    try {
      session.startTransaction();
      await Item().create([{ k: 'm-commit' }], { session });
      await session.commitTransaction();
      await session.commitTransaction();
      expect(await Item().countDocuments({ k: 'm-commit' })).toBe(1);
    } finally {
      await session.endSession();
    }
  });

  it('count is refused inside a transaction with OperationNotSupportedInTransaction (263)', async () => {
    await db().collection('txn').insertOne({ k: 'counted' });
    const session = s.client.startSession();
    try {
      session.startTransaction();
      const err = await rejection(() => db().command({ count: 'txn' }, { session }));
      expect(err.code).toBe(263);
      expect(err.codeName).toBe('OperationNotSupportedInTransaction');
      await session.abortTransaction();
      // countDocuments (an aggregate) is the alternative that works
      session.startTransaction();
      expect(await db().collection('txn').countDocuments({}, { session })).toBeGreaterThan(0);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
  });

  it('mongoose: estimatedDocumentCount in a transaction is refused', async () => {
    const session = await conn.startSession();
    try {
      session.startTransaction();
      const err = await rejection(() => Item().estimatedDocumentCount().session(session).exec());
      expect(err.code).toBe(263);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
  });

  it('a collection created implicitly in a transaction is invisible to others until commit', async () => {
    const session = s.client.startSession();
    const names = async () => (await db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    try {
      session.startTransaction();
      await db().collection('born_in_txn').insertOne({ k: 1 }, { session });
      expect(await db().collection('born_in_txn').find({}, { session }).toArray()).toHaveLength(1);
      expect(await names()).not.toContain('born_in_txn');
      expect(await db().collection('born_in_txn').find({}).toArray()).toEqual([]);
      await session.commitTransaction();
      expect(await names()).toContain('born_in_txn');
      expect(await db().collection('born_in_txn').countDocuments()).toBe(1);

      session.startTransaction();
      await db().createCollection('aborted_in_txn', { session });
      await db().collection('aborted_in_txn').createIndex({ k: 1 }, { session });
      await db().collection('aborted_in_txn').insertOne({ k: 1 }, { session });
      expect(await names()).not.toContain('aborted_in_txn');
      await session.abortTransaction();
      expect(await names()).not.toContain('aborted_in_txn');

      session.startTransaction();
      await db().createCollection('created_in_txn', { session });
      await db().collection('created_in_txn').createIndex({ k: 1 }, { session });
      expect(await names()).not.toContain('created_in_txn');
      await session.commitTransaction();
      const indexes = await db().collection('created_in_txn').listIndexes().toArray();
      expect(indexes.map((i) => i.name)).toEqual(['_id_', 'k_1']);

      // indexes on an existing collection cannot be created in a transaction (as in MongoDB)
      session.startTransaction();
      const err = await rejection(() => db().collection('created_in_txn').createIndex({ j: 1 }, { session }));
      expect(err.code).toBe(263);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
  });

  it('mongoose: a model whose collection is first written in a transaction', async () => {
    const Late = conn.model(
      'LateBorn',
      new Schema({ k: String }, { autoCreate: false, autoIndex: false }),
      'late_born',
    );
    const session = await conn.startSession();
    try {
      await session.withTransaction(async () => {
        await Late.create([{ k: 'a' }], { session });
        const outside = await conn.db?.listCollections({ name: 'late_born' }).toArray();
        expect(outside).toEqual([]);
      });
      expect(await Late.countDocuments()).toBe(1);
    } finally {
      await session.endSession();
    }
  });
});

describe('write concern (defect 7)', () => {
  it('w: 10 applies the write and answers UnsatisfiableWriteConcern (100)', async () => {
    const c = db().collection('wc');
    const err = await rejection(
      () => c.insertOne({ k: 'w10' }, { writeConcern: { w: 10 } }),
      mongo.MongoWriteConcernError,
    );
    expect(err.code).toBe(100);
    expect(err.message).toBe('Not enough data-bearing nodes');
    expect(await c.countDocuments({ k: 'w10' })).toBe(1);
    // w: 1 and w: 'majority' are satisfiable by one member
    await c.insertOne({ k: 'w1' }, { writeConcern: { w: 1 } });
    await c.insertOne({ k: 'wm' }, { writeConcern: { w: 'majority' } });
    expect(await c.countDocuments()).toBe(3);
  });

  it('mongoose: updateOne with w: 10 fails with the write concern error, the update applied', async () => {
    await Item().create({ k: 'wc', n: 1 });
    const err = await rejection(
      () =>
        Item()
          .updateOne({ k: 'wc' }, { $set: { n: 2 } }, { writeConcern: { w: 10 } })
          .exec(),
      mongo.MongoServerError,
    );
    expect(err.code).toBe(100);
    expect((await Item().findOne({ k: 'wc' }).lean())?.n).toBe(2);
  });
});

describe('sort on update statements (defect 1)', () => {
  it('updateOne / replaceOne / bulkWrite with sort are refused naming sort (40415), nothing written', async () => {
    const c = db().collection('sorted');
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    const attempts = [
      () => c.updateOne({}, { $set: { b: 1 } }, { sort: { a: -1 } } as object),
      () => c.replaceOne({}, { b: 1 }, { sort: { a: -1 } } as object),
      () => c.bulkWrite([{ updateOne: { filter: {}, update: { $set: { b: 1 } }, sort: { a: -1 } } as never }]),
      () => c.bulkWrite([{ replaceOne: { filter: {}, replacement: { b: 1 }, sort: { a: -1 } } as never }]),
    ];
    for (const attempt of attempts) {
      const err = await rejection(attempt, mongo.MongoServerError);
      expect(err.code).toBe(40415);
      expect(err.message).toBe("BSON field 'update.updates.sort' is an unknown field.");
    }
    expect(await c.countDocuments({ b: { $exists: true } })).toBe(0);
  });

  it('mongoose: updateOne with sort is refused', async () => {
    await Item().create({ k: 'sorted', n: 1 });
    const err = await rejection(() =>
      Item()
        .updateOne({ k: 'sorted' }, { $set: { n: 5 } }, { sort: { n: 1 } } as object)
        .exec(),
    );
    expect(err.code).toBe(40415);
    expect((await Item().findOne({ k: 'sorted' }).lean())?.n).toBe(1);
  });
});

describe('let variables (defect 2)', () => {
  const c = () => db().collection('lets');
  beforeAll(async () => {
    await c().insertMany([
      { _id: 1, a: 1 },
      { _id: 2, a: 2 },
      { _id: 3, a: 3 },
    ] as Document[]);
  });

  it('find and aggregate read $$variables from let (expressions evaluated)', async () => {
    const byFind = await c()
      .find({ $expr: { $eq: ['$a', '$$target'] } }, { let: { target: { $add: [1, 1] } } })
      .toArray();
    expect(byFind.map((d) => d._id)).toEqual([2]);
    const byAgg = await c()
      .aggregate([{ $match: { $expr: { $gte: ['$a', '$$min'] } } }, { $project: { _id: 1, tag: '$$label' } }], {
        let: { min: 2, label: 'big' },
      })
      .toArray();
    expect(byAgg).toEqual([
      { _id: 2, tag: 'big' },
      { _id: 3, tag: 'big' },
    ]);
  });

  it('update, delete and findAndModify read $$variables from let', async () => {
    await c().updateOne({ $expr: { $eq: ['$a', '$$which'] } }, [{ $set: { b: '$$value' } }], {
      let: { which: 1, value: 'one' },
    });
    expect(await c().findOne({ _id: 1 } as Document)).toEqual({ _id: 1, a: 1, b: 'one' });
    const found = await c().findOneAndUpdate(
      { $expr: { $eq: ['$a', '$$which'] } },
      { $set: { c: true } },
      { let: { which: 3 }, returnDocument: 'after' },
    );
    expect(found).toEqual({ _id: 3, a: 3, c: true });
    const deleted = await c().deleteMany({ $expr: { $lt: ['$a', '$$below'] } }, { let: { below: 2 } });
    expect(deleted.deletedCount).toBe(1);
    expect((await c().find({}).toArray()).map((d) => d._id)).toEqual([2, 3]);
  });

  it('an unknown variable still fails naming it', async () => {
    const err = await rejection(() =>
      c()
        .find({ $expr: { $eq: ['$a', '$$nope'] } })
        .toArray(),
    );
    expect(err.message).toMatch(/nope/);
  });

  it('mongoose: aggregate and find with let', async () => {
    await Item().create([
      { k: 'let', n: 10 },
      { k: 'let', n: 20 },
    ]);
    const agg = await Item()
      .aggregate<{ n: number }>([
        { $match: { k: 'let', $expr: { $gt: ['$n', '$$min'] } } },
        { $project: { _id: 0, n: 1 } },
      ])
      .option({ let: { min: 15 } });
    expect(agg).toEqual([{ n: 20 }]);
    const found = await Item()
      .find({ k: 'let', $expr: { $lt: ['$n', '$$max'] } })
      .setOptions({ let: { max: 15 } } as object)
      .lean();
    expect(found.map((d) => d.n)).toEqual([10]);
  });
});

describe('$listLocalSessions (defect 8)', () => {
  it('lists the sessions the store has seen, with id, uid and lastUse', async () => {
    const session = s.client.startSession();
    try {
      await db().collection('sess').insertOne({ k: 1 }, { session });
      const id = (session.id as Document).id as InstanceType<typeof Binary>;
      const sessions = await s.client
        .db('admin')
        .aggregate([{ $listLocalSessions: {} }])
        .toArray();
      const mine = sessions.find((d) =>
        Buffer.from((d._id.id as InstanceType<typeof Binary>).buffer).equals(Buffer.from(id.buffer)),
      );
      expect(mine).toBeDefined();
      expect(mine?.lastUse).toBeInstanceOf(Date);
      expect(mine?._id.uid).toBeInstanceOf(Binary);
      const filtered = await s.client
        .db('admin')
        .aggregate([{ $listLocalSessions: { allUsers: true } }, { $match: { '_id.id': id } }, { $count: 'n' }])
        .toArray();
      expect(filtered).toEqual([{ n: 1 }]);
    } finally {
      await session.endSession();
    }
  });

  it('is refused outside the first stage', async () => {
    const err = await rejection(() =>
      s.client
        .db('admin')
        .aggregate([{ $match: {} }, { $listLocalSessions: {} }])
        .toArray(),
    );
    expect(err.message).toMatch(/\$listLocalSessions/);
  });
});

describe('validators and collMod (defect 9)', () => {
  it('a query validator is enforced on insert, update, upsert and findAndModify (121, errInfo)', async () => {
    await db().createCollection('validated', { validator: { k: { $type: 'string' } } });
    const c = db().collection('validated');
    await c.insertOne({ _id: 1, k: 'ok' } as Document);
    const bad = await rejection(() => c.insertOne({ _id: 2, k: 5 } as Document));
    expect(bad.code).toBe(121);
    expect(bad.errInfo?.failingDocumentId).toBe(2);
    const update = await rejection(() => c.updateOne({ _id: 1 } as Document, { $set: { k: 7 } }));
    expect(update.code).toBe(121);
    const upsert = await rejection(() => c.updateOne({ _id: 3 } as Document, { $set: { k: 7 } }, { upsert: true }));
    expect(upsert.code).toBe(121);
    const fam = await rejection(() => c.findOneAndUpdate({ _id: 1 } as Document, { $unset: { k: '' } }));
    expect(fam.code).toBe(121);
    const many = await rejection(
      () => c.insertMany([{ k: 1 }, { k: 'fine' }], { ordered: false }),
      mongo.MongoBulkWriteError,
    );
    expect(many.writeErrors).toMatchObject([{ code: 121, index: 0 }]);
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ k: 'ok' }, { k: 'fine' }]);
    // bypassDocumentValidation lets it through
    await c.insertOne({ _id: 4, k: 4 } as Document, { bypassDocumentValidation: true });
    expect(await c.countDocuments({ _id: 4 } as Document)).toBe(1);
  });

  it('validationLevel moderate skips documents already invalid; validationAction warn writes', async () => {
    await db().createCollection('moderate', { validator: { n: { $gte: 0 } }, validationLevel: 'moderate' });
    const c = db().collection('moderate');
    await c.insertOne({ _id: 'bad', n: -1 } as Document, { bypassDocumentValidation: true });
    await c.insertOne({ _id: 'good', n: 1 } as Document);
    await c.updateOne({ _id: 'bad' } as Document, { $set: { n: -2 } }); // was invalid already: allowed
    const err = await rejection(() => c.updateOne({ _id: 'good' } as Document, { $set: { n: -2 } }));
    expect(err.code).toBe(121);
    await db().createCollection('warned', { validator: { n: { $gte: 0 } }, validationAction: 'warn' });
    await db().collection('warned').insertOne({ n: -1 });
    expect(await db().collection('warned').countDocuments()).toBe(1);
    const level = await rejection(() => db().createCollection('badlevel', { validationLevel: 'sometimes' as 'off' }));
    expect(level.message).toMatch(/validationLevel/);
  });

  it('$jsonSchema validators are refused naming $jsonSchema, nothing created', async () => {
    const err = await rejection(() =>
      db().createCollection('schema', { validator: { $jsonSchema: { required: ['k'] } } }),
    );
    expect(err.code).toBe(115);
    expect(err.message).toMatch(/\$jsonSchema/);
    expect(await db().listCollections({ name: 'schema' }).toArray()).toEqual([]);
  });

  it('collMod changes the validator (listed and enforced); other options are refused by name', async () => {
    await db().createCollection('modded');
    const c = db().collection('modded');
    await c.insertOne({ k: 1 });
    await db().command({ collMod: 'modded', validator: { k: { $type: 'string' } }, validationLevel: 'strict' });
    const [info] = await db().listCollections({ name: 'modded' }).toArray();
    expect(info).toMatchObject({ options: { validator: { k: { $type: 'string' } }, validationLevel: 'strict' } });
    expect((await rejection(() => c.insertOne({ k: 2 }))).code).toBe(121);
    const other = await rejection(() => db().command({ collMod: 'modded', expireAfterSeconds: 5 }));
    expect(other.code).toBe(115);
    expect(other.message).toMatch(/'expireAfterSeconds'/);
    const missing = await rejection(() => db().command({ collMod: 'nowhere', validator: {} }));
    expect(missing.code).toBe(26);
    await db().command({ collMod: 'modded', validator: {} }); // an empty validator removes it
    await c.insertOne({ k: 3 });
  });

  it('collMod survives a restart (journaled)', async () => {
    const dbpath = await mkdtemp(join(tmpdir(), 'fidelity-'));
    try {
      let run = await startStore({ dbpath });
      await run.client.db('d').createCollection('v');
      await run.client.db('d').command({ collMod: 'v', validator: { k: { $exists: true } } });
      await run.close();
      run = await startStore({ dbpath });
      try {
        const err = await rejection(() => run.client.db('d').collection('v').insertOne({ other: 1 }));
        expect(err.code).toBe(121);
      } finally {
        await run.close();
      }
    } finally {
      await rm(dbpath, { recursive: true, force: true });
    }
  });

  it('mongoose: a model on a validated collection gets DocumentValidationFailure', async () => {
    await conn.createCollection('m_validated', { validator: { k: { $type: 'string' } } });
    const V = conn.model('MValidated', new Schema<{ k: unknown }>({ k: Schema.Types.Mixed }), 'm_validated');
    const err = await rejection(() => V.create({ k: 42 }));
    expect(err.code).toBe(121);
    await V.create({ k: 'fine' });
    expect(await V.countDocuments()).toBe(1);
  });
});
