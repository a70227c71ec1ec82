import type { Document } from 'bson';
import { Collection, ID_INDEX } from './collection.ts';
import { StoreError, namespaceExists, writeConflict } from './errors.ts';
import type { Index, IndexSpec } from './indexes.ts';
import { rangeBounds } from './indexes.ts';
import { compileFilter } from './mingo-adapter.ts';
import { compareValues, sortDocuments } from './order.ts';
import { valueKey } from './values.ts';

/** One durable change, as written to the journal and replayed on start. */
export type JournalOp =
  | { op: 'put'; ns: string; doc: Document }
  | { op: 'del'; ns: string; id: unknown }
  | { op: 'createColl'; ns: string; options: Document }
  | { op: 'collMod'; ns: string; options: Document }
  | { op: 'dropColl'; ns: string }
  | { op: 'dropDb'; db: string }
  | { op: 'createIndex'; ns: string; spec: IndexSpec }
  | { op: 'dropIndex'; ns: string; name: string };

/** An open multi-document transaction: its own writes overlay the committed data until commit. */
export class Transaction {
  readonly key: string;
  readonly startTs: number;
  readonly writes = new Map<Collection, Map<string, Document | null>>();
  /** The committed version of each document when this transaction first wrote it. */
  readonly baseVersions = new Map<Collection, Map<string, number>>();
  /** Collections created inside the transaction (by ns): invisible to others until commit. */
  readonly created = new Map<string, Collection>();
  lastUsed = Date.now();

  constructor(key: string, startTs: number) {
    this.key = key;
    this.startTs = startTs;
  }

  written(coll: Collection): Map<string, Document | null> | undefined {
    return this.writes.get(coll);
  }
}

/** A staged document sharing a key of the unique index with another staged one, if any. */
export function stagedDuplicate(index: Index, staged: Map<string, Document | null>): Document | undefined {
  const owners = new Map<string, string>();
  for (const [id, doc] of staged) {
    if (!doc) continue;
    for (const key of index.keysOf(doc)) {
      const owner = owners.get(key);
      if (owner !== undefined && owner !== id) return doc;
      owners.set(key, id);
    }
  }
  return undefined;
}

const splitNs = (ns: string): [string, string] => {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
};

/** All databases in memory, the single source of truth for reads; writes return journal ops. */
export class Engine {
  readonly databases = new Map<string, Map<string, Collection>>();
  private clock = 0;
  /** Open transactions: while any is open, superseded versions are kept for their snapshots. */
  private readonly open = new Set<Transaction>();
  /** Collections holding past versions, pruned as the oldest open snapshot moves on. */
  private readonly historied = new Set<Collection>();
  /** The oldest open snapshot the last prune ran for (undefined: none was open). */
  private prunedFor: number | undefined;

  /** The clock of the latest committed write (a snapshot taken now reads exactly this state). */
  get now(): number {
    return this.clock;
  }

  /** Past versions currently kept for open snapshots (for benchmarks and tests). */
  get pastVersions(): number {
    let n = 0;
    for (const coll of this.historied) for (const past of coll.history.values()) n += past.length;
    return n;
  }

  /** The committed collection, or one the transaction created. */
  collection(db: string, name: string, txn?: Transaction): Collection | undefined {
    return this.databases.get(db)?.get(name) ?? txn?.created.get(`${db}.${name}`);
  }

  /**
   * Returns the collection, creating it (and the journal op saying so) when missing. Inside a
   * transaction a new collection stays the transaction's own until commit, as in MongoDB.
   */
  ensureCollection(db: string, name: string, ops: JournalOp[], options: Document = {}, txn?: Transaction): Collection {
    const existing = this.collection(db, name, txn);
    if (existing) return existing;
    if (txn) {
      const own = new Collection(db, name, options);
      txn.created.set(own.ns, own);
      return own;
    }
    let colls = this.databases.get(db);
    if (!colls) this.databases.set(db, (colls = new Map()));
    const coll = new Collection(db, name, options);
    colls.set(name, coll);
    ops.push({ op: 'createColl', ns: coll.ns, options });
    return coll;
  }

  createCollection(db: string, name: string, options: Document, ops: JournalOp[], txn?: Transaction): Collection {
    if (this.collection(db, name, txn)) throw namespaceExists(`${db}.${name}`);
    return this.ensureCollection(db, name, ops, options, txn);
  }

