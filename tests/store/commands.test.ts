import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CommandStarted,
  type CommandSucceeded,
  type Document,
  type Running,
  Long,
  ObjectId,
  rejection,
  startStore,
} from './helpers.ts';
import { setTimeout as sleep } from 'node:timers/promises';

// Every command of the issue, through the plain `mongodb` driver against a memory-only store.
let s: Running;
const started: CommandStarted[] = [];

beforeAll(async () => {
  s = await startStore({}, { monitorCommands: true });
  s.client.on('commandStarted', (e) => started.push(e));
});
afterAll(async () => s.close());
beforeEach(() => {
  started.length = 0;
});

const db = () => s.client.db('cmds');

describe('admin commands', () => {
  it('hello / isMaster / ismaster answer a writable primary of a one-member replica set, with sessions', async () => {
    const hello = await db().admin().command({ hello: 1 });
    expect(hello).toMatchObject({
      ok: 1,
      isWritablePrimary: true,
      helloOk: true,
      logicalSessionTimeoutMinutes: 30,
      minWireVersion: 0,
    });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.ismaster).toBeUndefined();
    expect(hello.setName).toBe('crewdeck');
    expect(hello.hosts).toEqual([hello.me]);
    expect(hello.primary).toBe(hello.me);
    expect(hello.topologyVersion.processId).toBeDefined();
    expect(hello.localTime).toBeInstanceOf(Date);
    const isMaster = await db().admin().command({ isMaster: 1 });
    expect(isMaster).toMatchObject({ ok: 1, ismaster: true, maxBsonObjectSize: 16 * 1024 * 1024 });
    expect(await db().admin().command({ ismaster: 1 })).toMatchObject({ ismaster: true });
  });

  it('ping, buildInfo, getParameter', async () => {
    expect(await db().admin().ping()).toMatchObject({ ok: 1 });
    const info = await db().admin().buildInfo();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(info.versionArray).toHaveLength(4);
    const param = await db().admin().command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(param.featureCompatibilityVersion.version).toMatch(/^\d+\.\d+$/);
  });

  it('endSessions is answered and sessions keep working afterwards', async () => {
    const session = s.client.startSession();
    await db().collection('sess').insertOne({ a: 1 }, { session });
    await session.endSession();
    expect(await db().admin().command({ endSessions: [] })).toMatchObject({ ok: 1 });
    expect(await db().collection('sess').countDocuments()).toBe(1);
  });

  it('an unknown command answers CommandNotFound naming it', async () => {
    const err = await rejection(() => db().command({ frobnicate: 1 }));
    expect(err.code).toBe(59);
    expect(err.codeName).toBe('CommandNotFound');
    expect(err.message).toContain('frobnicate');
    expect(await db().admin().ping()).toMatchObject({ ok: 1 });
  });

  it('listDatabases lists databases holding data, dropDatabase removes one', async () => {
    await s.client.db('ldb_one').collection('x').insertOne({ a: 1 });
    await s.client.db('ldb_two').collection('y').insertOne({ a: 1 });
    const names = (await db().admin().listDatabases()).databases.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['ldb_one', 'ldb_two']));
    expect(await s.client.db('ldb_one').dropDatabase()).toBe(true);
    const after = (await db().admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
    expect(after).not.toContain('ldb_one');
    expect(after).toContain('ldb_two');
    expect(await s.client.db('ldb_one').collection('x').countDocuments()).toBe(0);
  });
});

