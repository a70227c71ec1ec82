import type { Document } from 'bson';
import { Index, allConditions, equalityConditions, rangeBounds, type IndexSpec } from './indexes.ts';
import { valueKey } from './values.ts';

/** A superseded committed version of a document (null: it was absent, i.e. deleted). */
export interface PastVersion {
  doc: Document | null;
  version: number;
}

/** Unique internally; listIndexes shows it without the flag, as MongoDB does. */
export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 }, unique: true };

/** The committed state of one collection: documents by `_id` key, their write versions, and indexes. */
export class Collection {
  readonly db: string;
  readonly name: string;
  options: Document;
  readonly docs = new Map<string, Document>();
  /** Engine clock value of the last committed write of each document (for transaction conflicts). */
  readonly versions = new Map<string, number>();
  readonly indexes = new Map<string, Index>();
  /** Documents with an uncommitted write in an open transaction: id → transaction key. */
  readonly locks = new Map<string, string>();
  /**
   * Superseded versions that an open transaction's snapshot may still read, oldest first: each
   * entry is the value (null = absent) that became current at `version`. Kept only while a
   * transaction is open (see Engine.prune), so without transactions this stays empty.
   */
  readonly history = new Map<string, PastVersion[]>();
  /** The engine clock of the latest committed write to any document here (0: none yet). */
  lastWrite = 0;