  dropCollection(db: string, name: string, ops: JournalOp[]): boolean {
    const colls = this.databases.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.databases.delete(db);
    ops.push({ op: 'dropColl', ns: `${db}.${name}` });
    return true;
  }

  dropDatabase(db: string, ops: JournalOp[]): void {
    if (this.databases.delete(db)) ops.push({ op: 'dropDb', db });
  }

  /**
   * Documents matching the filter as the transaction (or a plain read) sees them: a transaction
   * reads the snapshot taken when it started, plus its own writes, as in MongoDB.
   */
  /** Matching documents in candidate order; at most `max` (the first ones), so an unsorted limit stops early. */
  find(
    coll: Collection | undefined,
    filter: Document,
    txn?: Transaction,
    variables?: Document,
    max = Number.POSITIVE_INFINITY,
  ): Document[] {
    if (!coll) return [];
    const ids = coll.candidates(filter);
    let docs: Document[] = [];
    if (txn && coll.lastWrite > txn.startTs) docs = this.snapshotCandidates(coll, ids, txn.startTs);
    else if (ids) for (const id of ids) docs.push(coll.docs.get(id) as Document);
    else docs = [...coll.docs.values()];
    const own = txn?.written(coll);
    if (own) {
      docs = docs.filter((d) => !own.has(valueKey(d._id)));
      for (const d of own.values()) if (d) docs.push(d);
    }
    if (Object.keys(filter).length === 0) return docs.slice(0, max);
    const query = compileFilter(filter, variables);
    const out: Document[] = [];
    for (const d of docs) {
      if (out.length >= max) break;
      if (query.test(d)) out.push(d);
    }
    return out;
  }

  /**
   * Candidates as of snapshot `ts`: the current ones not written since, plus the past version of
   * every document written since (indexes hold current values only, so these are all tested).
   */
  private snapshotCandidates(coll: Collection, ids: Set<string> | undefined, ts: number): Document[] {
    const docs: Document[] = [];
    const unchanged = (id: string) => (coll.versions.get(id) ?? 0) <= ts;
    if (ids) {
      for (const id of ids) if (unchanged(id)) docs.push(coll.docs.get(id) as Document);
    } else for (const [id, doc] of coll.docs) if (unchanged(id)) docs.push(doc);
    for (const id of coll.history.keys()) {
      if (unchanged(id)) continue;
      const past = coll.visibleAt(id, ts);
      if (past) docs.push(past);
    }
    return docs;
  }

  /**
   * The first `count` matches in sort order, walking an index on the first sort field instead
   * of sorting the collection; undefined when no index fits (the caller sorts). Ties on the
   * first field are all collected so later sort fields still decide among them.
   */
  findSorted(
    coll: Collection | undefined,
    filter: Document,
    sort: Document,
    count: number,
    txn?: Transaction,
    variables?: Document,
  ): Document[] | undefined {
    const [field, direction] = Object.entries(sort)[0] ?? [];
    const index = field ? coll?.orderedIndex(field) : undefined;
    if (!coll || !index || count <= 0 || typeof direction !== 'number') return undefined;
    // The index holds current values: a snapshot older than the last write sorts in memory instead.
    if (txn && coll.lastWrite > txn.startTs) return undefined;
    const query = compileFilter(filter, variables);
    const own = txn?.written(coll);
    const seen = new Set<string>();
    const out: Document[] = [];
    let last: unknown;
    // An array sorts by its smallest (ascending) or largest (descending) element whatever the
    // filter, so on a multikey index the walk must start at the very end, not at a bound.
    const bounds = index.multikey ? undefined : rangeBounds(filter, field);
    for (const { v, id } of index.walk(direction < 0 ? -1 : 1, bounds)) {
      if (seen.has(id)) continue;
      if (out.length >= count && compareValues(v, last) !== 0) break;
      seen.add(id);
      const doc = coll.docs.get(id) as Document;
      if (own?.has(id) || !query.test(doc)) continue;
      out.push(doc);
      last = v;
    }
    for (const doc of own?.values() ?? []) if (doc && query.test(doc)) out.push(doc);
    return sortDocuments(out, sort).slice(0, count);
  }

