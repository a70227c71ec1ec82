import { Binary, Long, Timestamp, type Document } from 'bson';

/**
 * The store's cluster time, as a replica set member keeps it: a BSON Timestamp of (seconds,
 * increment) that moves forward on every durable change. Replies carry it as `$clusterTime` and
 * `operationTime`, so the driver gossips it back and causally consistent sessions can send it as
 * `readConcern.afterClusterTime`. One node sees all of its own writes, so any such time is already
 * satisfied when the read arrives.
 */
export class ClusterClock {
  private seconds = Math.floor(Date.now() / 1000);
  private increment = 1;

  /** The time of the latest change (what a read now observes). */
  current(): Timestamp {
    return new Timestamp({ t: this.seconds, i: this.increment });
  }

  /** Advances for a new durable change and returns its time. */
  tick(): Timestamp {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.seconds) {
      this.seconds = now;
      this.increment = 1;
    } else this.increment++;
    return this.current();
  }

  /** The `$clusterTime` a reply carries: unsigned (keyId 0), as on a deployment without auth. */
  gossip(time: Timestamp): Document {
    return { clusterTime: time, signature: { hash: new Binary(Buffer.alloc(20), 0), keyId: Long.fromNumber(0) } };
  }
}

/** Whether a value is a BSON Timestamp (duck-typed: it may come from another copy of bson). */
export function isTimestamp(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as { _bsontype?: unknown })._bsontype === 'Timestamp';
}
