/**
 * Crewdeck runs every write in a multi-document transaction, and MongoDB allows transactions only
 * on a replica set member or through mongos. A standalone mongod accepts the connection and then
 * fails every write ("Transaction numbers are only allowed on a replica set member or mongos"), so
 * with MONGODB_URI the server checks the deployment at start and refuses to run on one it cannot use.
 */

/** The oldest MongoDB Crewdeck supports (README, "Database"). */
export const MIN_MONGODB_VERSION: readonly [number, number] = [7, 0];

/** The fields of a `hello` reply that say what kind of deployment answered. */
export interface HelloReply {
  /** Present on a member of an initiated replica set. */
  setName?: string;
  /** `'isdbgrid'` when the server is a mongos router of a sharded cluster. */
  msg?: string;
  /** True on a mongod started with --replSet whose replica set is not initiated yet. */
  isreplicaset?: boolean;
}

/** The fields of a `buildInfo` reply that give the server version. */
export interface BuildInfoReply {
  version?: string;
  versionArray?: readonly number[];
  /** `'crewdeck-embedded'` on Crewdeck's embedded store (server/src/store/). */
  gitVersion?: string;
}

/**
 * Crewdeck's embedded store, started on its own (`npm run store`) and shared through MONGODB_URI
 * (several server processes on one store): it answers `hello` as a replica set of one member, so it
 * is accepted as one; the marker also accepts stores of older Crewdeck versions, which answered as a
 * standalone server but ran transactions.
 */
export const EMBEDDED_STORE_GIT_VERSION = 'crewdeck-embedded';

export type DeploymentKind = 'replicaSet' | 'sharded' | 'embedded';

export type DeploymentProblem = 'standalone' | 'uninitialized' | 'version' | 'unreachable';

/** Why the server will not start on the MongoDB in MONGODB_URI; the message says what to do. */
export class DatabaseDeploymentError extends Error {
  readonly problem: DeploymentProblem;
  constructor(problem: DeploymentProblem, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseDeploymentError';
    this.problem = problem;
  }
}

const minimum = MIN_MONGODB_VERSION.join('.');
const replicaSetHowTo = [
  'To run a single MongoDB as a single-node replica set:',
  '  1. start it with --replSet:   mongod --replSet rs0 --dbpath /path/to/db',
  "  2. initiate it once:          mongosh --eval 'rs.initiate()'",
  '  3. connect with replicaSet:   MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0',
  'MongoDB Atlas clusters are replica sets already (use their mongodb+srv:// connection string);',
  'for a sharded cluster, point MONGODB_URI at its mongos routers.',
  'Or leave MONGODB_URI unset to use the embedded store. See README.md, section "Database".',
].join('\n');

/** The connection string without its credentials, for messages. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z+]+:\/\/)[^@/]*@/i, '$1<credentials>@');
}

/** [major, minor] of a buildInfo reply, or undefined when it gives no readable version. */
export function serverVersion(info: BuildInfoReply): [number, number] | undefined {
  const array = info.versionArray;
  if (array && array.length >= 2 && array.every((n) => Number.isInteger(n))) return [array[0], array[1]];
  const match = /^(\d+)\.(\d+)/.exec(info.version ?? '');
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The decision, from the server's `hello` and `buildInfo` replies: the kind of deployment when
 * Crewdeck can run on it, else a DatabaseDeploymentError naming the fix.
 */
export function checkDeployment(hello: HelloReply, buildInfo: BuildInfoReply, uri = 'MONGODB_URI'): DeploymentKind {
  const where = redactUri(uri);
  const version = serverVersion(buildInfo);
  if (
    !version ||
    version[0] < MIN_MONGODB_VERSION[0] ||
    (version[0] === MIN_MONGODB_VERSION[0] && version[1] < MIN_MONGODB_VERSION[1])
  ) {
    throw new DatabaseDeploymentError(
      'version',
      `Crewdeck needs MongoDB ${minimum} or newer, but ${where} is MongoDB ${buildInfo.version ?? '(unknown version)'}.\n` +
        `Upgrade the deployment to MongoDB ${minimum}+ (replica set or sharded cluster). See README.md, section "Database".`,
    );
  }
  if (hello.msg === 'isdbgrid') return 'sharded';
  if (typeof hello.setName === 'string' && hello.setName !== '') return 'replicaSet';
  if (buildInfo.gitVersion === EMBEDDED_STORE_GIT_VERSION) return 'embedded';
  const transactions =
    'Crewdeck runs every write in a multi-document transaction, which MongoDB allows only on a replica set or a sharded cluster.';
  if (hello.isreplicaset) {
    throw new DatabaseDeploymentError(
      'uninitialized',
      `${where} is a mongod started with --replSet whose replica set is not initiated yet.\n${transactions}\n` +
        `Run rs.initiate() once (mongosh --eval 'rs.initiate()'), then start Crewdeck again.\n\n${replicaSetHowTo}`,
    );
  }
  throw new DatabaseDeploymentError(
    'standalone',
    `${where} is a standalone MongoDB server.\n${transactions}\n\n${replicaSetHowTo}`,
  );
}

/** What `checkDatabaseDeployment` needs of a driver handle: `db.admin()` of mongoose or the driver. */
export interface AdminCommands {
  command(command: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** Asks the connected server for `buildInfo` and `hello` and applies `checkDeployment`. */
export async function checkDatabaseDeployment(admin: AdminCommands, uri: string): Promise<DeploymentKind> {
  const buildInfo = (await admin.command({ buildInfo: 1 })) as BuildInfoReply;
  // `hello` exists since MongoDB 4.4.2; an older server answers isMaster (and is then refused by version).
  const hello = (await admin.command({ hello: 1 }).catch(() => admin.command({ isMaster: 1 }))) as HelloReply;
  return checkDeployment(hello, buildInfo, uri);
}
