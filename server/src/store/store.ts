import { Binary, ObjectId, type Document } from 'bson';
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { adminCommands } from './commands/admin.ts';
import { aggregateCommands } from './commands/aggregate.ts';
import { crudCommands } from './commands/crud.ts';
import { ddlCommands } from './commands/ddl.ts';
import { ClusterClock } from './cluster-time.ts';
import { refuseCollation, type CommandContext, type CommandHandler, type MemberInfo } from './context.ts';
import { Cursors } from './cursors.ts';
import { Engine, type JournalOp, type Transaction } from './engine.ts';
import { StoreError, commandNotFound, noSuchTransaction, toStoreError } from './errors.ts';
import { Journal } from './journal.ts';
import { checkReadConcern } from './read-concern.ts';
import { expireDocuments } from './ttl.ts';
import { MAX_MESSAGE_BYTES, encodeOpMsg, encodeOpReply, parseMessage, readHeader, type Request } from './wire.ts';

export interface StoreOptions {
  /** Directory for the journal and snapshots; memory-only when absent. */
  dbpath?: string;
  /** How often TTL indexes are enforced (MongoDB: 60 s). */
  ttlIntervalMs?: number;
}

const TRANSACTION_LIFETIME_MS = 60_000;
/** MongoDB's logicalSessionTimeoutMinutes (hello): a session unused this long is forgotten. */
const SESSION_LIFETIME_MS = 30 * 60_000;
/** Writes the driver retries with the same lsid + txnNumber (retryable writes). */
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);
/** The longest a client may ask an awaitable hello to wait (the driver's heartbeat is 10 s). */
const MAX_AWAIT_MS = 60_000;

/** A session's highest txnNumber and, for a retryable write, its reply (pending while it runs). */
interface SessionTxn {
  txnNumber: number;
  reply?: Promise<Document>;
}

/** The embedded MongoDB wire-compatible store: an Engine behind a TCP server speaking OP_MSG. */
export class Store {
  readonly engine = new Engine();
  readonly cursors = new Cursors();
  private readonly journal: Journal | undefined;
  private readonly transactions = new Map<string, Transaction>();
  /** The last committed txnNumber of each session: a repeated commitTransaction for it answers ok. */
  private readonly committed = new Map<string, string>();
  /** Sessions seen on commands (for $listLocalSessions): session key → lsid and last use. */
  private readonly sessions = new Map<string, { id: unknown; lastUse: Date }>();
  /** Per session: the latest txnNumber and the recorded result of its retryable write. */
  private readonly txnNumbers = new Map<string, SessionTxn>();
  private readonly clusterClock = new ClusterClock();
  /** A restart is a new topology for the driver's monitor (topologyVersion.processId). */
  private readonly processId = new ObjectId();
  private readonly handlers: Record<string, CommandHandler>;
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private timers: NodeJS.Timeout[] = [];
  private connections = 0;
  private readonly options: StoreOptions;

  constructor(options: StoreOptions = {}) {
    this.options = options;
    this.journal = options.dbpath ? new Journal(options.dbpath, () => this.engine.snapshotOps()) : undefined;
    this.handlers = {
      ...adminCommands,
      ...crudCommands,
      ...aggregateCommands,
      ...ddlCommands,
      commitTransaction: (ctx) => this.commitTransaction(ctx),
      abortTransaction: (ctx) => this.abortTransaction(ctx),
      endSessions: (ctx) => this.endSessions(ctx),
    };
  }

