import type { Document } from 'bson';
import type { Query } from 'mingo/query';
import { createRequire } from 'node:module';
import type * as BTreeTypes from 'sorted-btree';
import { compileFilter } from './mingo-adapter.ts';
import { compareValues, pathValues } from './order.ts';
import { StoreError } from './errors.ts';
import { formatKeyValue, valueKey } from './values.ts';

export interface IndexSpec {
  name: string;
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

// sorted-btree is CommonJS with `exports.default = BTree`, which an ESM default import does not unwrap.
type BTreeClass = typeof BTreeTypes.default.default;
const { default: BTree } = createRequire(import.meta.url)('sorted-btree') as { default: BTreeClass };

/** One entry of the ordered part of an index: a value of its first field and a document id. */
interface OrderedKey {
  v: unknown;
  id: string;
}

const compareOrdered = (a: OrderedKey, b: OrderedKey) =>
  compareValues(a.v, b.v) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Bounds on the first field for an ordered walk; each side optional. */
export interface Bounds {
  low?: { v: unknown; inclusive: boolean };
  high?: { v: unknown; inclusive: boolean };
}

/**
 * An index is two structures: a hash of canonical key strings → ids, so equality and `$in`
 * lookups never scan; and a B-tree over its first field in MongoDB's value order, so ranges and
 * sort+limit on that field walk the index instead of sorting the collection.
 */
export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly paths: string[][];
  private readonly entries = new Map<string, Set<string>>();
  private readonly ordered = new BTree<OrderedKey, true>(undefined, compareOrdered);
  private readonly partial: Query<Document> | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map((f) => f.split('.'));
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** The keys under which a document is indexed; empty when sparse/partial leaves it out. */
  keysOf(doc: Document): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.paths.map((p) => expandArrays(pathValues(doc, p)));
    if (this.spec.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return [];
    let keys = [''];
    for (const vals of perField) {
      const parts = [...new Set(vals.map(valueKey))];
      keys = keys.flatMap((prefix) => parts.map((p) => (prefix ? `${prefix}\u0000${p}` : p)));
    }
    return keys;
  }

  add(id: string, doc: Document): void {
    const keys = this.keysOf(doc);
    for (const key of keys) {
      let ids = this.entries.get(key);
      if (!ids) this.entries.set(key, (ids = new Set()));
      ids.add(id);
    }
    if (keys.length) for (const v of this.firstValues(doc)) this.ordered.set({ v, id }, true);
  }

  remove(id: string, doc: Document): void {
    const keys = this.keysOf(doc);
    for (const key of keys) {
      const ids = this.entries.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.entries.delete(key);
    }
    if (keys.length) for (const v of this.firstValues(doc)) this.ordered.delete({ v, id });
  }

  /**
   * True once any document held an array in the first field. Then a two-sided range may match a
   * document whose *different* elements satisfy each side (MongoDB's semantics for `[1, 20]` and
   * `{ $gt: 5, $lt: 10 }`), so a walk between both bounds would miss it: callers use one side.
   */
  multikey = false;

  /** Values of the first field (each array element; null when missing), as sort and ranges see them. */
  private firstValues(doc: Document): unknown[] {
    const raw = pathValues(doc, this.paths[0]);
    if (raw.some(Array.isArray)) this.multikey = true;
    const values = expandArrays(raw).map((v) => (v === undefined ? null : v));
    return [...new Map(values.map((v) => [valueKey(v), v])).values()];
  }

  /**
   * Entries in first-field order within the bounds; a multikey document appears once per
   * element (callers dedupe), first at its smallest element ascending and largest descending.
   */
  *walk(direction: 1 | -1, bounds: Bounds = {}): Generator<OrderedKey> {
    const { low, high } = bounds;
    if (direction > 0) {
      const start = low ? { v: low.v, id: '' } : undefined;
      for (const [key] of this.ordered.entries(start)) {
        if (low && !low.inclusive && compareValues(key.v, low.v) === 0) continue;
        if (high && compareValues(key.v, high.v) > (high.inclusive ? 0 : -1)) return;
        yield key;
      }
      return;
    }
    const start = high ? { v: high.v, id: '\uffff' } : undefined;
    for (const [key] of this.ordered.entriesReversed(start)) {
      if (high && !high.inclusive && compareValues(key.v, high.v) === 0) continue;
      if (low && compareValues(key.v, low.v) < (low.inclusive ? 0 : 1)) return;
      yield key;
    }
  }

