import { BSON, type Document } from 'bson';
import { connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, MongoClient, type ObjectId, type Running, rejection, startStore } from './helpers.ts';

// Many clients at once; malformed, oversized and hostile messages close that connection only.
let s: Running;
beforeAll(async () => {
  s = await startStore();
});
afterAll(async () => s.close());

const OP_MSG = 2013;

function header(length: number, opCode: number, requestId = 1): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** A well-formed OP_MSG with one body section. */
function opMsg(command: object, requestId = 1): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), Buffer.from(BSON.serialize(command))]);
  return Buffer.concat([header(16 + body.length, OP_MSG, requestId), body]);
}

interface RawResult {
  closed: boolean;
  replies: Buffer[];
}

/**
 * Sends bytes on a fresh socket; resolves when the server closes it, when a whole reply arrived
 * (if `untilReply`), or after `waitMs` with the connection still open.
 */
async function sendRaw(bytes: Buffer | Buffer[], { waitMs = 1500, untilReply = false } = {}): Promise<RawResult> {
  const socket: Socket = netConnect(s.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies: Buffer[] = [];
  let replied: () => void = () => undefined;
  const gotReply = new Promise<boolean>((resolve) => (replied = () => resolve(false)));
  socket.on('data', (d) => {
    replies.push(d);
    const all = Buffer.concat(replies);
    if (untilReply && all.length >= 4 && all.length >= all.readInt32LE(0)) replied();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  for (const b of Array.isArray(bytes) ? bytes : [bytes]) socket.write(b);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), waitMs)));
  const result = await Promise.race([closed, gotReply, timeout]);
  clearTimeout(timer);
  socket.destroy();
  return { closed: result, replies };
}

function replyDoc(buf: Buffer): Document {
  // header (16) + flags (4) + section kind (1) + document
  return BSON.deserialize(buf.subarray(21));
}

describe('wire protocol details', () => {
  it('a legacy OP_QUERY isMaster on admin.$cmd gets an OP_REPLY', async () => {
    const query = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('admin.$cmd\0'),
      Buffer.alloc(4),
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
      Buffer.from(BSON.serialize({ isMaster: 1, helloOk: true })),
    ]);
    const res = await sendRaw(Buffer.concat([header(16 + query.length, 2004, 9), query]), { untilReply: true });
    const reply = Buffer.concat(res.replies);
    expect(reply.readInt32LE(12)).toBe(1); // OP_REPLY
    expect(reply.readInt32LE(8)).toBe(9);
    expect(reply.readInt32LE(32)).toBe(1); // numberReturned
    expect(BSON.deserialize(reply.subarray(36))).toMatchObject({
      ok: 1,
      ismaster: true,
      helloOk: true,
      maxWireVersion: expect.any(Number),
    });
  });

  it('an OP_MSG with the checksum flag is read without its CRC', async () => {
    const msg = opMsg({ ping: 1, $db: 'admin' }, 11);
    const withCrc = Buffer.concat([msg, Buffer.alloc(4, 0xab)]);
    withCrc.writeInt32LE(withCrc.length, 0);
    withCrc.writeUInt32LE(1, 16); // checksumPresent
    const res = await sendRaw(withCrc, { untilReply: true });
    expect(replyDoc(Buffer.concat(res.replies))).toMatchObject({ ok: 1 });
  });

  it('moreToCome (w: 0) gets no reply, and the write is applied before the next command', async () => {
    const unacked = opMsg({ insert: 'mtc', documents: [{ _id: 'quiet' }], writeConcern: { w: 0 }, $db: 'rob' }, 21);
    unacked.writeUInt32LE(2, 16); // moreToCome
    const res = await sendRaw([unacked, opMsg({ count: 'mtc', query: { _id: 'quiet' }, $db: 'rob' }, 22)], {
      untilReply: true,
    });
    const reply = Buffer.concat(res.replies);
    expect(reply.readInt32LE(8)).toBe(22); // the only reply answers the second message
    expect(reply.length).toBe(reply.readInt32LE(0));
    expect(replyDoc(reply)).toMatchObject({ n: 1, ok: 1 });
  });
});

/** The counter document and the many small ones the concurrent clients write. */
interface ConcDoc {
  _id?: string | ObjectId;
  n?: number;
  who?: number[];
  client?: number;
  i?: number;
}

