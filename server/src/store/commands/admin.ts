import type { CommandHandler } from '../context.ts';
import { MAX_MESSAGE_BYTES } from '../wire.ts';

export const STORE_VERSION = '7.0.0';

/**
 * Standalone-mode hello: `logicalSessionTimeoutMinutes` lets the driver use sessions and
 * transactions; no `topologyVersion`, so the driver polls instead of streaming (see notes).
 */
const hello: CommandHandler = (ctx) => ({
  helloOk: true,
  isWritablePrimary: true,
  ...(ctx.cmd.isMaster || ctx.cmd.ismaster ? { ismaster: true } : {}),
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: MAX_MESSAGE_BYTES,
  maxWriteBatchSize: 100_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: 21,
  readOnly: false,
  ok: 1,
});

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
