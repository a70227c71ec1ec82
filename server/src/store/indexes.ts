import type { Document } from 'bson';
import type { Query } from 'mingo/query';
import { compileFilter } from './mingo-adapter.ts';
import { pathValues } from './order.ts';
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

/**
 * A hash index: canonical key string → ids of the documents holding it. Equality and `$in`
 * lookups on its fields never scan; ranges fall back to a scan filtered by mingo.
 */
export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly paths: string[][];
  private readonly entries = new Map<string, Set<string>>();
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
    for (const key of this.keysOf(doc)) {
      let ids = this.entries.get(key);
      if (!ids) this.entries.set(key, (ids = new Set()));
      ids.add(id);
    }
  }

  remove(id: string, doc: Document): void {
    for (const key of this.keysOf(doc)) {
      const ids = this.entries.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.entries.delete(key);
    }
  }

  lookup(key: string): ReadonlySet<string> | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
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

function isOperatorObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
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