  /** Replays the journal (if any) and starts listening; port 0 picks a free port. */
  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    if (this.journal) await this.journal.open((op) => this.engine.apply(op));
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, () => resolve());
    });
    this.timers.push(setInterval(() => this.sweep(), this.options.ttlIntervalMs ?? 60_000).unref());
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.journal?.close();
  }

  /** Writes a snapshot and starts a new journal now (also happens by size and on close). */
  async compact(): Promise<void> {
    await this.journal?.compact();
  }

  private accept(socket: Socket): void {
    const connectionId = ++this.connections;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const length = pending.readInt32LE(0);
        if (length < 16 || length > MAX_MESSAGE_BYTES) return void socket.destroy();
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        // A failure serving one message must never reject the chain (later messages would be
        // dropped) nor become an unhandled rejection (Node would exit): close this connection only.
        chain = chain.then(() => this.serve(socket, message, connectionId)).catch(() => void socket.destroy());
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** One message in, at most one reply out; a malformed message closes only this connection. */
  private async serve(socket: Socket, message: Buffer, connectionId: number): Promise<void> {
    let request: Request;
    try {
      request = parseMessage(message);
    } catch {
      // Framing errors and BSON that does not parse alike: close this connection only.
      socket.destroy();
      return;
    }
    const member = this.member(socket);
    const awaitMs = awaitableHelloMs(request.command);
    if (awaitMs !== undefined) await waitOrClose(socket, awaitMs);
    const reply = await this.execute(request, connectionId, member);
    if (request.moreToCome || socket.destroyed) return;
    const stream = awaitMs !== undefined && request.exhaustAllowed === true;
    let out = encodeReply(reply, readHeader(message).requestId, request.legacy, stream);
    socket.write(out);
    // Exhaust (streaming) hello: the monitor sends one request and reads a reply every
    // maxAwaitTimeMS, each answering the previous reply, until it closes the connection.
    while (stream && awaitMs !== undefined && !socket.destroyed) {
      await waitOrClose(socket, awaitMs);
      if (socket.destroyed) return;
      const next = await this.execute(request, connectionId, member);
      out = encodeReply(next, out.readInt32LE(4), false, true);
      socket.write(out);
    }
  }

  /** This member as the client on `socket` reached it. */
  private member(socket: Socket): MemberInfo {
    const host = socket.localAddress ?? '127.0.0.1';
    const address = `${host.includes(':') ? `[${host}]` : host}:${socket.localPort ?? 0}`;
    return { address, processId: this.processId, lastWrite: () => this.clusterClock.current() };
  }

  /** Runs a command and returns its reply; durable writes are fsynced before it resolves. */
  async execute(
    request: Pick<Request, 'command' | 'fullCollectionName'>,
    connectionId = 0,
    member?: MemberInfo,
  ): Promise<Document> {
    const retry = this.retryableWrite(request.command);
    if (!retry) return this.withClusterTime(await this.executeOnce(request, connectionId, member));
    // A retryable write: the same lsid + txnNumber again (the reply was lost) answers the first
    // result instead of applying the write twice; a retry racing the first attempt waits for it.
    const known = this.txnNumbers.get(retry.session);
    if (known && known.txnNumber > retry.txnNumber) return this.withClusterTime(transactionTooOld(retry, known));
    if (known?.txnNumber === retry.txnNumber && known.reply) return this.withClusterTime({ ...(await known.reply) });
    const record: SessionTxn = { txnNumber: retry.txnNumber };
    record.reply = this.executeOnce(request, connectionId, member);
    this.txnNumbers.set(retry.session, record);
    const reply = await record.reply;
    // A failed command applied nothing: a retry must run it again.
    if (reply.ok !== 1 && this.txnNumbers.get(retry.session) === record) record.reply = undefined;
    return this.withClusterTime({ ...reply });
  }

  private async executeOnce(
    request: Pick<Request, 'command' | 'fullCollectionName'>,
    connectionId: number,
    member: MemberInfo | undefined,
  ): Promise<Document> {
    const cmd = request.command;
    const name = Object.keys(cmd)[0] ?? '';
    const db = typeof cmd.$db === 'string' ? cmd.$db : (request.fullCollectionName ?? 'admin.$cmd').split('.')[0];
    const ctx: CommandContext = {
      engine: this.engine,
      cursors: this.cursors,
      db,
      cmd,
      ops: [],
      connectionId,
      sessions: () => this.localSessions(),
      member,
    };
    let reply: Document;
    try {
      const handler = this.handlers[name];
      if (!handler) throw commandNotFound(name);
      this.touchSession(cmd);
      refuseCollation(cmd);
      ctx.txn = this.transactionFor(cmd);
      checkReadConcern(cmd, ctx.txn !== undefined);
      reply = await handler(ctx);
      addWriteConcernError(cmd, reply);
    } catch (err) {
      reply = errorReply(err);
      if (ctx.txn) this.dropTransaction(ctx.txn);
    }
    if (ctx.ops.length > 0) this.clusterClock.tick();
    try {
      await this.persist(ctx.ops);
    } catch (err) {
      // Applied in memory but not durable: the client must not take it as acknowledged.
      return new StoreError(
        1,
        'InternalError',
        `journal write failed: ${err instanceof Error ? err.message : String(err)}`,
      ).toReply();
    }
    return reply;
  }

  /** Every reply carries the cluster time, as a replica set member's do. */
  private withClusterTime(reply: Document): Document {
    const time = this.clusterClock.current();
    reply.$clusterTime = this.clusterClock.gossip(time);
    reply.operationTime = time;
    return reply;
  }

  /** The session and txnNumber of a retryable write (a write outside a transaction with a txnNumber). */
  private retryableWrite(cmd: Document): { session: string; txnNumber: number } | undefined {
    const lsid = cmd.lsid as Document | undefined;
    const name = Object.keys(cmd)[0] ?? '';
    if (!lsid || cmd.txnNumber === undefined || cmd.autocommit !== undefined || !RETRYABLE_WRITES.has(name))
      return undefined;
    return { session: sessionKey(lsid.id), txnNumber: Number(cmd.txnNumber) };
  }

  private async persist(ops: JournalOp[]): Promise<void> {
    if (this.journal && ops.length) await this.journal.append(ops);
  }

  private transactionKey(cmd: Document): string | undefined {
    const lsid = cmd.lsid as Document | undefined;
    if (!lsid || cmd.txnNumber === undefined || cmd.autocommit !== false) return undefined;
    return `${sessionKey(lsid.id)}:${String(cmd.txnNumber)}`;
  }

  private transactionFor(cmd: Document): Transaction | undefined {
    const name = Object.keys(cmd)[0];
    if (name === 'commitTransaction' || name === 'abortTransaction') return undefined;
    const key = this.transactionKey(cmd);
    if (!key) return undefined;
    if (cmd.startTransaction === true) {
      const session = key.slice(0, key.lastIndexOf(':'));
      const txnNumber = Number(cmd.txnNumber);
      const known = this.txnNumbers.get(session);
      if (known && known.txnNumber > txnNumber) throw transactionTooOldError(txnNumber, known.txnNumber);
      this.txnNumbers.set(session, { txnNumber });
      const txn = this.engine.beginTransaction(key);
      this.transactions.set(key, txn);
      return txn;
    }
    const txn = this.transactions.get(key);
    if (!txn) throw noSuchTransaction(String(cmd.txnNumber));
    txn.lastUsed = Date.now();
    return txn;
  }

  private dropTransaction(txn: Transaction): void {
    this.engine.release(txn);
    this.transactions.delete(txn.key);
  }

  /** Whether this session's last committed transaction is the one the command names. */
  private alreadyCommitted(cmd: Document): boolean {
    const lsid = cmd.lsid as Document | undefined;
    return lsid !== undefined && this.committed.get(sessionKey(lsid.id)) === String(cmd.txnNumber);
  }

  private commitTransaction(ctx: CommandContext): Document {
    const key = this.transactionKey(ctx.cmd);
    const txn = key ? this.transactions.get(key) : undefined;
    if (!txn) {
      // commitTransaction is retryable: committing the same transaction again answers ok, as in MongoDB.
      if (this.alreadyCommitted(ctx.cmd)) return { ok: 1 };
      throw noSuchTransaction(String(ctx.cmd.txnNumber));
    }
    this.transactions.delete(txn.key);
    this.engine.commit(txn, ctx.ops);
    this.committed.set(txn.key.slice(0, txn.key.lastIndexOf(':')), String(ctx.cmd.txnNumber));
    return { ok: 1 };
  }

  private abortTransaction(ctx: CommandContext): Document {
    const key = this.transactionKey(ctx.cmd);
    const txn = key ? this.transactions.get(key) : undefined;
    if (!txn && this.alreadyCommitted(ctx.cmd))
      throw new StoreError(
        256,
        'TransactionCommitted',
        `Transaction with { txnNumber: ${String(ctx.cmd.txnNumber)} } has been committed.`,
      );
    if (!txn) throw noSuchTransaction(String(ctx.cmd.txnNumber));
    this.dropTransaction(txn);
    return { ok: 1 };
  }

  /** Ending a session aborts its open transaction, which would otherwise hold its locks until the sweep. */
  private endSessions(ctx: CommandContext): Document {
    const ids = Array.isArray(ctx.cmd.endSessions) ? (ctx.cmd.endSessions as Document[]) : [];
    const ended = new Set(ids.map((lsid) => sessionKey(lsid?.id)));
    for (const key of ended) this.forgetSession(key);
    for (const txn of this.transactions.values())
      if (ended.has(txn.key.slice(0, txn.key.lastIndexOf(':')))) this.dropTransaction(txn);
    return { ok: 1 };
  }

  private forgetSession(key: string): void {
    this.committed.delete(key);
    this.sessions.delete(key);
    this.txnNumbers.delete(key);
  }

  private touchSession(cmd: Document): void {
    const lsid = cmd.lsid as Document | undefined;
    if (!lsid || lsid.id === undefined || Object.keys(cmd)[0] === 'endSessions') return;
    this.sessions.set(sessionKey(lsid.id), { id: lsid.id, lastUse: new Date() });
  }

  /** The sessions this store knows, shaped as MongoDB's $listLocalSessions documents. */
  private localSessions(): Document[] {
    return [...this.sessions.values()].map(({ id, lastUse }) => ({ _id: { id, uid: ANONYMOUS_UID }, lastUse }));
  }

  private sweep(): void {
    const now = Date.now();
    this.cursors.sweep(now);
    for (const txn of this.transactions.values())
      if (now - txn.lastUsed > TRANSACTION_LIFETIME_MS) this.dropTransaction(txn);
    for (const [key, session] of this.sessions)
      if (now - session.lastUse.getTime() > SESSION_LIFETIME_MS) this.forgetSession(key);
    const ops: JournalOp[] = [];
    expireDocuments(this.engine, new Date(now), ops);
    void this.persist(ops);
  }
}