describe('concurrent clients', () => {
  it('several clients inserting and updating in parallel: every write counts', async () => {
    const clients: Client[] = await Promise.all(
      Array.from({ length: 5 }, () => new MongoClient(s.uri, { maxPoolSize: 4 }).connect()),
    );
    try {
      const coll = (c: Client) => c.db('rob').collection<ConcDoc>('conc');
      await coll(clients[0]).insertOne({ _id: 'counter', n: 0 });
      await Promise.all(
        clients.flatMap((c, ci) =>
          Array.from({ length: 30 }, (_, i) =>
            Promise.all([
              coll(c).insertOne({ client: ci, i }),
              coll(c).updateOne({ _id: 'counter' }, { $inc: { n: 1 }, $push: { who: ci } }),
            ]),
          ),
        ),
      );
      expect(await coll(clients[1]).countDocuments({ client: { $exists: true } })).toBe(150);
      const counter = await coll(clients[2]).findOne({ _id: 'counter' });
      expect(counter!.n).toBe(150);
      expect(counter!.who).toHaveLength(150);
      for (let ci = 0; ci < 5; ci++) expect(await coll(clients[3]).countDocuments({ client: ci })).toBe(30);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('parallel upserts of the same key behind a unique index create one document', async () => {
    const coll = s.client.db('rob').collection('upserts');
    await coll.createIndex({ key: 1 }, { unique: true });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => coll.updateOne({ key: 'k' }, { $inc: { hits: 1 } }, { upsert: true })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await coll.find({ key: 'k' }).toArray()).toEqual([expect.objectContaining({ key: 'k', hits: 20 })]);
  });
});

describe('malformed messages close that connection only', () => {
  const stillServing = async () => {
    expect(await s.client.db('rob').command({ ping: 1 })).toMatchObject({ ok: 1 });
    await s.client.db('rob').collection('alive').insertOne({ at: Date.now() });
    // and a brand-new connection is accepted too
    const fresh = await sendRaw(opMsg({ ping: 1, $db: 'admin' }, 77), { untilReply: true });
    expect(fresh.replies.length).toBeGreaterThan(0);
    expect(replyDoc(Buffer.concat(fresh.replies))).toMatchObject({ ok: 1 });
  };

  it('a well-formed raw OP_MSG gets a reply on the same connection (the harness works)', async () => {
    const res = await sendRaw(opMsg({ ping: 1, $db: 'admin' }, 42), { untilReply: true });
    expect(res.closed).toBe(false);
    const reply = Buffer.concat(res.replies);
    expect(reply.readInt32LE(8)).toBe(42); // responseTo
    expect(replyDoc(reply)).toMatchObject({ ok: 1 });
  });

  const cases: [string, () => Buffer | Buffer[]][] = [
    ['garbage bytes (an HTTP request)', () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['a length header below the header size', () => Buffer.concat([header(8, OP_MSG), Buffer.alloc(8)])],
    ['a negative length header', () => Buffer.concat([header(-5, OP_MSG), Buffer.alloc(20)])],
    [
      'a length header shorter than the message',
      () => {
        const msg = opMsg({ ping: 1, $db: 'admin' });
        msg.writeInt32LE(msg.length - 6, 0);
        return msg;
      },
    ],
    [
      'an unknown opcode',
      () => {
        const body = Buffer.from(BSON.serialize({ ping: 1 }));
        return Buffer.concat([header(16 + body.length, 9999), body]);
      },
    ],
    [
      'truncated BSON (document length beyond the message)',
      () => {
        const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
        doc.writeInt32LE(doc.length + 100, 0);
        const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]);
        return Buffer.concat([header(16 + body.length, OP_MSG), body]);
      },
    ],
    [
      'corrupt BSON inside valid lengths',
      () => {
        const doc = Buffer.from(BSON.serialize({ ping: 1, $db: 'admin' }));
        doc[4] = 0x7f; // not a BSON element type
        const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0]), doc]);
        return Buffer.concat([header(16 + body.length, OP_MSG), body]);
      },
    ],
    [
      'an unknown OP_MSG section kind',
      () => {
        const body = Buffer.concat([Buffer.alloc(4), Buffer.from([7]), Buffer.from(BSON.serialize({ ping: 1 }))]);
        return Buffer.concat([header(16 + body.length, OP_MSG), body]);
      },
    ],
    [
      'an OP_MSG without a body section',
      () => {
        const body = Buffer.alloc(4);
        return Buffer.concat([header(20, OP_MSG), body]);
      },
    ],
    [
      'a kind-1 document sequence with a bad length',
      () => {
        const seq = Buffer.alloc(4);
        seq.writeInt32LE(1_000_000, 0);
        const body = Buffer.concat([
          Buffer.alloc(4),
          Buffer.from([0]),
          Buffer.from(BSON.serialize({ insert: 'x', $db: 'rob' })),
          Buffer.from([1]),
          seq,
          Buffer.from('documents\0'),
        ]);
        return Buffer.concat([header(16 + body.length, OP_MSG), body]);
      },
    ],
    ['a header claiming more than 48 MB', () => Buffer.concat([header(64 * 1024 * 1024, OP_MSG), Buffer.alloc(64)])],
    [
      'a valid message followed by garbage on the same connection',
      () => [
        opMsg({ ping: 1, $db: 'admin' }),
        Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]),
      ],
    ],
  ];

  for (const [name, build] of cases) {
    it(`${name}: closed, others unaffected`, async () => {
      const res = await sendRaw(build());
      expect(res.closed).toBe(true);
      await stillServing();
    });
  }

  it('a command body that is not a known command answers an error and keeps the connection', async () => {
    const res = await sendRaw(opMsg({ $db: 'admin' }), { untilReply: true });
    expect(res.closed).toBe(false);
    expect(replyDoc(Buffer.concat(res.replies))).toMatchObject({ ok: 0, code: 59 });
  });
});