  lookup(key: string): ReadonlySet<string> | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
    this.ordered.clear();
  }

  /** MongoDB's E11000 error for a document whose key this index already holds. */
  duplicateError(ns: string, doc: Document): StoreError {
    const keyValue: Document = {};
    for (let i = 0; i < this.fields.length; i++) {
      const first = expandArrays(pathValues(doc, this.paths[i]))[0];
      keyValue[this.fields[i]] = first === undefined ? null : first;
    }
    const message = `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: ${formatKeyValue(keyValue)}`;
    return new StoreError(11000, 'DuplicateKey', message, { keyPattern: this.spec.key, keyValue });
  }
}

function expandArrays(values: unknown[]): unknown[] {
  const out = values.flatMap((v) => (Array.isArray(v) ? (v.length ? v : [undefined]) : [v]));
  return out.length ? out : [undefined];
}

/** Equality conditions of a filter that an index can answer: field → the values it may equal. */
export function equalityConditions(filter: Document): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (f: Document) => {
    for (const [field, cond] of Object.entries(f)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const sub of cond) if (sub && typeof sub === 'object') visit(sub as Document);
        continue;
      }
      if (field.startsWith('$')) continue;
      const values = equalityValues(cond);
      if (values) out.set(field, values);
    }
  };
  visit(filter);
  return out;
}

/**
 * `$all` conditions of scalars (top level or inside `$and`): field → values every match holds.
 * Any one of them bounds the candidates, so the planner may pick the rarest.
 */
export function allConditions(filter: Document): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (f: Document) => {
    for (const [field, cond] of Object.entries(f)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const sub of cond) if (sub && typeof sub === 'object') visit(sub as Document);
        continue;
      }
      if (field.startsWith('$') || !isOperatorObject(cond) || !Array.isArray(cond.$all)) continue;
      const values = cond.$all.filter(isIndexableScalar);
      if (values.length) out.set(field, [...(out.get(field) ?? []), ...values]);
    }
  };
  visit(filter);
  return out;
}

function isOperatorObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype)
    return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function isIndexableScalar(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof RegExp || Array.isArray(v)) return false;
  return typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype;
}

function equalityValues(cond: unknown): unknown[] | undefined {
  if (!isOperatorObject(cond)) return isIndexableScalar(cond) ? [cond] : undefined;
  if ('$eq' in cond && isIndexableScalar(cond.$eq)) return [cond.$eq];
  if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.every(isIndexableScalar)) return cond.$in;
  return undefined;
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte', '$eq']);

/**
 * Range bounds a filter puts on one top-level field (`$gt`/`$gte`/`$lt`/`$lte`/`$eq` or an
 * equality), or undefined when the field's condition is anything else. Bounds only narrow the
 * walk: every candidate is still tested against the whole filter.
 */
export function rangeBounds(filter: Document, field: string, multikey = false): Bounds | undefined {
  const bounds = exactRangeBounds(filter, field);
  // On arrays each side may be met by a different element: only the lower bound is safe.
  return multikey && bounds?.low && bounds.high ? { low: bounds.low } : bounds;
}

function exactRangeBounds(filter: Document, field: string): Bounds | undefined {
  const cond = filter[field];
  if (cond === undefined) return undefined;
  if (!isOperatorObject(cond))
    return isIndexableScalar(cond)
      ? { low: { v: cond, inclusive: true }, high: { v: cond, inclusive: true } }
      : undefined;
  if (!Object.keys(cond).every((op) => RANGE_OPERATORS.has(op))) return undefined;
  const values = Object.values(cond);
  if (!values.every((v) => isIndexableScalar(v))) return undefined;
  const bounds: Bounds = {};
  if ('$eq' in cond) return { low: { v: cond.$eq, inclusive: true }, high: { v: cond.$eq, inclusive: true } };
  if ('$gt' in cond) bounds.low = { v: cond.$gt, inclusive: false };
  if ('$gte' in cond) bounds.low = { v: cond.$gte, inclusive: true };
  if ('$lt' in cond) bounds.high = { v: cond.$lt, inclusive: false };
  if ('$lte' in cond) bounds.high = { v: cond.$lte, inclusive: true };
  return bracket(bounds);
}

/** A one-sided range only matches its own type bracket (MongoDB): close the open side there. */
function bracket(bounds: Bounds): Bounds {
  const known = bounds.low?.v ?? bounds.high?.v;
  const edges = typeEdges(known);
  if (!edges) return bounds;
  return { low: bounds.low ?? { v: edges[0], inclusive: true }, high: bounds.high ?? { v: edges[1], inclusive: true } };
}

function typeEdges(v: unknown): [unknown, unknown] | undefined {
  if (typeof v === 'number') return [-Infinity, Infinity];
  if (v instanceof Date) return [new Date(-8.64e15), new Date(8.64e15)];
  return undefined;
}