  /** All documents of a collection as the transaction sees them (for $lookup). */
  all(coll: Collection | undefined, txn?: Transaction): Document[] {
    return this.find(coll, {}, txn);
  }

  /**
   * Inserts a new document. `put` replaces by `_id` (what an update needs); an insert or an upsert
   * onto an existing `_id` must be E11000 on `_id_` instead, as in MongoDB.
   */
  insert(coll: Collection, doc: Document, ops: JournalOp[], txn?: Transaction): void {
    const id = valueKey(doc._id);
    const own = txn?.written(coll);
    // Inserted by another session after this transaction's snapshot: a conflict, not a duplicate.
    if (txn && !own?.has(id) && (coll.versions.get(id) ?? 0) > txn.startTs) throw writeConflict();
    const exists = own?.has(id) ? own.get(id) !== null : coll.docs.has(id);
    if (exists) throw (coll.indexes.get(ID_INDEX.name) as Index).duplicateError(coll.ns, doc);
    this.put(coll, doc, ops, txn);
  }

  /** Inserts or replaces one document; throws E11000 on a unique index violation. */
  put(coll: Collection, doc: Document, ops: JournalOp[], txn?: Transaction): void {
    const id = valueKey(doc._id);
    if (txn) return this.putInTransaction(coll, id, doc, txn);
    const dup = coll.findDuplicate(doc, id);
    if (dup) throw dup.duplicateError(coll.ns, doc);
    coll.put(doc, ++this.clock, this.keepPast(coll));
    ops.push({ op: 'put', ns: coll.ns, doc });
  }

  delete(coll: Collection, doc: Document, ops: JournalOp[], txn?: Transaction): void {
    const id = valueKey(doc._id);
    if (txn) return this.stage(coll, id, null, txn);
    coll.remove(id, ++this.clock, this.keepPast(coll));
    ops.push({ op: 'del', ns: coll.ns, id: doc._id });
  }

  private putInTransaction(coll: Collection, id: string, doc: Document, txn: Transaction): void {
    const own = txn.written(coll);
    const overridden = (other: string) => own?.has(other) === true;
    const dup = coll.findDuplicate(doc, id, overridden);
    if (dup) throw dup.duplicateError(coll.ns, doc);
    for (const [otherId, other] of own ?? []) {
      const clash = other && otherId !== id ? coll.findDuplicateBetween(doc, other) : undefined;
      if (clash) throw clash.duplicateError(coll.ns, doc);
    }
    this.stage(coll, id, doc, txn);
  }

  /** Records a transactional write after checking it does not conflict with another writer. */
  private stage(coll: Collection, id: string, doc: Document | null, txn: Transaction): void {
    const holder = coll.locks.get(id);
    if (holder && holder !== txn.key) throw writeConflict();
    let base = txn.baseVersions.get(coll);
    if (!base) txn.baseVersions.set(coll, (base = new Map()));
    if (!base.has(id)) {
      const version = coll.versions.get(id) ?? 0;
      if (version > txn.startTs) throw writeConflict();
      base.set(id, version);
    }
    coll.locks.set(id, txn.key);
    let own = txn.writes.get(coll);
    if (!own) txn.writes.set(coll, (own = new Map()));
    own.set(id, doc);
  }

  beginTransaction(key: string): Transaction {
    const txn = new Transaction(key, this.clock);
    this.open.add(txn);
    return txn;
  }

  /** Whether a write to `coll` must keep the version it supersedes (an open snapshot may read it). */
  private keepPast(coll: Collection): boolean {
    if (this.open.size === 0) return false;
    this.historied.add(coll);
    return true;
  }

