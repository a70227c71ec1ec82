import { BSON, Long, type Document } from 'bson';
import { cursorNotFound } from './errors.ts';

const DEFAULT_FIRST_BATCH = 101;
/** A getMore batch stops before this many bytes, well under the 48 MB message limit. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
}

/** Server-side cursors: a query's results paged out by getMore, as the driver expects. */
export class Cursors {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1n;

  /** The `cursor` part of a find/aggregate reply; keeps a cursor only when results remain. */
  first(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const size = batchSize === undefined || batchSize <= 0 ? DEFAULT_FIRST_BATCH : batchSize;
    const { batch, end } = takeBatch(docs, 0, batchSize === 0 ? 0 : size);
    if (singleBatch || end >= docs.length) return { id: Long.ZERO, ns, firstBatch: batch };
    const id = this.nextId++;
    this.open.set(id.toString(), { ns, docs, position: end, lastUsed: Date.now() });
    return { id: Long.fromBigInt(id), ns, firstBatch: batch };
  }

  next(id: Long | number, batchSize: number | undefined): Document {
    const key = BigInt(id.toString()).toString();
    const cursor = this.open.get(key);
    if (!cursor) throw cursorNotFound(key);
    const { batch, end } = takeBatch(cursor.docs, cursor.position, batchSize && batchSize > 0 ? batchSize : Infinity);
    cursor.position = end;
    cursor.lastUsed = Date.now();
    const done = end >= cursor.docs.length;
    if (done) this.open.delete(key);
    return { id: done ? Long.ZERO : Long.fromString(key), ns: cursor.ns, nextBatch: batch };
  }

  kill(ids: unknown[]): Document {
    const killed: unknown[] = [];
    const notFound: unknown[] = [];
    for (const id of ids) (this.open.delete(String(id)) ? killed : notFound).push(id);
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }
}

function takeBatch(docs: Document[], start: number, count: number): { batch: Document[]; end: number } {
  let bytes = 0;
  let end = start;
  while (end < docs.length && end - start < count) {
    bytes += BSON.calculateObjectSize(docs[end]);
    if (bytes > MAX_BATCH_BYTES && end > start) break;
    end++;
  }
  return { batch: docs.slice(start, end), end };
}
