import { Binary, Long, ObjectId, type Document } from 'bson';
import { asNumber, typeOrder } from './values.ts';

/** MongoDB's total order over BSON values: first by type bracket, then within the type. */
export function compareValues(a: unknown, b: unknown): number {
  const ta = typeOrder(a);
  const tb = typeOrder(b);
  if (ta !== tb) return ta - tb;
  if (a === b || a === null || a === undefined) return 0;
  if (asNumber(a) !== undefined) return compareNumbers(a, b);
  if (typeof a === 'string') return cmp(a, b as string);
  if (typeof a === 'boolean') return cmp(Number(a), Number(b));
  if (a instanceof Date) return cmp(a.getTime(), (b as Date).getTime());
  if (a instanceof ObjectId) return cmp(a.toHexString(), (b as ObjectId).toHexString());
  if (a instanceof Binary) return Buffer.compare(Buffer.from(a.buffer), Buffer.from((b as Binary).buffer));
  if (Array.isArray(a)) return compareArrays(a, b as unknown[]);
  if (typeof a === 'object') return compareObjects(a as Document, b as Document);
  return cmp(String(a), String(b));
}

/** A Long beyond 2^53 loses precision as a double: integers compare exactly as bigints when one is a Long. */
function compareNumbers(a: unknown, b: unknown): number {
  if (a instanceof Long || b instanceof Long) {
    const [ia, ib] = [exactInteger(a), exactInteger(b)];
    if (ia !== undefined && ib !== undefined) return cmp(ia, ib);
  }
  const [na, nb] = [asNumber(a) ?? 0, asNumber(b) ?? 0];
  // NaN sorts below every other number in MongoDB; a consistent order also keeps B-tree indexes sound.
  if (Number.isNaN(na) || Number.isNaN(nb)) return Number.isNaN(na) ? (Number.isNaN(nb) ? 0 : -1) : 1;
  return cmp(na, nb);
}

function exactInteger(v: unknown): bigint | undefined {
  if (v instanceof Long) return v.toBigInt();
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

function cmp<T extends string | number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareArrays(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareObjects(a: Document, b: Document): number {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
    const c = compareValues(ea[i][1], eb[i][1]) || cmp(ea[i][0], eb[i][0]);
    if (c !== 0) return c;
  }
  return ea.length - eb.length;
}

/** Values of a dotted path, traversing arrays as MongoDB does for sort keys and multikey indexes. */
export function pathValues(doc: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [doc];
  if (doc === null || typeof doc !== 'object') return [undefined];
  if (Array.isArray(doc)) {
    const index = Number(path[0]);
    if (Number.isInteger(index) && path[0] !== '') return pathValues(doc[index], path.slice(1));
    return doc.length === 0 ? [undefined] : doc.flatMap((item) => pathValues(item, path));
  }
  const value = (doc as Document)[path[0]];
  if (path.length === 1) return [value];
  return pathValues(value, path.slice(1));
}

/** The sort key of one document for one field: arrays sort by their smallest element ascending, largest descending. */
function sortKey(doc: Document, path: string[], direction: number): unknown {
  const values = pathValues(doc, path).flatMap((v) => (Array.isArray(v) ? (v.length ? v : [undefined]) : [v]));
  let best = values[0];
  for (const v of values.slice(1)) {
    const c = compareValues(v, best);
    if (direction > 0 ? c < 0 : c > 0) best = v;
  }
  return best ?? null;
}

/** Sorts stably; `$natural` is the order the documents come in (insertion order for a scan). */
export function sortDocuments<T extends Document>(docs: T[], spec: Record<string, unknown>): T[] {
  const fields = Object.entries(spec).map(([field, dir]) => ({
    path: field.split('.'),
    natural: field === '$natural',
    dir: Number(dir) < 0 ? -1 : 1,
  }));
  const keyed = docs.map((doc, index) => ({
    doc,
    index,
    keys: fields.map((f) => (f.natural ? index : sortKey(doc, f.path, f.dir))),
  }));
  keyed.sort((x, y) => {
    for (let i = 0; i < fields.length; i++) {
      const c = compareValues(x.keys[i], y.keys[i]);
      if (c !== 0) return c * fields[i].dir;
    }
    return x.index - y.index;
  });
  return keyed.map((k) => k.doc);
}
