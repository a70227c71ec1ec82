import type { Document } from 'bson';
import { isTimestamp } from './cluster-time.ts';
import { StoreError, badValue, notSupported, typeMismatch } from './errors.ts';

const LEVELS = new Set(['local', 'majority', 'linearizable', 'available', 'snapshot']);
const TRANSACTION_LEVELS = new Set(['local', 'majority', 'snapshot']);
/** Commands that take `readConcern: { level: 'snapshot' }` outside a transaction (MongoDB 5.0+). */
const SNAPSHOT_READS = new Set(['find', 'aggregate', 'distinct']);
const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);
const FIELDS = new Set(['level', 'afterClusterTime', 'atClusterTime', 'provenance']);

const invalidOptions = (message: string) => new StoreError(72, 'InvalidOptions', message);

/**
 * Checks a command's read concern where MongoDB 7.0 checks it. One node is always up to date, so
 * `local`, `majority` and `linearizable` read the same data, and `afterClusterTime` is satisfied;
 * `snapshot` in a transaction is what every transaction here reads (see Engine.find).
 * `atClusterTime` (reading the past) is refused by name rather than ignored.
 */
export function checkReadConcern(cmd: Document, inTransaction: boolean): void {
  const name = Object.keys(cmd)[0] ?? '';
  const rc = cmd.readConcern as unknown;
  if (rc === undefined) return;
  if (rc === null || typeof rc !== 'object' || Array.isArray(rc))
    throw typeMismatch(`BSON field 'readConcern' is the wrong type, expected type 'object'`);
  const concern = rc as Document;
  for (const field of Object.keys(concern))
    if (!FIELDS.has(field))
      throw new StoreError(40415, 'Location40415', `BSON field 'ReadConcernArgs.${field}' is an unknown field.`);
  const level = concern.level ?? 'local';
  if (typeof level !== 'string' || !LEVELS.has(level))
    throw badValue(`Enumeration value '${String(level)}' for field 'ReadConcernArgs.level' is not a valid value.`);
  if (concern.afterClusterTime !== undefined && !isTimestamp(concern.afterClusterTime))
    throw typeMismatch(`BSON field 'ReadConcernArgs.afterClusterTime' is the wrong type, expected type 'timestamp'`);
  if (concern.atClusterTime !== undefined) {
    if (level !== 'snapshot') throw invalidOptions('atClusterTime must be used with snapshot read concern');
    throw notSupported('readConcern.atClusterTime is not supported by the Crewdeck embedded store');
  }
  if (inTransaction) {
    if (cmd.startTransaction !== true)
      throw invalidOptions('Only the first command in a transaction may specify a readConcern');
    if (!TRANSACTION_LEVELS.has(level))
      throw invalidOptions(
        "The readConcern level must be either 'local' (default), 'majority' or 'snapshot' in order to run in a transaction",
      );
    return;
  }
  if (level === 'snapshot' && !SNAPSHOT_READS.has(name))
    throw invalidOptions(`Command ${name} does not support { readConcern: { level: "snapshot" } }`);
  if (WRITES.has(name) && level !== 'local')
    throw invalidOptions(`Command ${name} does not support { readConcern: { level: "${level}" } }`);
}
