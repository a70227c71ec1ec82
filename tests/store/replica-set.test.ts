import { createServer, type Server, type Socket } from 'node:net';
import { BSON } from 'bson';
import { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  type CommandStarted,
  type Document,
  type Running,
  Binary,
  MongoClient,
  mongooseConnection,
  rejection,
  startStore,
} from './helpers.ts';

// Issue 10, item 2: the embedded store presents itself as a replica set of one member, so the
// driver behaves as it does in production (retryable writes, causal consistency, cluster time).
let s: Running;

beforeAll(async () => {
  s = await startStore();
});
afterAll(async () => {
  await s.close();
});

/** A client without directConnection: it discovers the topology from hello, as against MongoDB. */
async function discoveringClient(port: number, events?: CommandStarted[]): Promise<Client> {
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, {
    serverSelectionTimeoutMS: 5000,
    monitorCommands: events !== undefined,
  });
  if (events) client.on('commandStarted', (e) => events.push(e));
  return client.connect();
}

describe('hello and topology', () => {
  it('a discovering driver sees a replica set with a primary and writes through it', async () => {
    const events: CommandStarted[] = [];
    const client = new MongoClient(`mongodb://127.0.0.1:${s.port}/`, {
      serverSelectionTimeoutMS: 5000,
      monitorCommands: true,
    });
    let description: { type: string; setName: string | null } | undefined;
    client.on('topologyDescriptionChanged', (e) => (description = e.newDescription));
    client.on('commandStarted', (e) => events.push(e));
    await client.connect();
    try {
      await client.db('rs').collection('t').insertOne({ a: 1 });
      expect(description?.type).toBe('ReplicaSetWithPrimary');
      expect(description?.setName).toBe('crewdeck');
      // Retryable writes are on by default for a replica set: the insert carried a txnNumber.
      const insert = events.find((e) => e.commandName === 'insert');
      expect(insert?.command.txnNumber).toBeDefined();
      expect(insert?.command.lsid).toBeDefined();
    } finally {
      await client.close();
    }
  });

  it('every reply carries $clusterTime and operationTime, and a write advances them', async () => {
    const before = await s.client.db('rs').command({ ping: 1 });
    expect(before.$clusterTime.clusterTime._bsontype).toBe('Timestamp');
    expect(before.operationTime._bsontype).toBe('Timestamp');
    await s.client.db('rs').collection('t').insertOne({ a: 2 });
    const after = await s.client.db('rs').command({ ping: 1 });
    expect(after.operationTime.greaterThan(before.operationTime)).toBe(true);
  });

  it('a causally consistent session sends afterClusterTime and reads its own write', async () => {
    const events: CommandStarted[] = [];
    const client = await discoveringClient(s.port, events);
    try {
      const session = client.startSession({ causalConsistency: true });
      const coll = client.db('rs').collection('causal');
      await coll.insertOne({ k: 'mine' }, { session });
      expect(await coll.findOne({ k: 'mine' }, { session })).toMatchObject({ k: 'mine' });
      const find = events.filter((e) => e.commandName === 'find').at(-1);
      expect(find?.command.readConcern?.afterClusterTime?._bsontype).toBe('Timestamp');
      await session.endSession();
    } finally {
      await client.close();
    }
  });

  it('an awaitable hello waits maxAwaitTimeMS and then answers (streaming monitor)', async () => {
    const hello = await s.client.db('admin').command({ hello: 1 });
    const started = Date.now();
    const reply = await s.store.execute({ command: { hello: 1, $db: 'admin' } });
    expect(reply.setName).toBe('crewdeck');
    expect(Date.now() - started).toBeLessThan(500);
    // Over a socket (execute is the command layer): the driver's monitor does exactly this.
    const waited = await rawRequest(s.port, {
      hello: 1,
      topologyVersion: hello.topologyVersion,
      maxAwaitTimeMS: 300,
      $db: 'admin',
    });
    expect(waited.elapsed).toBeGreaterThanOrEqual(250);
    expect(waited.reply.isWritablePrimary).toBe(true);
  });

  it('replSetGetStatus (rs.status()) reports one healthy primary', async () => {
    const status = await s.client.db('admin').command({ replSetGetStatus: 1 });
    expect(status).toMatchObject({ ok: 1, set: 'crewdeck', myState: 1 });
    expect(status.members).toHaveLength(1);
    expect(status.members[0]).toMatchObject({ stateStr: 'PRIMARY', self: true });
  });
});

