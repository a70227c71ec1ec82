import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Binary, type Client, Decimal128, Long, MongoClient, ObjectId, dump, rejection } from './helpers.ts';

// The store in a child process with a --dbpath: acknowledged writes survive SIGKILL, compaction
// and a torn journal tail. Each test owns its temp directory.
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'server/src/store/cli.ts');
const fixture = fileURLToPath(new URL('./fixtures/store-child.ts', import.meta.url));
const dirs: string[] = [];
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'crewdeck-store-'));
  dirs.push(d);
  return d;
}

interface Child {
  proc: ChildProcess;
  port: number;
  client: Client;
}

async function connect(port: number): Promise<Client> {
  return new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 5000,
  }).connect();
}

/** `npm run store` as users run it: the port it prints is where it listens (port 0 = any free port). */
async function startCli(dbpath: string): Promise<Child> {
  const proc = spawn(process.execPath, [cli, '--port', '0', '--dbpath', dbpath], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on mongodb:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`store exited (${code}) before listening: ${out}${err}`)));
  });
  expect(port).toBeGreaterThan(0);
  return { proc, port, client: await connect(port) };
}

/** The fixture child, which compacts on request. */
async function startFixture(dbpath: string): Promise<Child & { compact(): Promise<void> }> {
  const proc = fork(fixture, [dbpath], { cwd: root, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.add(proc);
  const [msg] = (await once(proc, 'message')) as [{ port: number }];
  const compact = async () => {
    proc.send({ cmd: 'compact' });
    await once(proc, 'message');
  };
  return { proc, port: msg.port, client: await connect(msg.port), compact };
}

/** SIGKILL right after the last acknowledgement: no clean shutdown, no final compaction. */
async function crash(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  await once(child.proc, 'exit');
  expect(child.proc.signalCode).toBe('SIGKILL');
  await child.client.close(true).catch(() => undefined);
}

async function stop(child: Child): Promise<void> {
  await child.client.close();
  child.proc.kill('SIGTERM');
  const [code] = await once(child.proc, 'exit');
  expect(code).toBe(0);
}

const journalFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('journal-'))
    .sort();
const snapshotFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('snapshot-'))
    .sort();

/** A mix of every kind of durable write, all acknowledged when it resolves. */
async function writeEverything(client: Client, tag: string): Promise<void> {
  const db = client.db('durable');
  const people = db.collection('people');
  await people.createIndex({ email: 1 }, { unique: true });
  await people.createIndex({ team: 1, n: -1 }, { name: 'team_n' });
  await people.createIndex({ gone: 1 });
  await people.insertMany(Array.from({ length: 150 }, (_, n) => ({ n, email: `${tag}${n}@x.io`, team: `t${n % 4}` })));
  // concurrent single inserts share group commits
  await Promise.all(
    Array.from({ length: 30 }, (_, i) => people.insertOne({ n: 1000 + i, email: `${tag}c${i}@x.io`, team: 'conc' })),
  );
  await people.updateMany({ team: 't1' }, { $set: { flagged: true }, $inc: { n: 10_000 } });
  await people.updateOne({ email: `${tag}0@x.io` }, { $push: { notes: 'first' } } as object);
  await people.replaceOne({ email: `${tag}2@x.io` }, { email: `${tag}2@x.io`, replaced: true });
  await people.deleteMany({ team: 't3' });
  await people.findOneAndUpdate({ email: `${tag}4@x.io` }, { $set: { viaFam: true } });
  await people.findOneAndDelete({ email: `${tag}5@x.io` });
  await people.updateOne({ email: `${tag}new@x.io` }, { $set: { upserted: true } }, { upsert: true });
  await people.dropIndex('gone_1');
  await db.collection('types').insertOne({
    _id: new ObjectId(),
    long: Long.fromString('9007199254740993'),
    dec: Decimal128.fromString('12.30'),
    date: new Date(1_700_000_000_000),
    bin: new Binary(Buffer.from([1, 2, 3])),
    nested: { a: [1, { b: null }] },
  });
  await db.createCollection('temporary');
  await db.collection('temporary').insertOne({ x: 1 });
  await db.dropCollection('temporary');
  await client.db('durable_other').collection('x').insertOne({ y: 1 });
  await client.db('durable_other').dropDatabase();
  // a committed transaction across two collections, and an aborted one
  const session = client.startSession();
  try {
    await session.withTransaction(async () => {
      await people.updateOne({ email: `${tag}6@x.io` }, { $set: { txn: 'committed' } }, { session });
      await db.collection('ledger').insertOne({ entry: `${tag}-txn` }, { session });
    });
    session.startTransaction();
    await people.updateOne({ email: `${tag}7@x.io` }, { $set: { txn: 'aborted' } }, { session });
    await db.collection('ledger').insertOne({ entry: 'aborted' }, { session });
    await session.abortTransaction();
  } finally {
    await session.endSession();
  }
}

