import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Decimal128 as StoreDecimal, Long as StoreLong } from 'bson';
import { compileFilter, project } from '../../server/src/store/mingo-adapter.ts';
import { compareValues, sortDocuments } from '../../server/src/store/order.ts';
import { applyUpdate, upsertSeed } from '../../server/src/store/update.ts';
import { decimalArithmetic, valueKey } from '../../server/src/store/values.ts';
import {
  Decimal128,
  Double,
  Int32,
  Long,
  ObjectId,
  type Document,
  type Running,
  type Sort,
  rejection,
  startStore,
} from './helpers.ts';

// One regression test per place where the store corrects mingo (mingo-adapter.ts, update.ts,
// order.ts, values.ts), through the driver where a client can see it, so BSON crosses the wire.
let s: Running;
beforeAll(async () => {
  s = await startStore();
});
afterAll(async () => s.close());

const db = () => s.client.db('adapter');

describe('BSON values in queries (mingo-adapter.ts, order.ts, values.ts)', () => {
  const oid = new ObjectId();
  const coll = () => db().collection('values');
  beforeAll(async () => {
    await coll().insertMany([
      { k: 'int', v: new Int32(5) },
      { k: 'double', v: new Double(5.5) },
      { k: 'bigLong', v: Long.fromString('9007199254740993') },
      { k: 'dec', v: Decimal128.fromString('5.25') },
      { k: 'dec5', v: Decimal128.fromString('5') },
      { k: 'oid', v: oid },
      { k: 'date', v: new Date(1000) },
      { k: 'str', v: '5' },
      { k: 'null', v: null },
      { k: 'bool', v: true },
      { k: 'arr', v: [1, 9] },
      { k: 'obj', v: { a: 1 } },
    ]);
  });
  const keys = async (filter: object, sort?: Sort) =>
    (
      await coll()
        .find(filter, sort ? { sort } : {})
        .toArray()
    ).map((d) => d.k);

  it('int, double, long and decimal are one numeric bracket for equality, $in, $ne and $nin', async () => {
    expect(await keys({ v: 5 })).toEqual(['int', 'dec5']);
    expect(await keys({ v: Decimal128.fromString('5.0') })).toEqual(['int', 'dec5']);
    expect(await keys({ v: 5.25 })).toEqual(['dec']);
    expect(await keys({ v: { $in: [5.25, 'nope', oid] } })).toEqual(['dec', 'oid']);
    expect(await keys({ v: { $ne: 5 } })).not.toContain('dec5');
    expect(await keys({ v: { $nin: [5, 5.5] } })).toEqual([
      'bigLong',
      'dec',
      'oid',
      'date',
      'str',
      'null',
      'bool',
      'arr',
      'obj',
    ]);
  });

  it('range comparisons stay inside the type bracket and compare numbers by value, Long exactly', async () => {
    expect(await keys({ v: { $gt: 5 } })).toEqual(['double', 'bigLong', 'dec', 'arr']);
    expect(await keys({ v: { $lt: Decimal128.fromString('5.3') } })).toEqual(['int', 'dec', 'dec5', 'arr']);
    // 2^53 + 1 as a Long is greater than 2^53 (as a double it would be equal)
    expect(await keys({ v: { $gt: 9007199254740992 } })).toEqual(['bigLong']);
    expect(await keys({ v: { $gte: Long.fromString('9007199254740993') } })).toEqual(['bigLong']);
    expect(await keys({ v: { $gt: '' } })).toEqual(['str']);
    expect(await keys({ v: { $gt: new Date(0) } })).toEqual(['date']);
    expect(await keys({ v: { $gte: new ObjectId('000000000000000000000000') } })).toEqual(['oid']);
  });

  it('$type knows objectId, long, decimal, date, number, by alias and by number', async () => {
    expect(await keys({ v: { $type: 'objectId' } })).toEqual(['oid']);
    expect(await keys({ v: { $type: 7 } })).toEqual(['oid']);
    expect(await keys({ v: { $type: 'long' } })).toEqual(['bigLong']);
    expect(await keys({ v: { $type: 18 } })).toEqual(['bigLong']);
    expect(await keys({ v: { $type: 'decimal' } })).toEqual(['dec', 'dec5']);
    expect(await keys({ v: { $type: 'date' } })).toEqual(['date']);
    expect(await keys({ v: { $type: 'string' } })).toEqual(['str']);
    expect(await keys({ v: { $type: 'number' } })).toEqual(['int', 'double', 'bigLong', 'dec', 'dec5', 'arr']);
    expect(await keys({ v: { $type: ['bool', 'null'] } })).toEqual(['null', 'bool']);
  });

  it('sort across types follows the BSON order (ObjectId before bool and date), arrays by min/max element', async () => {
    expect(await keys({}, { v: 1 })).toEqual([
      'null',
      'arr',
      'int',
      'dec5',
      'dec',
      'double',
      'bigLong',
      'str',
      'obj',
      'oid',
      'bool',
      'date',
    ]);
    expect(await keys({}, { v: -1 })).toEqual([
      'date',
      'bool',
      'oid',
      'obj',
      'str',
      'bigLong',
      'arr',
      'double',
      'dec',
      'int',
      'dec5',
      'null',
    ]);
  });

  it('$expr comparisons follow the BSON order too', async () => {
    expect(await keys({ $expr: { $gt: ['$v', 5] } })).toEqual([
      'double',
      'bigLong',
      'dec',
      'oid',
      'date',
      'str',
      'bool',
      'arr',
      'obj',
    ]);
    expect(await keys({ $expr: { $eq: ['$v', Decimal128.fromString('5')] } })).toEqual(['int', 'dec5']);
    const [cmp] = await coll()
      .aggregate([{ $match: { k: 'bigLong' } }, { $project: { _id: 0, c: { $cmp: ['$v', 9007199254740992] } } }])
      .toArray();
    expect(cmp).toEqual({ c: 1 });
  });

  it('$mod matches numbers only', async () => {
    expect(await keys({ v: { $mod: [2, 1] } })).toEqual(['int', 'dec5', 'arr']);
  });

  it('descending sort of arrays uses the largest element (mingo: the smallest)', async () => {
    const c = db().collection('arrsort');
    await c.insertMany([
      { k: 'a', v: [1, 10] },
      { k: 'b', v: [5, 6] },
      { k: 'c', v: 7 },
    ]);
    expect((await c.find().sort({ v: -1 }).toArray()).map((d) => d.k)).toEqual(['a', 'c', 'b']);
    expect((await c.find().sort({ v: 1 }).toArray()).map((d) => d.k)).toEqual(['a', 'b', 'c']);
    expect((await c.aggregate([{ $sort: { v: -1 } }]).toArray()).map((d) => d.k)).toEqual(['a', 'c', 'b']);
  });

  it('projection keeps document order with _id first (mingo: projection order, _id last)', async () => {
    const c = db().collection('proj');
    await c.insertOne({ a: 1, b: { x: 1, y: 2, z: 3 }, c: 3 });
    const [doc] = await c.find({}, { projection: { c: 1, 'b.z': 1, 'b.x': 1, a: 1 } }).toArray();
    expect(Object.keys(doc)).toEqual(['_id', 'a', 'b', 'c']);
    expect(Object.keys(doc.b)).toEqual(['x', 'z']);
    expect(project([{ _id: 1, p: 1, q: 2 }], { q: 1, extra: { $literal: 0 }, p: 1 }).map(Object.keys)).toEqual([
      ['_id', 'p', 'q', 'extra'],
    ]);
  });

  it('equal numbers of every type share one index key (an index lookup agrees with a scan)', async () => {
    expect(valueKey(5)).toBe(valueKey(StoreLong.fromNumber(5)));
    expect(valueKey(5.25)).toBe(valueKey(StoreDecimal.fromString('5.250')));
    expect(valueKey(StoreLong.fromString('9007199254740993'))).not.toBe(valueKey(9007199254740992));
    const c = db().collection('deckey');
    await c.createIndex({ price: 1 });
    await c.insertMany([{ price: Decimal128.fromString('1.50') }, { price: 1.5 }, { price: 2 }]);
    expect(await c.countDocuments({ price: 1.5 })).toBe(2);
    expect(await c.countDocuments({ price: Decimal128.fromString('1.5') })).toBe(2);
    expect(compareValues(StoreLong.fromString('9007199254740993'), 9007199254740992)).toBe(1);
  });
});