describe('read concerns', () => {
  const coll = () => s.client.db('rc').collection('t');

  it('local, majority, linearizable and snapshot reads are accepted where MongoDB accepts them', async () => {
    await coll().insertOne({ a: 1 });
    for (const level of ['local', 'majority', 'linearizable', 'snapshot'] as const)
      expect(await coll().find({ a: 1 }, { readConcern: { level } }).toArray()).toHaveLength(1);
    for (const level of ['local', 'majority', 'snapshot'] as const) {
      const session = s.client.startSession();
      try {
        const found = await session.withTransaction(() => coll().findOne({ a: 1 }, { session }), {
          readConcern: { level },
        });
        expect(found).toMatchObject({ a: 1 });
      } finally {
        await session.endSession();
      }
    }
  });

  it('refuses what MongoDB refuses, naming it', async () => {
    const db = s.client.db('rc');
    const bad = await rejection(() => db.command({ find: 't', readConcern: { level: 'bogus' } }));
    expect(bad.code).toBe(2);
    expect(bad.message).toContain("'bogus'");
    const count = await rejection(() => db.command({ count: 't', readConcern: { level: 'snapshot' } }));
    expect(count.code).toBe(72);
    const at = await rejection(() =>
      db.command({ find: 't', readConcern: { level: 'snapshot', atClusterTime: new BSON.Timestamp({ t: 1, i: 1 }) } }),
    );
    expect(at.message).toContain('atClusterTime');
    const unknown = await rejection(() => db.command({ find: 't', readConcern: { level: 'local', nope: 1 } }));
    expect(unknown.code).toBe(40415);
    // In a transaction: only the first statement may carry a read concern, and only three levels.
    const session = s.client.startSession();
    try {
      session.startTransaction({ readConcern: { level: 'available' } });
      const level = await rejection(() => coll().findOne({}, { session }));
      expect(level.code).toBe(72);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    const lsid = { id: new Binary(Buffer.alloc(16, 7), 4) };
    await s.store.execute({
      command: { find: 't', $db: 'rc', lsid, txnNumber: 1, autocommit: false, startTransaction: true },
    });
    const second = await s.store.execute({
      command: { find: 't', $db: 'rc', lsid, txnNumber: 1, autocommit: false, readConcern: { level: 'local' } },
    });
    expect(second).toMatchObject({ ok: 0, code: 72 });
  });
});

describe('retryable writes', () => {
  const lsid = () => ({ id: new Binary(Buffer.from(crypto.getRandomValues(new Uint8Array(16))), 4) });

  it('the same lsid and txnNumber again answers the first result and applies nothing twice', async () => {
    const session = lsid();
    const insert = { insert: 'retry', $db: 'rw', documents: [{ _id: 'once' }], lsid: session, txnNumber: 1 };
    const first = await s.store.execute({ command: insert });
    const again = await s.store.execute({ command: { ...insert, documents: [{ _id: 'once' }] } });
    expect(first).toMatchObject({ ok: 1, n: 1 });
    expect(again).toMatchObject({ ok: 1, n: 1 });
    expect(again.writeErrors).toBeUndefined();
    const inc = { findAndModify: 'retry', $db: 'rw', query: { _id: 'once' }, update: { $inc: { n: 1 } }, new: true };
    const a = await s.store.execute({ command: { ...inc, lsid: session, txnNumber: 2 } });
    const b = await s.store.execute({ command: { ...inc, lsid: session, txnNumber: 2 } });
    expect(a.value).toEqual({ _id: 'once', n: 1 });
    expect(b.value).toEqual({ _id: 'once', n: 1 });
    expect(
      await s.client
        .db('rw')
        .collection('retry')
        .findOne({ _id: 'once' as never }),
    ).toEqual({ _id: 'once', n: 1 });
    // An older txnNumber on the session is refused (TransactionTooOld).
    const old = await s.store.execute({ command: { ...inc, lsid: session, txnNumber: 1 } });
    expect(old).toMatchObject({ ok: 0, code: 225 });
    // Concurrent: a retry racing the first attempt waits for it instead of running again.
    const racing = { update: 'retry', $db: 'rw', updates: [{ q: { _id: 'once' }, u: { $inc: { n: 1 } } }] };
    const [x, y] = await Promise.all([
      s.store.execute({ command: { ...racing, lsid: session, txnNumber: 3 } }),
      s.store.execute({ command: { ...racing, lsid: session, txnNumber: 3 } }),
    ]);
    expect([x.nModified, y.nModified]).toEqual([1, 1]);
    expect(
      await s.client
        .db('rw')
        .collection('retry')
        .findOne({ _id: 'once' as never }),
    ).toEqual({ _id: 'once', n: 2 });
  });

  it('through a proxy that drops the first reply, the driver retries and each write lands once', async () => {
    const proxy = await dropOneReply(s.port, ['insert', 'findAndModify', 'update']);
    const client = await proxyClient(proxy.port);
    try {
      const coll = client.db('rw').collection<{ _id: string; n?: number }>('proxied');
      proxy.arm('insert');
      await coll.insertOne({ _id: 'p1' });
      expect(proxy.dropped).toEqual(['insert']);
      proxy.arm('findAndModify');
      const updated = await coll.findOneAndUpdate({ _id: 'p1' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
      expect(updated).toEqual({ _id: 'p1', n: 1 });
      proxy.arm('update');
      await coll.updateOne({ _id: 'p1' }, { $inc: { n: 10 } });
      expect(proxy.dropped).toEqual(['insert', 'findAndModify', 'update']);
      expect(await s.client.db('rw').collection('proxied').find({}).toArray()).toEqual([{ _id: 'p1', n: 11 }]);
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('through mongoose too: a create and a transaction whose commit reply is lost apply once', async () => {
    const proxy = await dropOneReply(s.port, ['insert', 'commitTransaction']);
    const conn = await mongooseConnection(`mongodb://127.0.0.1:${proxy.port}/?directConnection=true`, 'rw_m');
    try {
      const Counter = conn.model('Counter', new Schema({ _id: String, n: Number }));
      proxy.arm('insert');
      await Counter.create({ _id: 'c', n: 0 });
      proxy.arm('commitTransaction');
      let runs = 0;
      await conn.transaction(async (session) => {
        runs++;
        await Counter.updateOne({ _id: 'c' }, { $inc: { n: 1 } }, { session });
      });
      expect(proxy.dropped).toEqual(['insert', 'commitTransaction']);
      expect(runs).toBe(1);
      expect(await s.client.db('rw_m').collection('counters').find({}).toArray()).toEqual([{ _id: 'c', n: 1, __v: 0 }]);
    } finally {
      await conn.close();
      await proxy.close();
    }
  });
});

describe('change streams', () => {
  it('stay unsupported with an error that names them (driver and mongoose)', async () => {
    const stream = s.client.db('cs').collection('t').watch();
    const err = await rejection(() => stream.tryNext());
    expect(err.message).toMatch(/change streams/i);
    await stream.close();
    const conn = await mongooseConnection(s.uri, 'cs_m');
    try {
      const Thing = conn.model('Thing', new Schema({ a: Number }));
      await Thing.init();
      const watched = Thing.watch();
      const error = await new Promise<Error>((resolve) => watched.on('error', resolve));
      expect(error.message).toMatch(/change streams/i);
      await watched.close();
    } finally {
      await conn.close();
    }
  });
});

/**
 * Through the proxy the client must connect directly: hello names the store's own address as the
 * set's host, so a discovering client would switch to it and bypass the proxy.
 */
async function proxyClient(port: number): Promise<Client> {
  return new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 5000,
  }).connect();
}

/** One OP_MSG request over a raw socket; resolves with its reply and how long it took. */
async function rawRequest(port: number, command: Document): Promise<{ reply: Document; elapsed: number }> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = Buffer.from(BSON.serialize(command));
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  header[20] = 0;
  const started = Date.now();
  socket.write(Buffer.concat([header, body]));
  const chunks: Buffer[] = [];
  const reply = await new Promise<Document>((resolve) => {
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= all.readInt32LE(0)) resolve(BSON.deserialize(all.subarray(21)));
    });
  });
  socket.destroy();
  return { reply, elapsed: Date.now() - started };
}

