import { Decimal128, EJSON, Long, ObjectId, type Document } from 'bson';
import { update as mingoUpdate } from 'mingo';
import { badValue, conflictingUpdate, failedToParse, immutableField, pathNotViable, typeMismatch } from './errors.ts';
import { mingoContext, runPipeline } from './mingo-adapter.ts';
import { equalityConditions } from './indexes.ts';
import { asNumber, bsonTypeOf, cloneValue, decimalArithmetic, valueKey } from './values.ts';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
  '$currentDate',
  '$bit',
  '$setOnInsert',
]);
const NUMERIC = new Set(['$inc', '$mul']);
const ARRAY_APPEND = new Set(['$push', '$addToSet']);
const ARRAY_REMOVE = new Set(['$pull', '$pullAll', '$pop']);

export type UpdateSpec = Document | Document[];

export function isOperatorUpdate(update: UpdateSpec): update is Document {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length < keys.length)
    throw failedToParse(
      `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  return ops.length > 0;
}

/**
 * Returns the updated copy of `doc` (never mutating it), applying MongoDB's checks that mingo
 * skips: unknown and conflicting operators, type errors, paths through scalars, immutable `_id`.
 */
export function applyUpdate(
  doc: Document,
  update: UpdateSpec,
  options: { arrayFilters?: Document[]; filter?: Document; inserting?: boolean; variables?: Document } = {},
): Document {
  if (Array.isArray(update)) return applyPipeline(doc, update, options.variables);
  if (!isOperatorUpdate(update)) return applyReplacement(doc, update);
  const modifier = normalizeModifier(update, options.inserting === true);
  checkConflicts(modifier);
  if (!options.inserting) guardId(doc, modifier);
  const next = cloneValue(doc);
  rewriteWideNumbers(next, modifier);
  checkTypes(next, modifier);
  // mingo applies the modifier only when the document matches `condition`, and an upsert's seed
  // rarely matches its own filter (`{qty: {$gt: 1}}`): hand the filter over only for the positional `$`.
  const positional = targetPaths(modifier).some((p) => p.split('.').includes('$'));
  if (positional && options.inserting)
    throw badValue('The positional operator did not find the match needed from the query.');
  try {
    if (Object.keys(modifier).length > 0) {
      mingoUpdate(next, modifier, options.arrayFilters, positional ? options.filter : undefined, {
        cloneMode: 'deep',
        queryOptions: { context: mingoContext },
      });
    }
  } catch (err) {
    throw badValue(err instanceof Error ? err.message : String(err));
  }
  assertSameId(doc, next);
  return next;
}

function normalizeModifier(update: Document, inserting: boolean): Document {
  const modifier: Document = {};
  for (const [op, fields] of Object.entries(update)) {
    if (!OPERATORS.has(op))
      throw failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    if (!fields || typeof fields !== 'object' || Array.isArray(fields))
      throw failedToParse(
        `Modifiers operate on fields but we found type ${bsonTypeOf(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${EJSON.stringify(fields as Document)}}`,
      );
    if (op === '$setOnInsert') {
      if (inserting) modifier.$set = { ...(modifier.$set as Document | undefined), ...(fields as Document) };
      continue;
    }
    if (Object.keys(fields as Document).length === 0) continue;
    modifier[op] = op === '$set' ? { ...(modifier.$set as Document | undefined), ...(fields as Document) } : fields;
  }
  return modifier;
}

function targetPaths(modifier: Document): string[] {
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, arg] of Object.entries(fields as Document)) {
      paths.push(path);
      if (op === '$rename' && typeof arg === 'string') paths.push(arg);
    }
  }
  return paths;
}

function checkConflicts(modifier: Document): void {
  const paths = targetPaths(modifier).map((p) => p.split('.').filter((s) => !s.startsWith('$')));
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < paths.length; j++) {
      if (i === j) continue;
      const [a, b] = [paths[i], paths[j]];
      if (a.length <= b.length && a.every((seg, k) => seg === b[k])) {
        throw conflictingUpdate(`Updating the path '${b.join('.')}' would create a conflict at '${a.join('.')}'`);
      }
    }
  }
}

/** Reads a dotted path as far as it exists; `blocked` tells whether a scalar stands in the way. */
function walk(doc: Document, path: string): { value: unknown; blocked?: { at: string; element: unknown } } {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith('$')) return { value: undefined };
    if (cur === undefined || cur === null) return { value: undefined };
    // A scalar, or an array addressed by a field name instead of an index, cannot hold the field.
    const namedInArray = Array.isArray(cur) && !/^\d+$/.test(parts[i]);
    if (
      namedInArray ||
      typeof cur !== 'object' ||
      cur instanceof Date ||
      cur instanceof ObjectId ||
      (bsonTypeOf(cur) !== 'object' && !Array.isArray(cur))
    ) {
      return { value: undefined, blocked: { at: parts[i], element: { [parts[i - 1]]: cur } } };
    }
    cur = (cur as Document)[parts[i]];
  }
  return { value: cur };
}

function describe(doc: Document): string {
  return `{_id: ${EJSON.stringify({ v: doc._id }).slice(5, -1)}}`;
}

function checkTypes(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, arg] of Object.entries(fields as Document)) {
      const { value, blocked } = walk(doc, path);
      if (blocked && op !== '$unset' && !ARRAY_REMOVE.has(op)) {
        throw pathNotViable(
          `Cannot create field '${blocked.at}' in element ${EJSON.stringify(blocked.element as Document)}`,
        );
      }
      if (NUMERIC.has(op)) {
        if (asNumber(arg) === undefined)
          throw typeMismatch(
            `Cannot increment with non-numeric argument: {${path}: ${EJSON.stringify({ v: arg }).slice(5, -1)}}`,
          );
        if (value !== undefined && value !== null && asNumber(value) === undefined) {
          throw typeMismatch(
            `Cannot apply ${op} to a value of non-numeric type. ${describe(doc)} has the field '${path}' of non-numeric type ${bsonTypeOf(value)}`,
          );
        }
      }
      if (ARRAY_APPEND.has(op) && value !== undefined && !Array.isArray(value)) {
        throw badValue(
          `The field '${path}' must be an array but is of type ${bsonTypeOf(value)} in document ${describe(doc)}`,
        );
      }
      if (ARRAY_REMOVE.has(op) && value !== undefined && value !== null && !Array.isArray(value)) {
        throw op === '$pop'
          ? typeMismatch(`Path '${path}' contains an element of non-array type '${bsonTypeOf(value)}'`)
          : badValue(`Cannot apply ${op} to a non-array value`);
      }
    }
  }
}

/** `_id` is immutable: `$set` to its own value is a no-op, any other write to it is ImmutableField (66). */
function guardId(doc: Document, modifier: Document): void {
  for (const [op, fields] of Object.entries(modifier)) {
    for (const [path, arg] of Object.entries(fields as Document)) {
      if (path !== '_id' && !path.startsWith('_id.')) continue;
      if (op === '$set' && path === '_id' && valueKey(arg) === valueKey(doc._id)) {
        delete (fields as Document)[path]; // normalizeModifier made $set a copy
        continue;
      }
      throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
    }
  }
  if (modifier.$set && Object.keys(modifier.$set as Document).length === 0) delete modifier.$set;
}

/**
 * mingo's `$inc`/`$mul` ignore Long and Decimal128: compute those here and hand mingo a `$set`.
 * Longs stay exact 64-bit integers; decimals use exact decimal arithmetic (0.1 + 0.2 is 0.3).
 */
function rewriteWideNumbers(doc: Document, modifier: Document): void {
  for (const op of ['$inc', '$mul'] as const) {
    const fields = modifier[op] as Document | undefined;
    if (!fields) continue;
    const rest: Document = {};
    for (const [path, arg] of Object.entries(fields)) {
      const { value } = walk(doc, path);
      const result = wideResult(op, value, arg);
      if (result === undefined) rest[path] = arg;
      else modifier.$set = { ...(modifier.$set as Document | undefined), [path]: result };
    }
    if (Object.keys(rest).length) modifier[op] = rest;
    else delete modifier[op];
  }
}

function wideResult(op: '$inc' | '$mul', value: unknown, arg: unknown): Long | Decimal128 | undefined {
  if (value instanceof Decimal128 || arg instanceof Decimal128) {
    if (asNumber(arg) === undefined || (value != null && asNumber(value) === undefined)) return undefined; // checkTypes reports it
    const current = value ?? (op === '$mul' ? 0 : 0);
    return op === '$inc' ? decimalArithmetic(current, arg, 'add') : decimalArithmetic(current, arg, 'mul');
  }
  if (!(value instanceof Long || arg instanceof Long)) return undefined;
  const integer = (v: unknown) => v instanceof Long || (typeof v === 'number' && Number.isInteger(v));
  if (!integer(arg) || (value != null && !integer(value))) return undefined;
  const current = value instanceof Long ? value : Long.fromNumber((value as number | null | undefined) ?? 0);
  const by = arg instanceof Long ? arg : Long.fromNumber(arg as number);
  if (value == null && op === '$mul') return Long.ZERO;
  return op === '$inc' ? current.add(by) : current.multiply(by);
}

function applyReplacement(doc: Document, replacement: Document): Document {
  const next: Document = { _id: doc._id };
  for (const [k, v] of Object.entries(replacement)) if (k !== '_id') next[k] = cloneValue(v);
  if ('_id' in replacement && doc._id !== undefined && valueKey(replacement._id) !== valueKey(doc._id)) {
    throw immutableField(
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${EJSON.stringify({ v: replacement._id }).slice(5, -1)}`,
    );
  }
  if (doc._id === undefined) next._id = replacement._id;
  return next;
}

