import type { Document, ObjectId, Timestamp } from 'bson';
import type { Cursors } from './cursors.ts';
import type { Engine, JournalOp, Transaction } from './engine.ts';
import { StoreError, badValue, notSupported } from './errors.ts';

/** What one command sees: the engine, the transaction it runs in, and the journal ops it produced. */
export interface CommandContext {
  engine: Engine;
  cursors: Cursors;
  db: string;
  cmd: Document;
  txn?: Transaction;
  ops: JournalOp[];
  connectionId: number;
  /** The sessions the store knows ($listLocalSessions). */
  sessions?: () => Document[];
  /** This member as `hello` describes it: the address the client reached, its process, its clock. */
  member?: MemberInfo;
}

/** What a replica set member's `hello` says about itself. */
export interface MemberInfo {
  /** `host:port` the client connected to (the replica set's only host). */
  address: string;
  /** Identifies this process in `topologyVersion`; a restart is a new topology. */
  processId: ObjectId;
  lastWrite: () => Timestamp;
}

/** Fields any command may carry that are not its own options (sessions, routing, concerns). */
export const GENERIC_COMMAND_FIELDS: ReadonlySet<string> = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'writeConcern',
  'readConcern',
  'maxTimeMS',
  'comment',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

export type CommandHandler = (ctx: CommandContext) => Document | Promise<Document>;

/** The collection name a command targets (its first field's value). */
export function targetName(ctx: CommandContext): string {
  const name = ctx.cmd[Object.keys(ctx.cmd)[0]];
  if (typeof name !== 'string' || name.length === 0)
    throw new StoreError(73, 'InvalidNamespace', `collection name has invalid type ${typeof name}`);
  return name;
}

export function documentArg(value: unknown, field: string): Document {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw badValue(
      `BSON field '${field}' is the wrong type '${Array.isArray(value) ? 'array' : typeof value}', expected type 'object'`,
    );
  return value as Document;
}

export function numberArg(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw badValue(`BSON field '${field}' must be a number`);
  return n;
}

/**
 * The store compares strings binary: a collation (case-insensitive matching...) would silently
 * match differently, so any collation but `simple` is refused by name, on the command or a statement.
 */
export function refuseCollation(cmd: Document): void {
  const statements = [
    cmd,
    ...(Array.isArray(cmd.updates) ? cmd.updates : []),
    ...(Array.isArray(cmd.deletes) ? cmd.deletes : []),
  ] as Document[];
  for (const st of statements) {
    const collation = st?.collation as Document | undefined;
    if (collation && typeof collation === 'object' && collation.locale !== 'simple') {
      throw notSupported(
        `collation ${JSON.stringify(collation)} is not supported by the Crewdeck embedded store (strings compare binary)`,
      );
    }
  }
}