function transactionTooOldError(txnNumber: number, newer: number): StoreError {
  return new StoreError(
    225,
    'TransactionTooOld',
    `Cannot start transaction ${txnNumber} on session because a newer transaction ${newer} has already started.`,
  );
}

function transactionTooOld(retry: { txnNumber: number }, known: SessionTxn): Document {
  return transactionTooOldError(retry.txnNumber, known.txnNumber).toReply();
}

/** The wait an awaitable hello asks for (it names the topologyVersion it knows), else undefined. */
function awaitableHelloMs(cmd: Document): number | undefined {
  const name = Object.keys(cmd)[0];
  if ((name !== 'hello' && name !== 'isMaster' && name !== 'ismaster') || !cmd.topologyVersion) return undefined;
  const ms = Number(cmd.maxAwaitTimeMS);
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_AWAIT_MS) : undefined;
}

/** Resolves after `ms`, or as soon as the socket closes (so a stopping store does not wait). */
function waitOrClose(socket: Socket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    const done = () => {
      clearTimeout(timer);
      socket.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once('close', done);
  });
}

function encodeReply(reply: Document, responseTo: number, legacy: boolean, moreToCome: boolean): Buffer {
  const encode = (doc: Document) =>
    legacy ? encodeOpReply(doc, responseTo) : encodeOpMsg(doc, responseTo, moreToCome);
  try {
    return encode(reply);
  } catch (err) {
    // e.g. an aggregation result over the BSON size limit: an error reply, not a dropped connection
    return encode(
      new StoreError(
        10334,
        'BSONObjectTooLarge',
        `reply could not be encoded: ${err instanceof Error ? err.message : String(err)}`,
      ).toReply(),
    );
  }
}

