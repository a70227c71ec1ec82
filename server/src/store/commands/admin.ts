import { Long, ObjectId, Timestamp } from 'bson';
import type { CommandHandler } from '../context.ts';
import { MAX_MESSAGE_BYTES } from '../wire.ts';

export const STORE_VERSION = '7.0.0';

/** The replica set the embedded store presents itself as (a set of one member). */
export const REPLICA_SET_NAME = 'crewdeck';
/** Constant: this member has always been primary, in term 1. */
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/**
 * A replica set of one: what production needs (transactions are allowed only on a replica set),
 * so the driver behaves as it does there: retryable writes, causal consistency, `$clusterTime`.
 * `topologyVersion` makes the driver's monitor use awaitable (streaming) hello; Store.serve holds
 * such a request for `maxAwaitTimeMS` since this topology never changes.
 */
const hello: CommandHandler = (ctx) => {
  const member = ctx.member;
  const address = member?.address ?? '127.0.0.1:27017';
  const lastWrite = member?.lastWrite() ?? new Timestamp({ t: 0, i: 0 });
  const now = new Date();
  const opTime = { ts: lastWrite, t: Long.fromNumber(1) };
  return {
    topologyVersion: { processId: member?.processId ?? new ObjectId(), counter: Long.fromNumber(0) },
    hosts: [address],
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    isWritablePrimary: true,
    ...(ctx.cmd.isMaster || ctx.cmd.ismaster ? { ismaster: true } : {}),
    secondary: false,
    primary: address,
    me: address,
    electionId: ELECTION_ID,
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    helloOk: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
};

/** `replSetGetStatus`, as mongosh's `rs.status()` asks it: one healthy primary. */
const replSetGetStatus: CommandHandler = (ctx) => {
  const lastWrite = ctx.member?.lastWrite() ?? new Timestamp({ t: 0, i: 0 });
  const opTime = { ts: lastWrite, t: Long.fromNumber(1) };
  return {
    set: REPLICA_SET_NAME,
    date: new Date(),
    myState: 1,
    term: Long.fromNumber(1),
    members: [
      {
        _id: 0,
        name: ctx.member?.address ?? '127.0.0.1:27017',
        health: 1,
        state: 1,
        stateStr: 'PRIMARY',
        uptime: Math.floor(process.uptime()),
        optime: opTime,
        self: true,
      },
    ],
    ok: 1,
  };
};

const ok: CommandHandler = () => ({ ok: 1 });

const buildInfo: CommandHandler = () => ({
  version: STORE_VERSION,
  gitVersion: 'crewdeck-embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['crewdeck-journal'],
  ok: 1,
});

const getParameter: CommandHandler = () => ({ featureCompatibilityVersion: { version: '7.0' }, ok: 1 });

const whatsmyuri: CommandHandler = (ctx) => ({ you: `127.0.0.1:${ctx.connectionId}`, ok: 1 });

const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

const hostInfo: CommandHandler = () => ({
  system: { currentTime: new Date(), hostname: 'localhost' },
  os: { type: process.platform },
  extra: {},
  ok: 1,
});

const serverStatus: CommandHandler = () => ({
  host: 'localhost',
  version: STORE_VERSION,
  process: 'crewdeck-store',
  uptime: process.uptime(),
  localTime: new Date(),
  ok: 1,
});

const getLog: CommandHandler = () => ({ totalLinesWritten: 0, log: [], ok: 1 });

const getCmdLineOpts: CommandHandler = () => ({ argv: process.argv, parsed: {}, ok: 1 });

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: ok,
  replSetGetStatus,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  endSessions: ok,
  whatsmyuri,
  connectionStatus,
  hostInfo,
  serverStatus,
  getLog,
  getCmdLineOpts,
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
  refreshSessions: ok,
  startSession: ok,
  getLastError: () => ({ err: null, n: 0, ok: 1 }),
  dbStats: (ctx) => ({ db: ctx.db, collections: ctx.engine.databases.get(ctx.db)?.size ?? 0, ok: 1 }),
};
