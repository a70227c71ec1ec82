import { Binary, Decimal128, EJSON, Long, ObjectId, Timestamp, type Document } from 'bson';

/**
 * Canonical string keys for BSON values, so that equality lookups in indexes are hash
 * lookups. Numbers of every BSON numeric type that are equal get the same key, as in MongoDB.
 */
export function valueKey(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return Object.is(value, -0) ? 'n0' : `n${value}`;
    case 'boolean':
      return value ? 'bt' : 'bf';
    case 'bigint':
      return `n${value}`;
  }
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof Long) return `n${value.toString()}`;
  if (value instanceof Decimal128) {
    // Same key as the double it equals (queries compare decimals by numeric value, see order.ts).
    const n = Number(value.toString());
    return Number.isNaN(n) ? 'mNaN' : `n${n}`;
  }
  return `x${EJSON.stringify(value as Document, { relaxed: false })}`;
}

/** Deep copy of a stored document: plain objects, arrays and Dates are copied; BSON value classes are immutable and shared. */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof Binary) return new Binary(Buffer.from(value.buffer), value.sub_type) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Document = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneValue(v);
  return out as T;
}

/** The value as a JS number when it is numeric in BSON terms (int, double, long, decimal). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Decimal128) return Number(value.toString());
  return undefined;
}

/**
 * Exact decimal arithmetic for `$inc`/`$mul` on Decimal128, as MongoDB does it: through doubles
 * 0.1 + 0.2 would be stored as 0.30000000000000004.
 */
export function decimalArithmetic(a: unknown, b: unknown, op: 'add' | 'mul'): Decimal128 {
  const x = decimalParts(a);
  const y = decimalParts(b);
  if (!x || !y) {
    const [na, nb] = [asNumber(a) ?? 0, asNumber(b) ?? 0];
    return Decimal128.fromString(String(op === 'add' ? na + nb : na * nb));
  }
  if (op === 'mul') return Decimal128.fromStringWithRounding(`${x.coef * y.coef}E${x.exp + y.exp}`);
  const exp = Math.min(x.exp, y.exp);
  const sum = x.coef * 10n ** BigInt(x.exp - exp) + y.coef * 10n ** BigInt(y.exp - exp);
  return Decimal128.fromStringWithRounding(`${sum}E${exp}`);
}

/** A finite number as coefficient × 10^exp; undefined for NaN and infinities. */
function decimalParts(v: unknown): { coef: bigint; exp: number } | undefined {
  const text =
    v === null || v === undefined
      ? '0'
      : v instanceof Decimal128 || v instanceof Long || typeof v === 'number'
        ? String(v)
        : undefined;
  const m = text === undefined ? null : /^([+-]?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  return { coef: BigInt(`${m[1]}${m[2]}${fraction}`), exp: Number(m[4] ?? 0) - fraction.length };
}

/** MongoDB's BSON type names, as `$type` accepts them, by alias and by number. */
export function bsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff
      ? 'int'
      : Number.isInteger(value)
        ? 'long'
        : 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (value instanceof ObjectId) return 'objectId';
  if (value instanceof Long) return 'long';
  if (value instanceof Decimal128) return 'decimal';
  if (value instanceof Binary) return 'binData';
  if (value instanceof Timestamp) return 'timestamp';
  return 'object';
}

const TYPE_NUMBERS: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
};

export function matchesBsonType(value: unknown, wanted: unknown): boolean {
  const name = typeof wanted === 'number' ? TYPE_NUMBERS[wanted] : String(wanted);
  const actual = bsonTypeOf(value);
  if (name === 'number') return ['int', 'long', 'double', 'decimal'].includes(actual);
  // A whole-number double comes back from BSON as a JS number: treat it as both int and double.
  if (name === 'double' && typeof value === 'number') return true;
  return actual === name;
}

/** The canonical BSON comparison order of types (MongoDB's sort order across types). */
const TYPE_ORDER: Record<string, number> = {
  undefined: 0,
  null: 1,
  int: 2,
  long: 2,
  double: 2,
  decimal: 2,
  string: 3,
  object: 4,
  array: 5,
  binData: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  timestamp: 10,
  regex: 11,
};

export function typeOrder(value: unknown): number {
  return TYPE_ORDER[bsonTypeOf(value)] ?? 12;
}

/** Formats a value as MongoDB does inside an E11000 message: `{ email: "a@b" }`. */
export function formatKeyValue(doc: Document): string {
  const parts = Object.entries(doc).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return `{ ${parts.join(', ')} }`;
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype)
    return formatKeyValue(v as Document);
  return EJSON.stringify(v as Document);
}

/** Reads a dotted path without array traversal (what an index key or an `_id` needs). */
export function getPath(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Document)[part];
  }
  return cur;
}