describe('aggregation over BSON numbers (mingo-adapter.ts accumulators)', () => {
  it('$sum, $avg, $min and $max see Long and Decimal128 (mingo skips them)', async () => {
    const c = db().collection('acc');
    await c.insertMany([
      { g: 'dec', v: Decimal128.fromString('0.1') },
      { g: 'dec', v: Decimal128.fromString('0.2') },
      { g: 'dec', v: 1 },
      { g: 'long', v: Long.fromString('9007199254740993') },
      { g: 'long', v: 2 },
      { g: 'plain', v: 1.5 },
      { g: 'plain', v: 2 },
      { g: 'plain', v: 'not a number' },
      { g: 'plain' },
    ]);
    const rows = await c
      .aggregate(
        [
          {
            $group: {
              _id: '$g',
              s: { $sum: '$v' },
              a: { $avg: '$v' },
              lo: { $min: '$v' },
              hi: { $max: '$v' },
              n: { $sum: 1 },
            },
          },
          { $sort: { _id: 1 } },
        ],
        { promoteLongs: false } as object,
      )
      .toArray();
    const byGroup = Object.fromEntries(rows.map((r) => [r._id, r]));
    expect(String(byGroup.dec.s)).toBe('1.3');
    expect(byGroup.dec.s).toBeInstanceOf(Decimal128);
    expect(Number(String(byGroup.dec.a))).toBeCloseTo(1.3 / 3, 12);
    expect(String(byGroup.dec.lo)).toBe('0.1');
    expect(byGroup.dec.hi).toBe(1);
    expect(String(byGroup.long.s)).toBe('9007199254740995');
    expect(String(byGroup.long.hi)).toBe('9007199254740993');
    expect(byGroup.plain).toMatchObject({ s: 3.5, a: 1.75, lo: 1.5, hi: 'not a number', n: 4 });
  });
});