describe('durability', () => {
  it('every acknowledged write survives SIGKILL; the unique index still enforces after restart', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    await writeEverything(first.client, 'a');
    const before = await dump(first.client);
    await crash(first);

    const second = await startCli(dir);
    expect(await dump(second.client)).toEqual(before);
    const people = second.client.db('durable').collection('people');
    expect(await people.countDocuments({ txn: 'committed' })).toBe(1);
    expect(await people.countDocuments({ txn: 'aborted' })).toBe(0);
    expect(
      await second.client
        .db('durable')
        .collection('ledger')
        .find({}, { projection: { _id: 0 } })
        .toArray(),
    ).toEqual([{ entry: 'a-txn' }]);
    expect((await rejection(() => people.insertOne({ email: 'a1@x.io' }))).code).toBe(11000);
    await stop(second);
  });

  it('a torn journal tail is ignored on restart and cut, so later writes are not lost behind it', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    await first.client
      .db('durable')
      .collection('c')
      .insertMany([{ i: 1 }, { i: 2 }]);
    const before = await dump(first.client);
    await crash(first);

    const [journal] = journalFiles(dir).slice(-1);
    const size = statSync(join(dir, journal)).size;
    // a record header promising more bytes than follow, then random garbage
    const torn = Buffer.alloc(8);
    torn.writeUInt32LE(1000, 0);
    appendFileSync(join(dir, journal), Buffer.concat([torn, Buffer.from('half a record')]));
    const second = await startCli(dir);
    expect(await dump(second.client)).toEqual(before);
    expect(statSync(join(dir, journal)).size).toBe(size);
    await second.client.db('durable').collection('c').insertOne({ i: 3 });
    await crash(second);

    appendFileSync(
      join(dir, journal),
      Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    );
    const third = await startCli(dir);
    expect((await third.client.db('durable').collection('c').find().sort({ i: 1 }).toArray()).map((d) => d.i)).toEqual([
      1, 2, 3,
    ]);
    await stop(third);
  });

  it('after a compaction the data is identical, also when killed right after it and after a clean stop', async () => {
    const dir = tempDir();
    const first = await startFixture(dir);
    await writeEverything(first.client, 'b');
    await first.compact();
    expect(snapshotFiles(dir)).toHaveLength(1);
    expect(journalFiles(dir)).toHaveLength(1);
    expect(statSync(join(dir, journalFiles(dir)[0])).size).toBe(0);
    // writes after the snapshot land in the new journal, including changes to snapshotted documents
    const people = first.client.db('durable').collection('people');
    await people.updateOne({ email: 'b0@x.io' }, { $push: { notes: 'after compaction' } } as object);
    await people.deleteOne({ email: 'b1@x.io' });
    await people.insertOne({ email: 'b-late@x.io' });
    await people.createIndex({ late: 1 }, { sparse: true });
    const before = await dump(first.client);
    await crash(first);

    const second = await startCli(dir);
    expect(await dump(second.client)).toEqual(before);
    await stop(second); // a clean stop compacts again

    expect(snapshotFiles(dir)).toHaveLength(1);
    const third = await startCli(dir);
    expect(await dump(third.client)).toEqual(before);
    expect(
      (await rejection(() => third.client.db('durable').collection('people').insertOne({ email: 'b0@x.io' }))).code,
    ).toBe(11000);
    await stop(third);
  });

  it('leftovers of a compaction that crashed (a .tmp snapshot) are ignored', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    await first.client.db('durable').collection('c').insertOne({ kept: true });
    await crash(first);
    writeFileSync(join(dir, 'snapshot-00000001.bson.tmp'), Buffer.from('not a snapshot'));
    const second = await startCli(dir);
    expect(await second.client.db('durable').collection('c').countDocuments({ kept: true })).toBe(1);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    await stop(second);
  });

  it('one insert of several large documents (over 17 MB together) is journaled and survives SIGKILL', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    const big = 'x'.repeat(4 * 1024 * 1024);
    const res = await first.client
      .db('durable')
      .collection('big')
      .insertMany(Array.from({ length: 5 }, (_, i) => ({ i, big })));
    expect(res.insertedCount).toBe(5);
    await crash(first);
    const second = await startCli(dir);
    const docs = await second.client
      .db('durable')
      .collection('big')
      .find({}, { projection: { i: 1, len: { $strLenCP: '$big' } } })
      .sort({ i: 1 })
      .toArray();
    expect(docs.map((d) => [d.i, d.len])).toEqual([0, 1, 2, 3, 4].map((i) => [i, big.length]));
    await stop(second);
  }, 60_000);

  it('SIGKILL while transactions commit: every acknowledged one is whole, no other is half there', async () => {
    const dir = tempDir();
    const first = await startCli(dir);
    const coll = first.client.db('kill').collection<{ txn: number; part: number }>('parts');
    const PARTS = 20;
    const acknowledged = new Set<number>();
    let stopped = false;
    // Eight writers commit transactions of PARTS documents each until the store dies under them.
    const writer = async (w: number) => {
      for (let n = 0; !stopped; n++) {
        const txn = w * 1_000_000 + n;
        const session = first.client.startSession();
        try {
          session.startTransaction();
          for (let part = 0; part < PARTS; part += 5)
            await coll.insertMany(
              [0, 1, 2, 3, 4].map((k) => ({ txn, part: part + k })),
              { session },
            );
          await session.commitTransaction();
          acknowledged.add(txn);
        } catch {
          return;
        } finally {
          await session.endSession().catch(() => undefined);
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 5));
    first.proc.kill('SIGKILL');
    stopped = true;
    await once(first.proc, 'exit');
    await Promise.all(writers);
    await first.client.close(true).catch(() => undefined);

    const second = await startCli(dir);
    const rows = await second.client.db('kill').collection('parts').find({}).toArray();
    const byTxn = new Map<number, number>();
    for (const row of rows) byTxn.set(row.txn as number, (byTxn.get(row.txn as number) ?? 0) + 1);
    for (const txn of acknowledged) expect(byTxn.get(txn), `acknowledged transaction ${txn}`).toBe(PARTS);
    for (const [txn, count] of byTxn) expect(count, `transaction ${txn} is whole or absent`).toBe(PARTS);
    await stop(second);
  }, 60_000);
});