describe('insert and find', () => {
  beforeAll(async () => {
    const docs = Array.from({ length: 250 }, (_, i) => ({
      n: i,
      group: i % 5,
      name: `item-${String(i).padStart(3, '0')}`,
      tags: [`t${i % 3}`],
    }));
    await db().collection('items').insertMany(docs);
  });

  it('insert assigns an ObjectId _id first and returns the count', async () => {
    const res = await db()
      .collection<{ _id?: ObjectId | string | number; a: number }>('ins')
      .insertMany([{ a: 1 }, { _id: 'x', a: 2 }, { a: 3, _id: 7 }]);
    expect(res.insertedCount).toBe(3);
    const raw = await db().command({ find: 'ins', filter: {}, sort: { a: 1 } });
    const docs: Document[] = raw.cursor.firstBatch;
    expect(docs[0]._id).toBeInstanceOf(ObjectId);
    expect(docs.map((d) => Object.keys(d)[0])).toEqual(['_id', '_id', '_id']);
    expect(docs.map((d) => d._id)).toEqual([docs[0]._id, 'x', 7]);
  });

  it('find with filter, sort, skip, limit and projection', async () => {
    const docs = await db()
      .collection('items')
      .find({ group: 2, n: { $gte: 100 } }, { projection: { name: 1, n: 1 } })
      .sort({ n: -1 })
      .skip(2)
      .limit(3)
      .toArray();
    expect(docs.map((d) => d.n)).toEqual([237, 232, 227]);
    expect(Object.keys(docs[0])).toEqual(['_id', 'n', 'name']);
    const excl = await db()
      .collection('items')
      .findOne({ n: 5 }, { projection: { _id: 0, tags: 0 } });
    expect(excl).toEqual({ n: 5, group: 0, name: 'item-005' });
  });

  it('a find returning more than 101 documents pages through getMore batches', async () => {
    const all = await db().collection('items').find({}).sort({ n: 1 }).toArray();
    expect(all).toHaveLength(250);
    expect(all.map((d) => d.n)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const find = started.find((e) => e.commandName === 'find');
    expect(find).toBeDefined();
    const getMores = started.filter((e) => e.commandName === 'getMore');
    expect(getMores.length).toBeGreaterThanOrEqual(1);
    expect(getMores[0].command.getMore).toBeInstanceOf(Long);
  });

  /** How many documents a find (`cursor.firstBatch`) or getMore (`cursor.nextBatch`) reply carries. */
  function batchLength(reply: unknown, batch: 'firstBatch' | 'nextBatch'): number {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
    const cursor = isObject(reply) ? reply.cursor : undefined;
    const docs = isObject(cursor) ? cursor[batch] : undefined;
    if (!Array.isArray(docs)) throw new Error(`the reply has no cursor.${batch}`);
    return docs.length;
  }

  it('batchSize is honoured on find and getMore (several getMore batches)', async () => {
    const batches: number[] = [];
    const onSucceeded = (e: CommandSucceeded) => {
      if (e.commandName === 'find') batches.push(batchLength(e.reply, 'firstBatch'));
      if (e.commandName === 'getMore') batches.push(batchLength(e.reply, 'nextBatch'));
    };
    s.client.on('commandSucceeded', onSucceeded);
    try {
      const docs = await db().collection('items').find({ group: 1 }).batchSize(12).toArray();
      expect(docs).toHaveLength(50);
    } finally {
      s.client.off('commandSucceeded', onSucceeded);
    }
    expect(batches).toEqual([12, 12, 12, 12, 2]);
    expect(started.filter((e) => e.commandName === 'getMore')).toHaveLength(4);
  });

  it('findOne is a single batch and leaves no cursor open', async () => {
    const before = s.store.cursors.size;
    const doc = await db().collection('items').findOne({ group: 3 });
    expect(doc?.group).toBe(3);
    expect(s.store.cursors.size).toBe(before);
  });

  it('killCursors closes an open cursor; getMore on it then fails with CursorNotFound', async () => {
    const first = await db().command({ find: 'items', filter: {}, batchSize: 2 });
    const id = first.cursor.id;
    expect(id.toString()).not.toBe('0');
    const more = await db().command({ getMore: id, collection: 'items', batchSize: 3 });
    expect(more.cursor.nextBatch).toHaveLength(3);
    const killed = await db().command({ killCursors: 'items', cursors: [id] });
    expect(killed.cursorsKilled.map(String)).toEqual([id.toString()]);
    const err = await rejection(() => db().command({ getMore: id, collection: 'items' }));
    expect(err.code).toBe(43);
  });

  it('a driver cursor closed early sends killCursors', async () => {
    const cursor = db().collection('items').find({}).batchSize(5);
    await cursor.next();
    const before = s.store.cursors.size;
    await cursor.close();
    expect(started.some((e) => e.commandName === 'killCursors')).toBe(true);
    expect(s.store.cursors.size).toBe(before - 1);
  });

  it('count and distinct', async () => {
    expect(await db().collection('items').estimatedDocumentCount()).toBe(250);
    expect(await db().collection('items').countDocuments({ group: 4 })).toBe(50);
    const raw = await db().command({ count: 'items', query: { group: 4 }, skip: 10, limit: 15 });
    expect(raw.n).toBe(15);
    expect((await db().collection('items').distinct('group')).sort()).toEqual([0, 1, 2, 3, 4]);
    expect((await db().collection('items').distinct('tags', { group: 0 })).sort()).toEqual(['t0', 't1', 't2']);
    expect(await db().collection('nothing').distinct('x')).toEqual([]);
  });
});

/** The documents of the update tests: three seeded with numeric ids, and what updates and upserts add. */
interface UpdDoc {
  _id: number | ObjectId;
  name?: string;
  qty?: number;
  tags?: string[];
  grades?: { g: number; ok: boolean | string }[];
  /** Set by the pipeline-style update. */
  double?: number;
}

describe('update', () => {
  const coll = () => db().collection<UpdDoc>('upd');
  beforeEach(async () => {
    await coll().deleteMany({});
    await coll().insertMany([
      {
        _id: 1,
        name: 'a',
        qty: 1,
        tags: ['x'],
        grades: [
          { g: 80, ok: false },
          { g: 95, ok: false },
        ],
      },
      { _id: 2, name: 'b', qty: 2, tags: [], grades: [] },
      { _id: 3, name: 'c', qty: 3, tags: ['y'], grades: [{ g: 99, ok: false }] },
    ]);
  });

  it('operators on one document', async () => {
    const res = await coll().updateOne(
      { _id: 1 },
      { $inc: { qty: 5 }, $push: { tags: 'z' }, $set: { 'meta.by': 'me' }, $unset: { name: '' } },
    );
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await coll().findOne({ _id: 1 })).toMatchObject({ qty: 6, tags: ['x', 'z'], meta: { by: 'me' } });
    expect((await coll().findOne({ _id: 1 }))!.name).toBeUndefined();
  });

  it('an update that changes nothing is matched but not modified', async () => {
    const res = await coll().updateOne({ _id: 2 }, { $set: { qty: 2 } });
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('multi updates every match, single only one', async () => {
    expect((await coll().updateMany({ qty: { $gte: 2 } }, { $mul: { qty: 10 } })).modifiedCount).toBe(2);
    expect((await coll().find({}).sort({ _id: 1 }).toArray()).map((d) => d.qty)).toEqual([1, 20, 30]);
    expect((await coll().updateOne({ qty: { $gte: 2 } }, { $set: { hit: true } })).modifiedCount).toBe(1);
    expect(await coll().countDocuments({ hit: true })).toBe(1);
  });

  it('replacement keeps _id; changing _id is refused with ImmutableField', async () => {
    await coll().replaceOne({ _id: 2 }, { name: 'bee' });
    expect(await coll().findOne({ _id: 2 })).toEqual({ _id: 2, name: 'bee' });
    // a replacement carrying another _id, which the driver's types rightly forbid
    const withOtherId: Document = { _id: 99, name: 'x' };
    const err = await rejection(() => coll().replaceOne({ _id: 2 }, withOtherId));
    expect(err.code).toBe(66);
  });

  it('upsert inserts with the query equality fields and reports upsertedId', async () => {
    const res = await coll().updateOne(
      { name: 'new', kind: { $eq: 'k' }, qty: { $gt: 1 } },
      { $set: { extra: true }, $setOnInsert: { born: 1 } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    const doc = await coll().findOne({ _id: res.upsertedId! });
    expect(doc).toMatchObject({ name: 'new', kind: 'k', extra: true, born: 1 });
    expect(doc!.qty).toBeUndefined();
    // a second upsert matches and does not apply $setOnInsert
    const again = await coll().updateOne(
      { name: 'new' },
      { $set: { extra: false }, $setOnInsert: { born: 2 } },
      { upsert: true },
    );
    expect(again).toMatchObject({ matchedCount: 1, upsertedCount: 0 });
    expect(await coll().findOne({ name: 'new' })).toMatchObject({ extra: false, born: 1 });
  });

  it('arrayFilters and the positional $ operator', async () => {
    await coll().updateOne(
      { _id: 1 },
      { $set: { 'grades.$[hi].ok': true } },
      { arrayFilters: [{ 'hi.g': { $gte: 90 } }] },
    );
    expect((await coll().findOne({ _id: 1 }))!.grades).toEqual([
      { g: 80, ok: false },
      { g: 95, ok: true },
    ]);
    await coll().updateOne({ _id: 3, 'grades.g': 99 }, { $set: { 'grades.$.ok': 'pos' } });
    expect((await coll().findOne({ _id: 3 }))!.grades).toEqual([{ g: 99, ok: 'pos' }]);
  });

  it('pipeline-style updates', async () => {
    await coll().updateMany({}, [{ $set: { double: { $multiply: ['$qty', 2] } } }]);
    expect((await coll().find({}).sort({ _id: 1 }).toArray()).map((d) => d.double)).toEqual([2, 4, 6]);
  });

  it('an unknown update operator is refused naming it', async () => {
    const err = await rejection(() => coll().updateOne({ _id: 1 }, { $frob: { a: 1 } }));
    expect(err.code).toBe(9);
    expect(err.message).toContain('$frob');
  });
});

describe('delete and findAndModify', () => {
  const coll = () => db().collection('fam');
  beforeEach(async () => {
    await coll().deleteMany({});
    await coll().insertMany([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'c', v: 3 },
      { k: 'd', v: 4 },
    ]);
  });

  it('deleteOne removes one match, deleteMany all', async () => {
    expect((await coll().deleteOne({ v: { $gt: 1 } })).deletedCount).toBe(1);
    expect(await coll().countDocuments()).toBe(3);
    expect((await coll().deleteMany({ v: { $gt: 1 } })).deletedCount).toBe(2);
    expect((await coll().find().toArray()).map((d) => d.k)).toEqual(['a']);
  });

  it('findOneAndUpdate returns before or after, honours sort and projection', async () => {
    const before = await coll().findOneAndUpdate(
      {},
      { $inc: { v: 100 } },
      { sort: { v: -1 }, projection: { _id: 0, k: 1, v: 1 } },
    );
    expect(before).toEqual({ k: 'd', v: 4 });
    const after = await coll().findOneAndUpdate({ k: 'a' }, { $set: { v: 7 } }, { returnDocument: 'after' });
    expect(after).toMatchObject({ k: 'a', v: 7 });
    expect((await coll().findOne({ k: 'd' }))!.v).toBe(104);
  });

  it('findOneAndUpdate with upsert, findOneAndReplace, findOneAndDelete', async () => {
    const up = await coll().findOneAndUpdate(
      { k: 'z' },
      { $set: { v: 26 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(up.value).toMatchObject({ k: 'z', v: 26 });
    expect(up.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false });
    const rep = await coll().findOneAndReplace({ k: 'b' }, { k: 'B' }, { returnDocument: 'after' });
    expect(rep).toMatchObject({ k: 'B' });
    expect(rep!.v).toBeUndefined();
    const del = await coll().findOneAndDelete({ k: 'c' });
    expect(del).toMatchObject({ k: 'c', v: 3 });
    expect(await coll().countDocuments({ k: 'c' })).toBe(0);
    expect(await coll().findOneAndDelete({ k: 'nope' })).toBeNull();
  });
});

describe('aggregate', () => {
  beforeAll(async () => {
    await db()
      .collection<{ _id: string; name: string }>('authors')
      .insertMany([
        { _id: 'ann', name: 'Ann' },
        { _id: 'bob', name: 'Bob' },
      ]);
    await db()
      .collection('books')
      .insertMany([
        { title: 'A1', author: 'ann', pages: 100, tags: ['x', 'y'] },
        { title: 'A2', author: 'ann', pages: 300, tags: ['y'] },
        { title: 'B1', author: 'bob', pages: 200, tags: [] },
        { title: 'N1', author: 'nobody', pages: 50, tags: ['x'] },
      ]);
  });
  const books = () => db().collection('books');

  it('$match, $group, $sort, $project', async () => {
    const out = await books()
      .aggregate([
        { $match: { pages: { $gte: 100 } } },
        { $group: { _id: '$author', total: { $sum: '$pages' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
        { $project: { _id: 0, author: '$_id', total: 1, n: 1 } },
      ])
      .toArray();
    expect(out).toEqual([
      { total: 400, n: 2, author: 'ann' },
      { total: 200, n: 1, author: 'bob' },
    ]);
  });

  it('$addFields, $unwind, $skip, $limit, $count', async () => {
    const tags = await books()
      .aggregate([
        { $unwind: '$tags' },
        { $addFields: { long: { $gt: ['$pages', 150] } } },
        { $sort: { title: 1, tags: 1 } },
        { $skip: 1 },
        { $limit: 2 },
      ])
      .toArray();
    expect(tags.map((t) => [t.title, t.tags, t.long])).toEqual([
      ['A1', 'y', false],
      ['A2', 'y', true],
    ]);
    expect(
      await books()
        .aggregate([{ $unwind: '$tags' }, { $count: 'n' }])
        .toArray(),
    ).toEqual([{ n: 4 }]);
  });

  it('$lookup across collections', async () => {
    const out = await books()
      .aggregate([
        { $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: 'who' } },
        { $sort: { title: 1 } },
        { $project: { _id: 0, title: 1, who: '$who.name' } },
      ])
      .toArray();
    expect(out).toEqual([
      { title: 'A1', who: ['Ann'] },
      { title: 'A2', who: ['Ann'] },
      { title: 'B1', who: ['Bob'] },
      { title: 'N1', who: [] },
    ]);
  });

  it('$facet', async () => {
    const [out] = await books()
      .aggregate([
        {
          $facet: {
            big: [{ $match: { pages: { $gt: 150 } } }, { $count: 'n' }],
            titles: [{ $sort: { pages: 1 } }, { $limit: 2 }, { $project: { _id: 0, title: 1 } }],
          },
        },
      ])
      .toArray();
    expect(out).toEqual({ big: [{ n: 2 }], titles: [{ title: 'N1' }, { title: 'A1' }] });
  });

  it('large aggregate results page through getMore', async () => {
    await db()
      .collection('many')
      .insertMany(Array.from({ length: 230 }, (_, i) => ({ i })));
    const out = await db()
      .collection('many')
      .aggregate([{ $sort: { i: -1 } }], { batchSize: 50 })
      .toArray();
    expect(out.map((d) => d.i)).toEqual(Array.from({ length: 230 }, (_, i) => 229 - i));
    expect(started.filter((e) => e.commandName === 'getMore')).toHaveLength(4);
  });

  it('a leading $match is not lost and the pipeline is not mutated for the caller', async () => {
    const pipeline = [{ $match: { author: 'ann' } }, { $count: 'n' }];
    expect(await books().aggregate(pipeline).toArray()).toEqual([{ n: 2 }]);
    expect(await books().aggregate(pipeline).toArray()).toEqual([{ n: 2 }]);
  });

  it('$out and $merge are refused naming the stage', async () => {
    for (const stage of [{ $out: 'copy' }, { $merge: { into: 'copy' } }]) {
      const err = await rejection(() => books().aggregate([stage]).toArray());
      expect(err).toHaveProperty('code');
      expect(err.message).toContain(Object.keys(stage)[0]);
    }
    expect(await db().listCollections({ name: 'copy' }).toArray()).toEqual([]);
  });
});

describe('collections and indexes', () => {
  it('create, listCollections, create again (NamespaceExists), drop', async () => {
    await db().createCollection('made', { validator: undefined });
    const names = (await db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('made');
    const err = await rejection(() => db().command({ create: 'made' }));
    expect(err.code).toBe(48);
    const filtered = await db().listCollections({ name: 'made' }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: 'made', type: 'collection' });
    expect(await db().dropCollection('made')).toBe(true);
    expect(await db().listCollections({ name: 'made' }).toArray()).toEqual([]);
    const dropErr = await rejection(() => db().command({ drop: 'made' }));
    expect(dropErr.code).toBe(26);
  });

  it('createIndexes, listIndexes, dropIndexes', async () => {
    const coll = db().collection('ix');
    await coll.insertOne({ a: 1, b: 2 });
    expect(await coll.createIndex({ a: 1 }, { unique: true })).toBe('a_1');
    expect(await coll.createIndex({ a: 1, b: -1 }, { name: 'ab' })).toBe('ab');
    expect(await coll.createIndex({ s: 1 }, { sparse: true })).toBe('s_1');
    expect(await coll.createIndex({ p: 1 }, { partialFilterExpression: { p: { $exists: true } } })).toBe('p_1');
    expect(await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 })).toBe('at_1');
    // the same spec again is a no-op
    expect(await coll.createIndex({ a: 1 }, { unique: true })).toBe('a_1');
    const list = await coll.listIndexes().toArray();
    expect(list.map((i) => i.name)).toEqual(['_id_', 'a_1', 'ab', 's_1', 'p_1', 'at_1']);
    expect(list[0].unique).toBeUndefined();
    expect(list[1]).toMatchObject({ key: { a: 1 }, unique: true });
    expect(list[2]).toMatchObject({ key: { a: 1, b: -1 } });
    expect(list[3]).toMatchObject({ sparse: true });
    expect(list[4]).toMatchObject({ partialFilterExpression: { p: { $exists: true } } });
    expect(list[5]).toMatchObject({ expireAfterSeconds: 3600 });
    await coll.dropIndex('ab');
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).not.toContain('ab');
    const err = await rejection(() => coll.dropIndex('nope'));
    expect(err.code).toBe(27);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    expect((await rejection(() => db().collection('never').listIndexes().toArray())).code).toBe(26);
  });

  it('a unique index cannot be built over existing duplicates', async () => {
    const coll = db().collection('ixdup');
    await coll.insertMany([{ e: 'x' }, { e: 'x' }]);
    const err = await rejection(() => coll.createIndex({ e: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('unsupported index types are refused naming them', async () => {
    const err = await rejection(() => db().collection('ix2').createIndex({ body: 'text' }));
    expect(err.code).toBe(115);
    expect(err.message).toContain('text');
  });

  it('a $text query is refused with an error, not a wrong answer', async () => {
    await db().collection('txt').insertOne({ body: 'hello world' });
    const err = await rejection(() =>
      db()
        .collection('txt')
        .find({ $text: { $search: 'hello' } })
        .toArray(),
    );
    expect(err.message).toMatch(/\$text/);
  });
});

describe('TTL indexes', () => {
  it('documents whose indexed date is older than expireAfterSeconds are removed by the monitor', async () => {
    const ttl = await startStore({ ttlIntervalMs: 50 });
    try {
      const c = ttl.client.db('ttl').collection('sessions');
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
      const now = Date.now();
      await c.insertMany([
        { k: 'old', at: new Date(now - 120_000) },
        { k: 'fresh', at: new Date(now) },
        { k: 'no date', at: 'yesterday' },
        { k: 'old in array', at: [new Date(now), new Date(now - 90_000)] },
      ]);
      for (let i = 0; i < 40 && (await c.countDocuments()) > 2; i++) await sleep(50);
      expect((await c.find().sort({ k: 1 }).toArray()).map((d) => d.k)).toEqual(['fresh', 'no date']);
    } finally {
      await ttl.close();
    }
  });
});