function applyPipeline(doc: Document, pipeline: Document[], variables?: Document): Document {
  const allowed = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (!allowed.has(name)) throw badValue(`${name} is not allowed to be used within an update`);
  }
  const [next] = runPipeline([cloneValue(doc)], pipeline, () => [], variables);
  if (next._id === undefined) next._id = doc._id;
  assertSameId(doc, next);
  return next;
}

function assertSameId(before: Document, after: Document): void {
  if (before._id !== undefined && valueKey(before._id) !== valueKey(after._id)) {
    throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
  }
}

/** The document an upsert starts from: the query's equality fields (MongoDB seeds them). */
export function upsertSeed(filter: Document): Document {
  const seed: Document = {};
  for (const [path, values] of equalityConditions(filter)) {
    if (values.length !== 1) continue;
    setPath(seed, path, cloneValue(values[0]));
  }
  // Equality to null seeds the field with null too (`{_id: null}` upserts `_id: null`, not an ObjectId).
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith('$') || field in seed) continue;
    const isNullEq =
      cond === null ||
      (cond !== null &&
        typeof cond === 'object' &&
        Object.getPrototypeOf(cond) === Object.prototype &&
        Object.keys(cond as Document).length === 1 &&
        (cond as Document).$eq === null);
    if (isNullEq) setPath(seed, field, null);
  }
  return seed;
}

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (!cur[part] || typeof cur[part] !== 'object') cur[part] = {};
    cur = cur[part] as Document;
  }
  cur[parts[parts.length - 1]] = value;
}