interface DroppingProxy {
  port: number;
  /** The commands whose replies were dropped so far, in order. */
  dropped: string[];
  /** Drop the reply to the next request of this command (then close that client connection). */
  arm(command: string): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the store that forwards everything but, once armed, swallows the reply
 * to the next request naming that command and closes the client's connection, as a network
 * failure after the server applied the write would. The driver then retries on a new connection.
 */
async function dropOneReply(target: number, watched: string[]): Promise<DroppingProxy> {
  const { connect } = await import('node:net');
  const sockets = new Set<Socket>();
  let armed: string | undefined;
  const dropped: string[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    const doomed = new Map<number, string>();
    let fromClient = Buffer.alloc(0);
    client.on('data', (chunk) => {
      fromClient = Buffer.concat([fromClient, chunk]);
      while (fromClient.length >= 4 && fromClient.length >= fromClient.readInt32LE(0)) {
        const message = fromClient.subarray(0, fromClient.readInt32LE(0));
        fromClient = fromClient.subarray(message.length);
        const name = commandName(message);
        if (armed && name === armed && watched.includes(name)) {
          doomed.set(message.readInt32LE(4), name);
          armed = undefined;
        }
        upstream.write(message);
      }
    });
    let fromServer = Buffer.alloc(0);
    upstream.on('data', (chunk) => {
      fromServer = Buffer.concat([fromServer, chunk]);
      while (fromServer.length >= 4 && fromServer.length >= fromServer.readInt32LE(0)) {
        const message = fromServer.subarray(0, fromServer.readInt32LE(0));
        fromServer = fromServer.subarray(message.length);
        const name = doomed.get(message.readInt32LE(8));
        if (name) {
          dropped.push(name);
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(message);
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    dropped,
    arm: (command) => void (armed = command),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The command name of an OP_MSG request (its body's first field), or '' for anything else. */
function commandName(message: Buffer): string {
  if (message.readInt32LE(12) !== 2013 || message[20] !== 0) return '';
  const size = message.readInt32LE(21);
  const doc = BSON.deserialize(message.subarray(21, 21 + size));
  return Object.keys(doc)[0] ?? '';
}