/** MongoDB's uid of a session without authentication: SHA-256 of the empty user name. */
const ANONYMOUS_UID = new Binary(createHash('sha256').update('').digest(), 0);

/**
 * A single member cannot satisfy a numeric `w` above 1: the write applies, and the reply carries
 * the writeConcernError MongoDB answers (UnsatisfiableWriteConcern, 100).
 */
function addWriteConcernError(cmd: Document, reply: Document): void {
  const wc = cmd.writeConcern as Document | undefined;
  const w = wc && typeof wc === 'object' ? wc.w : undefined;
  const n = typeof w === 'number' ? w : w !== null && typeof w === 'object' ? Number(w) : NaN;
  if (reply.ok !== 1 || !(n > 1)) return;
  reply.writeConcernError = {
    code: 100,
    codeName: 'UnsatisfiableWriteConcern',
    errmsg: 'Not enough data-bearing nodes',
    errInfo: { writeConcern: { w: n, wtimeout: 0, provenance: 'clientSupplied' } },
  };
}

function sessionKey(id: unknown): string {
  // Duck-typed: an lsid handed to execute() directly may come from another copy of the bson package.
  const bytes = id !== null && typeof id === 'object' ? (id as { buffer?: unknown }).buffer : undefined;
  return bytes instanceof Uint8Array ? Buffer.from(bytes).toString('hex') : String(id);
}

function errorReply(err: unknown): Document {
  return toStoreError(err).toReply();
}