  constructor(db: string, name: string, options: Document = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.indexes.set(ID_INDEX.name, new Index(ID_INDEX));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** The first unique index that already holds one of the document's keys for another document. */
  findDuplicate(doc: Document, ownId: string, ignore?: (id: string) => boolean): Index | undefined {
    for (const index of this.indexes.values()) {
      if (!index.unique) continue;
      for (const key of index.keysOf(doc)) {
        const ids = index.lookup(key);
        if (!ids) continue;
        for (const id of ids) if (id !== ownId && !ignore?.(id)) return index;
      }
    }
    return undefined;
  }

  /** The unique index on which two documents share a key, if any (for writes inside one transaction). */
  findDuplicateBetween(a: Document, b: Document): Index | undefined {
    for (const index of this.indexes.values()) {
      if (!index.unique) continue;
      const keys = new Set(index.keysOf(b));
      if (index.keysOf(a).some((k) => keys.has(k))) return index;
    }
    return undefined;
  }

  /** Writes a committed version; `keepPast` keeps the one it supersedes for open snapshots. */
  put(doc: Document, version: number, keepPast = false): void {
    const id = valueKey(doc._id);
    const old = this.docs.get(id);
    if (keepPast) this.keepPast(id);
    for (const index of this.indexes.values()) {
      if (old) index.remove(id, old);
      index.add(id, doc);
    }
    this.docs.set(id, doc);
    this.setVersion(id, version);
  }

  remove(id: string, version: number, keepPast = false): void {
    const old = this.docs.get(id);
    if (!old) return;
    if (keepPast) this.keepPast(id);
    for (const index of this.indexes.values()) index.remove(id, old);
    this.docs.delete(id);
    this.setVersion(id, version);
  }

  /** The document as a snapshot taken at engine clock `ts` saw it (undefined: absent then). */
  visibleAt(id: string, ts: number): Document | undefined {
    if ((this.versions.get(id) ?? 0) <= ts) return this.docs.get(id);
    const past = this.history.get(id);
    if (past) for (let i = past.length - 1; i >= 0; i--) if (past[i].version <= ts) return past[i].doc ?? undefined;
    return undefined;
  }

  /**
   * Drops the past versions no snapshot at or after `oldest` can read: for each document, all
   * but the newest version that was already current at `oldest`. Undefined `oldest` drops all.
   */
  prune(oldest: number | undefined): void {
    for (const [id, past] of this.history) {
      if (oldest === undefined || (this.versions.get(id) ?? 0) <= oldest) {
        this.history.delete(id);
        continue;
      }
      let keep = 0;
      while (keep + 1 < past.length && past[keep + 1].version <= oldest) keep++;
      if (keep > 0) past.splice(0, keep);
    }
  }

  private keepPast(id: string): void {
    const version = this.versions.get(id);
    if (version === undefined) return; // never existed: absent is what an older snapshot sees anyway
    let past = this.history.get(id);
    if (!past) this.history.set(id, (past = []));
    past.push({ doc: this.docs.get(id) ?? null, version });
  }

  private setVersion(id: string, version: number): void {
    this.versions.set(id, version);
    if (version > this.lastWrite) this.lastWrite = version;
  }

  addIndex(spec: IndexSpec): Index {
    const index = new Index(spec);
    for (const [id, doc] of this.docs) index.add(id, doc);
    this.indexes.set(spec.name, index);
    return index;
  }

  /**
   * Ids of documents that may match the filter, from the best index with equality conditions
   * on all its fields; undefined means no index applies and the caller scans.
   */
  candidates(filter: Document): Set<string> | undefined {
    const equalities = equalityConditions(filter);
    const alls = allConditions(filter);
    if (equalities.size === 0 && alls.size === 0) return this.rangeCandidates(filter);
    let best = this.exactCandidates(equalities);
    // `{ terms: { $all: [a, b] } }`: every value must be present, so the value with the fewest
    // entries bounds the candidates (each is still tested against the whole filter).
    for (const [field, values] of alls)
      for (const value of values) {
        if (best?.size === 0) return best;
        const found = this.exactCandidates(new Map(equalities).set(field, [value]));
        if (found && (!best || found.size < best.size)) best = found;
      }
    return best ?? this.prefixCandidates(equalities);
  }

  /** The smallest candidate set of an index with equalities on all its fields, if any. */
  private exactCandidates(equalities: Map<string, unknown[]>): Set<string> | undefined {
    if (equalities.size === 0) return undefined;
    let best: Set<string> | undefined;
    for (const index of this.indexes.values()) {
      if (index.spec.partialFilterExpression || !index.fields.every((f) => equalities.has(f))) continue;
      const values = index.fields.map((f) => equalities.get(f) as unknown[]);
      if (index.spec.sparse && values.some((vals) => vals.some((v) => v === null))) continue;
      const found = new Set<string>();
      for (const key of combinations(values)) for (const id of index.lookup(key) ?? []) found.add(id);
      if (!best || found.size < best.size) best = found;
      if (best.size === 0) break;
    }
    return best;
  }

  /**
   * Ids from an index whose first field has equalities when none has them on all its fields
   * (`{ participants: { $in: [...] }, start: { $lt: ... } }` on `{ participants: 1, start: 1 }`):
   * walking the ordered first field for each value narrows the scan as MongoDB's prefix use does.
   */
  private prefixCandidates(equalities: Map<string, unknown[]>): Set<string> | undefined {
    let best: Set<string> | undefined;
    for (const index of this.indexes.values()) {
      if (index.spec.partialFilterExpression || index.spec.sparse || index.fields.length < 2) continue;
      const values = equalities.get(index.fields[0]);
      if (!values) continue;
      const found = new Set<string>();
      for (const v of values)
        for (const { id } of index.walk(1, { low: { v, inclusive: true }, high: { v, inclusive: true } }))
          found.add(id);
      if (!best || found.size < best.size) best = found;
    }
    return best;
  }

  /** Ids within a range on the first field of some index (e.g. `{ seq: { $gt: 41 } }`). */
  private rangeCandidates(filter: Document): Set<string> | undefined {
    for (const field of Object.keys(filter)) {
      const index = this.orderedIndex(field);
      const bounds = index && rangeBounds(filter, field, index.multikey);
      if (!index || !bounds) continue;
      const found = new Set<string>();
      for (const { id } of index.walk(1, bounds)) found.add(id);
      return found;
    }
    return undefined;
  }

  /** An index whose first field is `field` and that holds every document (not sparse or partial). */
  orderedIndex(field: string): Index | undefined {
    for (const index of this.indexes.values()) {
      if (index.fields[0] === field && !index.spec.sparse && !index.spec.partialFilterExpression) return index;
    }
    return undefined;
  }
}

function combinations(values: unknown[][]): string[] {
  let keys = [''];
  for (const vals of values) {
    const parts = vals.map(valueKey);
    keys = keys.flatMap((prefix) => parts.map((p) => (prefix ? `${prefix}\u0000${p}` : p)));
  }
  return keys;
}