describe('options the store cannot honour are refused, not ignored', () => {
  it('a collation on find, update, delete, aggregate or create answers 115 naming it; simple is fine', async () => {
    const c = db().collection('coll');
    await c.insertMany([{ n: 'Alice' }, { n: 'alice' }]);
    const collation = { locale: 'en', strength: 2 };
    for (const run of [
      () => c.find({ n: 'alice' }, { collation }).toArray(),
      () => c.updateMany({ n: 'alice' }, { $set: { x: 1 } }, { collation }),
      () => c.deleteMany({ n: 'alice' }, { collation }),
      () => c.aggregate([{ $match: { n: 'alice' } }], { collation }).toArray(),
      () => db().createCollection('withCollation', { collation }),
    ]) {
      const err = await rejection(run);
      expect(err.code).toBe(115);
      expect(err.message).toContain('collation');
    }
    expect(await c.countDocuments({})).toBe(2);
    expect(await c.find({ n: 'alice' }, { collation: { locale: 'simple' } }).toArray()).toHaveLength(1);
  });

  it('sort by $natural follows insertion order, both directions', async () => {
    const c = db().collection('natural');
    await c.insertMany([{ k: 'b' }, { k: 'c' }, { k: 'a' }]);
    expect((await c.find().sort({ $natural: -1 }).toArray()).map((d) => d.k)).toEqual(['a', 'c', 'b']);
    expect((await c.find().sort({ $natural: 1 }).toArray()).map((d) => d.k)).toEqual(['b', 'c', 'a']);
  });
});

/** The documents of the update tests: one seeded document with a numeric _id, plus what upserts add. */
interface UpdDoc {
  _id: number;
  s?: string;
  n?: number | Long;
  arr?: number[];
  o?: { x: number; y?: number };
  big?: Long;
  money?: Decimal128;
  tenth?: Decimal128;
  k?: string;
  v?: string;
}

