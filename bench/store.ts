/**
 * Embedded store benchmark (issue 2): through mongoose, against the store running in its own
 * process with journaling on. Prints inserts/s, finds by _id and by a unique field, updateOne/s
 * with p50/p99, and the same indexed find at 10k and 100k documents (flat = no scan).
 * Run: npm run bench:store
 */
import mongoose from 'mongoose';
import { measure, round, startStoreProcess } from './support.ts';

const CONCURRENCY = 32;
const OPS = Number(process.env.BENCH_OPS ?? 20_000);

const schema = new mongoose.Schema({
  email: { type: String, unique: true },
  name: String,
  score: Number,
  tags: [String],
});
const Person = mongoose.model('BenchPerson', schema);

async function fill(count: number, from: number): Promise<void> {
  for (let i = from; i < count; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({
      email: `p${i + k}@bench`,
      name: `P ${i + k}`,
      score: i + k,
      tags: ['a', 'b'],
    }));
    await Person.collection.insertMany(batch, { ordered: false });
  }
}

async function indexedFindAt(size: number, samples: number) {
  return measure(samples, CONCURRENCY, (i) => Person.findOne({ email: `p${(i * 7919) % size}@bench` }).lean());
}

const store = await startStoreProcess();
await mongoose.connect(store.uri, { dbName: 'bench', maxPoolSize: CONCURRENCY });
await Person.init();

const results: Record<string, unknown> = {};
results.insertSequential = await measure(Math.min(OPS, 2_000), 1, (i) =>
  Person.create({ email: `s${i}@bench`, name: 'S', score: i }),
);
results.insertConcurrent = await measure(OPS, CONCURRENCY, (i) =>
  Person.create({ email: `c${i}@bench`, name: 'C', score: i }),
);
await Person.deleteMany({});
await fill(10_000, 0);
const ids = (await Person.find({}, { _id: 1 }).limit(10_000).lean()).map((d) => d._id);
results.findById = await measure(OPS, CONCURRENCY, (i) => Person.findById(ids[i % ids.length]).lean());
results.findByUniqueField = await indexedFindAt(10_000, OPS);
results.updateOne = await measure(OPS, CONCURRENCY, (i) =>
  Person.updateOne({ _id: ids[i % ids.length] }, { $inc: { score: 1 } }),
);
// Transactions (issue 10, item 4): the same update in a transaction, then again while one long
// transaction holds an old snapshot open (every update must keep the version it supersedes), and
// a full read inside that old snapshot versus a plain one.
const txnUpdate = (i: number) =>
  mongoose.connection.transaction((session) =>
    Person.updateOne({ _id: ids[i % ids.length] }, { $inc: { score: 1 } }, { session }).then(() => undefined),
  );
const TXN_OPS = Math.min(OPS, 5_000);
results.txnUpdate = await measure(TXN_OPS, CONCURRENCY, txnUpdate);
const reader = await mongoose.startSession();
reader.startTransaction();
await Person.findById(ids[0]).session(reader).lean();
results.txnUpdateOldSnapshotOpen = await measure(TXN_OPS, CONCURRENCY, txnUpdate);
results.fullReadPlain = await measure(20, 1, () => Person.find({}).lean());
results.fullReadOldSnapshot = await measure(20, 1, () => Person.find({}).session(reader).lean());
await reader.abortTransaction();
await reader.endSession();
const at10k = await indexedFindAt(10_000, 5_000);
await fill(100_000, 10_000);
const at100k = await indexedFindAt(100_000, 5_000);
results.indexedFind10k = at10k;
results.indexedFind100k = at100k;
results.scaling = {
  p50Ratio100kOver10k: round(at100k.p50 / at10k.p50),
  throughputRatio10kOver100k: round(at10k.opsPerSec / at100k.opsPerSec),
};
const rss = Number(
  (await import('node:child_process'))
    .execFileSync('ps', ['-o', 'rss=', '-p', String(store.child.pid)])
    .toString()
    .trim(),
);
results.storeRssMbAt100k = round(rss / 1024, 1);

console.log(
  `Embedded store benchmark — node ${process.version}, mongoose ${mongoose.version}, ${CONCURRENCY} concurrent ops, journal fsynced`,
);
for (const [name, value] of Object.entries(results)) console.log(`${name.padEnd(20)} ${JSON.stringify(value)}`);
await mongoose.disconnect();
await store.stop();