describe('oversized documents', () => {
  it('a document over 16 MB is refused with BSONObjectTooLarge (10334), nothing stored', async () => {
    const coll = s.client.db('rob').collection('huge');
    const err = await rejection(() => coll.insertOne({ s: 'x'.repeat(16 * 1024 * 1024 + 100 * 1024) }));
    expect(err.code).toBe(10334);
    expect(await coll.countDocuments()).toBe(0);
  });

  it('the same, sent raw in a kind-1 sequence, gets a writeErrors reply', async () => {
    const doc = Buffer.from(BSON.serialize({ _id: 1, s: 'y'.repeat(16 * 1024 * 1024 + 64 * 1024) }));
    const seqBody = Buffer.concat([Buffer.from('documents\0'), doc]);
    const seqLen = Buffer.alloc(4);
    seqLen.writeInt32LE(4 + seqBody.length, 0);
    const body = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from([0]),
      Buffer.from(BSON.serialize({ insert: 'huge', $db: 'rob' })),
      Buffer.from([1]),
      seqLen,
      seqBody,
    ]);
    const res = await sendRaw(Buffer.concat([header(16 + body.length, OP_MSG, 5), body]), {
      waitMs: 10_000,
      untilReply: true,
    });
    const reply = replyDoc(Buffer.concat(res.replies));
    expect(reply).toMatchObject({ ok: 1, n: 0 });
    expect(reply.writeErrors[0]).toMatchObject({ index: 0, code: 10334 });
  });

  it('an update that would grow a document past 16 MB is refused (17419) and the document stays readable', async () => {
    const coll = s.client.db('rob').collection<{ _id: number; a: string; b?: string; c?: string }>('grow');
    const nine = 'a'.repeat(9 * 1024 * 1024);
    await coll.insertOne({ _id: 1, a: nine });
    const err = await rejection(() => coll.updateOne({ _id: 1 }, { $set: { b: nine } }));
    expect(err.code).toBe(17419);
    const doc = await coll.findOne({ _id: 1 });
    expect(Object.keys(doc!)).toEqual(['_id', 'a']);
    expect((await rejection(() => coll.findOneAndUpdate({ _id: 1 }, { $set: { c: nine } }))).code).toBe(17419);
  });

  it('an aggregation result too large to encode answers an error, not a dropped connection', async () => {
    const coll = s.client.db('rob').collection('grow');
    const err = await rejection(() => coll.aggregate([{ $project: { x: { $concat: ['$a', '$a'] } } }]).toArray());
    expect(err.code).toBe(10334);
    expect(await s.client.db('rob').command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});