describe('update operators (update.ts)', () => {
  const coll = () => db().collection<UpdDoc>('upd');
  beforeEach(async () => {
    await coll().deleteMany({});
    await coll().insertOne({
      _id: 1,
      s: 'str',
      n: 5,
      arr: [1],
      o: { x: 1 },
      big: Long.fromString('9007199254740993'),
      money: Decimal128.fromString('1.10'),
    });
  });
  const current = () => coll().findOne({ _id: 1 }, { promoteLongs: false });
  // deliberately ill-typed updates (a string $inc, an unknown operator…) go in as plain documents
  const fails = async (update: Document) => rejection(() => coll().updateOne({ _id: 1 }, update));

  it('$inc on a string answers TypeMismatch 14 (mingo: silent no-op)', async () => {
    const err = await fails({ $inc: { s: 1 } });
    expect(err.code).toBe(14);
    expect(err.message).toContain("'s'");
    expect((await fails({ $inc: { n: 'x' } })).code).toBe(14);
    expect((await fails({ $mul: { s: 2 } })).code).toBe(14);
    expect((await current())!.s).toBe('str');
  });

  it('$push / $addToSet on a non-array answer BadValue 2, $pop 14', async () => {
    expect((await fails({ $push: { n: 1 } })).code).toBe(2);
    expect((await fails({ $addToSet: { s: 1 } })).code).toBe(2);
    expect((await fails({ $pop: { s: 1 } })).code).toBe(14);
    expect((await fails({ $pull: { s: 1 } })).code).toBe(2);
    expect((await current())!.n).toBe(5);
  });

  it('$set through a scalar, or by name into an array, answers PathNotViable 28', async () => {
    expect((await fails({ $set: { 's.x': 1 } })).code).toBe(28);
    expect((await fails({ $set: { 'n.deep.er': 1 } })).code).toBe(28);
    expect((await fails({ $set: { 'arr.x': 1 } })).code).toBe(28);
    // an index into the array is fine
    await coll().updateOne({ _id: 1 }, { $set: { 'arr.0': 7, 'o.y': 2 } });
    expect(await current()).toMatchObject({ arr: [7], o: { x: 1, y: 2 } });
  });

  it('conflicting paths answer ConflictingUpdateOperators 40', async () => {
    const err = await fails({ $set: { o: 1 }, $inc: { 'o.x': 1 } });
    expect(err.code).toBe(40);
    expect(err.message).toContain('o.x');
    expect((await fails({ $set: { n: 1 }, $inc: { n: 1 } })).code).toBe(40);
  });

  it('unknown operators answer FailedToParse 9 naming them; _id is immutable (66)', async () => {
    const err = await fails({ $bump: { n: 1 } });
    expect(err.code).toBe(9);
    expect(err.message).toContain('$bump');
    expect((await fails({ $set: { _id: 2 } })).code).toBe(66);
    expect((await fails({ $inc: { _id: 1 } })).code).toBe(66);
    // setting _id to its own value is allowed
    await coll().updateOne({ _id: 1 }, { $set: { _id: 1, n: 6 } });
    expect((await current())!.n).toBe(6);
  });

  it('$inc and $mul on Long stay exact 64-bit integers', async () => {
    await coll().updateOne({ _id: 1 }, { $inc: { big: 1 } });
    expect((await current())!.big?.toString()).toBe('9007199254740994');
    await coll().updateOne({ _id: 1 }, { $mul: { big: 2 } });
    expect((await current())!.big?.toString()).toBe('18014398509481988');
    await coll().updateOne({ _id: 1 }, { $inc: { n: Long.fromString('9007199254740993') } });
    expect((await current())!.n?.toString()).toBe('9007199254740998');
  });

  it('$inc and $mul on Decimal128 are exact decimal arithmetic', async () => {
    await coll().updateOne({ _id: 1 }, { $inc: { money: Decimal128.fromString('0.20') } });
    expect(String((await current())!.money)).toBe('1.30');
    await coll().updateOne({ _id: 1 }, { $mul: { money: 3 } });
    expect(String((await current())!.money)).toBe('3.90');
    await coll().updateOne({ _id: 1 }, { $inc: { tenth: Decimal128.fromString('0.1') } });
    await coll().updateOne({ _id: 1 }, { $inc: { tenth: 0.2 } });
    expect(String((await current())!.tenth)).toBe('0.3');
    expect(decimalArithmetic(StoreDecimal.fromString('0.1'), 0.2, 'add').toString()).toBe('0.3');
  });

  it('$setOnInsert applies on the insert of an upsert only', async () => {
    await coll().updateOne({ k: 'new' }, { $set: { a: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(await coll().findOne({ k: 'new' }, { projection: { _id: 0 } })).toEqual({ k: 'new', a: 1, created: true });
    await coll().updateOne(
      { k: 'new' },
      { $set: { a: 2 }, $setOnInsert: { created: false, other: 1 } },
      { upsert: true },
    );
    expect(await coll().findOne({ k: 'new' }, { projection: { _id: 0 } })).toEqual({ k: 'new', a: 2, created: true });
  });

  it('upserts seed from the query equality fields (nested, $eq, $and) and skip ranges and $in', async () => {
    const res = await coll().updateOne(
      { 'meta.owner': 'ann', kind: { $eq: 'note' }, $and: [{ team: 'red' }], n: { $gt: 3 }, tag: { $in: ['a', 'b'] } },
      { $inc: { hits: 1 } },
      { upsert: true },
    );
    const doc = await coll().findOne({ _id: res.upsertedId! }, { projection: { _id: 0 } });
    expect(doc).toEqual({ meta: { owner: 'ann' }, kind: 'note', team: 'red', hits: 1 });
    expect(upsertSeed({ _id: 7, a: { $in: ['only'] } })).toEqual({ _id: 7, a: 'only' });
  });

  it('a positional $ in an upsert that inserts is refused', async () => {
    const err = await rejection(() => coll().updateOne({ list: 'x' }, { $set: { 'list.$': 'y' } }, { upsert: true }));
    expect(err.code).toBe(2);
    expect(err.message).toContain('positional');
  });

  it('replacement-style upsert keeps the query _id', async () => {
    await coll().replaceOne({ _id: 42 }, { v: 'r' }, { upsert: true });
    expect(await coll().findOne({ _id: 42 })).toEqual({ _id: 42, v: 'r' });
  });

  it('applyUpdate never mutates its input', () => {
    const doc = { _id: 1, a: { b: [1, 2] }, n: 1 };
    const copy = structuredClone(doc);
    const next = applyUpdate(doc, { $push: { 'a.b': 3 }, $inc: { n: 1 } });
    expect(doc).toEqual(copy);
    expect(next).toEqual({ _id: 1, a: { b: [1, 2, 3] }, n: 2 });
  });
});

describe('unsupported things answer MongoDB-shaped errors that name them', () => {
  it('unknown command, $text, $where, geo, unknown query operator, $out, explain', async () => {
    const c = db().collection('unsup');
    await c.insertOne({ body: 'hello', at: [0, 0] });
    const cases: [() => Promise<unknown>, string][] = [
      [() => db().command({ shardCollection: 'x' }), 'shardCollection'],
      [() => c.find({ $text: { $search: 'hello' } }).toArray(), '$text'],
      [() => c.find({ $where: 'this.body == "hello"' }).toArray(), '$where'],
      [() => c.find({ at: { $near: [0, 0] } }).toArray(), '$near'],
      [() => c.find({ body: { $frob: 1 } }).toArray(), '$frob'],
      [() => c.aggregate([{ $out: 'copy' }]).toArray(), '$out'],
      [() => c.aggregate([{ $frobStage: {} }]).toArray(), '$frobStage'],
      [() => c.updateOne({}, [{ $group: { _id: 1 } }]), '$group'],
      [() => c.find({}).explain(), 'explain'],
    ];
    for (const [run, name] of cases) {
      const err = await rejection(run);
      expect(err.code, name).toEqual(expect.any(Number));
      expect(err.message, name).toContain(name);
    }
    expect((await rejection(cases[0][0])).code).toBe(59);
    // and the store still answers
    expect(await c.countDocuments()).toBe(1);
  });
});

describe('direct units', () => {
  it('compileFilter uses the adapter context (BSON-aware $type and numeric equality)', () => {
    expect(compileFilter({ v: { $type: 'decimal' } }).test({ v: StoreDecimal.fromString('1') })).toBe(true);
    expect(compileFilter({ v: 1 }).test({ v: StoreDecimal.fromString('1.0') })).toBe(true);
    expect(compileFilter({ v: { $gt: 1 } }).test({ v: 'a' })).toBe(false);
  });

  it('sortDocuments is stable and puts missing before null-equivalent values', () => {
    const docs = [{ i: 0, v: 2 }, { i: 1 }, { i: 2, v: 1 }, { i: 3, v: 2 }, { i: 4, v: null }];
    expect(sortDocuments(docs, { v: 1 }).map((d) => d.i)).toEqual([1, 4, 2, 0, 3]);
    expect(sortDocuments(docs, { v: -1 }).map((d) => d.i)).toEqual([0, 3, 2, 1, 4]);
  });
});
