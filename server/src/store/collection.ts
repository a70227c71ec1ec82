import type { Document } from 'bson';
import { Index, equalityConditions, rangeBounds, type IndexSpec } from './indexes.ts';
import { valueKey } from './values.ts';

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

  put(doc: Document, version: number): void {
    const id = valueKey(doc._id);
    const old = this.docs.get(id);
    for (const index of this.indexes.values()) {
      if (old) index.remove(id, old);
      index.add(id, doc);
    }
    this.docs.set(id, doc);
    this.versions.set(id, version);
  }

  remove(id: string, version: number): void {
    const old = this.docs.get(id);
    if (!old) return;
    for (const index of this.indexes.values()) index.remove(id, old);
    this.docs.delete(id);
    this.versions.set(id, version);
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
    if (equalities.size === 0) return this.rangeCandidates(filter);
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