  /** Applies all of a transaction's writes at once, or none (WriteConflict / E11000). */
  commit(txn: Transaction, ops: JournalOp[]): void {
    try {
      // Another writer created a collection of the same name meanwhile: the transaction's create conflicts.
      for (const coll of txn.created.values()) if (this.collection(coll.db, coll.name)) throw writeConflict();
      for (const [coll, base] of txn.baseVersions) {
        if (txn.created.get(coll.ns) === coll) continue;
        // A collection dropped (or dropped and recreated) since the write was staged aborts the transaction, as in MongoDB.
        if (this.collection(coll.db, coll.name) !== coll) throw writeConflict();
        for (const [id, version] of base) if ((coll.versions.get(id) ?? 0) !== version) throw writeConflict();
      }
      for (const [coll, own] of txn.writes) {
        for (const [id, doc] of own) {
          const dup = doc && coll.findDuplicate(doc, id, (other) => own.has(other));
          if (dup) throw dup.duplicateError(coll.ns, doc as Document);
        }
        // Writes staged before a unique index existed (one created in this transaction) were never
        // checked against each other.
        for (const index of coll.indexes.values()) {
          const clash = index.unique ? stagedDuplicate(index, own) : undefined;
          if (clash) throw index.duplicateError(coll.ns, clash);
        }
      }
      this.open.delete(txn);
      const version = ++this.clock;
      for (const coll of txn.created.values()) {
        let colls = this.databases.get(coll.db);
        if (!colls) this.databases.set(coll.db, (colls = new Map()));
        colls.set(coll.name, coll);
        ops.push({ op: 'createColl', ns: coll.ns, options: coll.options });
        for (const index of coll.indexes.values())
          if (index.name !== ID_INDEX.name) ops.push({ op: 'createIndex', ns: coll.ns, spec: index.spec });
      }
      for (const [coll, own] of txn.writes) {
        for (const [id, doc] of own) {
          if (doc) {
            coll.put(doc, version, this.keepPast(coll));
            ops.push({ op: 'put', ns: coll.ns, doc });
          } else {
            const old = coll.docs.get(id);
            coll.remove(id, version, this.keepPast(coll));
            if (old) ops.push({ op: 'del', ns: coll.ns, id: old._id });
          }
        }
      }
    } finally {
      this.release(txn);
    }
  }

  release(txn: Transaction): void {
    for (const [coll, own] of txn.writes) {
      for (const id of own.keys()) if (coll.locks.get(id) === txn.key) coll.locks.delete(id);
    }
    txn.writes.clear();
    txn.created.clear();
    if (this.open.delete(txn) || this.historied.size > 0) this.prune();
  }

  /**
   * Drops past versions no open snapshot can read any more. While the oldest open snapshot stays
   * the same there is nothing new to drop: a write after it only adds versions newer than it, or
   * the one version it reads. So the scan runs only when that snapshot moves on (or closes).
   */
  private prune(): void {
    let oldest: number | undefined;
    for (const txn of this.open) if (oldest === undefined || txn.startTs < oldest) oldest = txn.startTs;
    if (oldest !== undefined && oldest === this.prunedFor) return;
    this.prunedFor = oldest;
    for (const coll of this.historied) {
      coll.prune(oldest);
      if (coll.history.size === 0) this.historied.delete(coll);
    }
  }

  /** Replays one journal op (on start); never journals again. */
  apply(op: JournalOp): void {
    const sink: JournalOp[] = [];
    if (op.op === 'dropDb') return void this.databases.delete(op.db);
    const [db, name] = splitNs(op.ns);
    switch (op.op) {
      case 'createColl':
        this.ensureCollection(db, name, sink, op.options);
        return;
      case 'dropColl':
        this.dropCollection(db, name, sink);
        return;
      case 'collMod': {
        const coll = this.collection(db, name);
        if (coll) coll.options = op.options;
        return;
      }
      case 'put':
        this.ensureCollection(db, name, sink).put(op.doc, ++this.clock);
        return;
      case 'del':
        this.collection(db, name)?.remove(valueKey(op.id), ++this.clock);
        return;
      case 'createIndex':
        this.ensureCollection(db, name, sink).addIndex(op.spec);
        return;
      case 'dropIndex':
        this.collection(db, name)?.indexes.delete(op.name);
        return;
    }
  }

  /** The whole state as journal ops, in an order that replays to the same state (for compaction). */
  *snapshotOps(): Generator<JournalOp> {
    for (const colls of this.databases.values()) {
      for (const coll of colls.values()) {
        yield { op: 'createColl', ns: coll.ns, options: coll.options };
        for (const index of coll.indexes.values())
          if (index.name !== '_id_') yield { op: 'createIndex', ns: coll.ns, spec: index.spec };
        for (const doc of coll.docs.values()) yield { op: 'put', ns: coll.ns, doc };
      }
    }
  }
}

export { StoreError };
