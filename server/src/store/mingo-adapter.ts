/**
 * The one place where mingo is configured. mingo gives MongoDB's query, projection, update and
 * aggregation semantics; this adapter fixes where it differs from MongoDB (see tests/store/adapter.test.ts):
 * `$type` knows BSON classes, comparisons and equality treat int/double/long/decimal as one
 * numeric bracket, expression comparisons follow the BSON order, and `$sort` orders arrays and
 * mixed types as MongoDB does.
 */
import { Context, ProcessingMode } from 'mingo';
import { evalExpr } from 'mingo/core';
import { Aggregator } from 'mingo/aggregator';
import { Lazy } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import { resolve } from 'mingo/util';
import { Decimal128, Long, type Document } from 'bson';
import { compareValues, sortDocuments } from './order.ts';
import { asNumber, decimalArithmetic, matchesBsonType, typeOrder } from './values.ts';

type Predicate = (doc: unknown) => boolean;

function valuesAt(doc: unknown, selector: string): unknown[] {
  const found = resolve(doc as Document, selector, { unwrapArray: true });
  return Array.isArray(found) ? [found, ...found] : [found];
}

function comparison(test: (c: number) => boolean) {
  return (selector: string, value: unknown): Predicate =>
    (doc) =>
      valuesAt(doc, selector).some(
        (v) => v !== undefined && typeOrder(v) === typeOrder(value) && test(compareValues(v, value)),
      );
}

const isNumeric = (v: unknown) => asNumber(v) !== undefined;

/** Numeric equality across int/double/long/decimal, as MongoDB compares numbers by value. */
function numericMatch(selector: string, numbers: unknown[]): Predicate {
  return (doc) => valuesAt(doc, selector).some((v) => isNumeric(v) && numbers.some((n) => compareValues(v, n) === 0));
}

// mingo's equality is structural, so Decimal128('5') never equals 5: numbers are matched here, the rest by mingo.
const mingoQuery = queryOperators as unknown as Record<
  string,
  (selector: string, value: unknown, options: unknown) => Predicate
>;

function eqOperator(selector: string, value: unknown, options: unknown): Predicate {
  return isNumeric(value) ? numericMatch(selector, [value]) : mingoQuery.$eq(selector, value, options);
}

function inOperator(selector: string, value: unknown, options: unknown): Predicate {
  if (!Array.isArray(value)) return mingoQuery.$in(selector, value, options);
  const numbers = value.filter(isNumeric);
  const others = value.filter((v) => !isNumeric(v));
  if (numbers.length === 0) return mingoQuery.$in(selector, value, options);
  const byNumber = numericMatch(selector, numbers);
  const byOther = others.length ? mingoQuery.$in(selector, others, options) : () => false;
  return (doc) => byNumber(doc) || byOther(doc);
}

const negate =
  (make: (s: string, v: unknown, o: unknown) => Predicate) =>
  (selector: string, value: unknown, options: unknown): Predicate => {
    const p = make(selector, value, options);
    return (doc) => !p(doc);
  };

/** `$mod` matches numbers only (mingo coerces strings and booleans with `%`). */
function modOperator(selector: string, value: unknown, options: unknown): Predicate {
  const p = mingoQuery.$mod(selector, value, options);
  return (doc) => valuesAt(doc, selector).some(isNumeric) && p(doc);
}

/** Aggregation comparisons (`$expr`, `$cond`...) in MongoDB's BSON order, across types too. */
function expressionComparison(test: (c: number) => boolean | number) {
  return (obj: unknown, expr: unknown, options: unknown) => {
    if (!Array.isArray(expr) || expr.length !== 2)
      throw new Error('comparison expressions expect an array of 2 arguments');
    const [a, b] = evalExpr(obj, expr, options as Parameters<typeof evalExpr>[2]) as unknown[];
    return test(compareValues(a, b));
  };
}

type Accumulator = (coll: unknown[], expr: unknown, options: unknown) => unknown;
const mingoAccumulators = accumulatorOperators as unknown as Record<string, Accumulator>;

/** Sum of the numeric values of every BSON type (mingo's `$sum`/`$avg` skip Long and Decimal128). */
function wideSum(values: unknown[]): number | Long | Decimal128 {
  if (values.some((v) => v instanceof Decimal128))
    return values.reduce<Decimal128>((acc, v) => decimalArithmetic(acc, v, 'add'), Decimal128.fromString('0'));
  if (values.some((v) => v instanceof Long) && values.every((v) => v instanceof Long || Number.isInteger(v))) {
    return values.reduce<Long>((acc, v) => acc.add(v instanceof Long ? v : Long.fromNumber(v as number)), Long.ZERO);
  }
  return values.reduce<number>((acc, v) => acc + (asNumber(v) as number), 0);
}

const sumAccumulator: Accumulator = (coll, expr, options) => {
  if (typeof expr === 'number') return coll.length * expr;
  return wideSum((mingoAccumulators.$push(coll, expr, options) as unknown[]).filter(isNumeric));
};

const avgAccumulator: Accumulator = (coll, expr, options) => {
  const values = (mingoAccumulators.$push(coll, expr, options) as unknown[]).filter(isNumeric);
  if (values.length === 0) return null;
  const sum = wideSum(values);
  const avg = (asNumber(sum) as number) / values.length;
  return sum instanceof Decimal128 ? Decimal128.fromString(String(avg)) : avg;
};

/** `$min`/`$max` accumulators in the BSON order (mingo's order does not know Decimal128 or Long). */
function extremeAccumulator(sign: 1 | -1): Accumulator {
  return (coll, expr, options) => {
    const values = (mingoAccumulators.$push(coll, expr, options) as unknown[]).filter(
      (v) => v !== null && v !== undefined,
    );
    if (values.length === 0) return null;
    return values.reduce((best, v) => (compareValues(v, best) * sign > 0 ? v : best));
  };
}

function typeOperator(selector: string, value: unknown): Predicate {
  const wanted = Array.isArray(value) ? value : [value];
  return (doc) => {
    const found = resolve(doc as Document, selector, { unwrapArray: true });
    if (found === undefined) return false;
    const candidates = Array.isArray(found) ? [found, ...found] : [found];
    return candidates.some((v) => wanted.some((t) => matchesBsonType(v, t)));
  };
}

// The Lazy iterator's `transform` hands over the whole array, which is what a stable multi-key sort needs.
type LazyIterator = { transform(fn: (docs: Document[]) => unknown): unknown };
function sortStage(coll: LazyIterator, spec: Record<string, unknown>, options: { collation?: unknown }) {
  if (options.collation) return (pipelineOperators.$sort as (...args: unknown[]) => unknown)(coll, spec, options);
  return coll.transform((docs) => Lazy(sortDocuments(docs, spec)));
}

const context = Context.init({
  accumulator: {
    ...accumulatorOperators,
    $sum: sumAccumulator,
    $avg: avgAccumulator,
    $max: extremeAccumulator(1),
    $min: extremeAccumulator(-1),
  } as typeof accumulatorOperators,
  expression: {
    ...expressionOperators,
    $eq: expressionComparison((c) => c === 0),
    $ne: expressionComparison((c) => c !== 0),
    $gt: expressionComparison((c) => c > 0),
    $gte: expressionComparison((c) => c >= 0),
    $lt: expressionComparison((c) => c < 0),
    $lte: expressionComparison((c) => c <= 0),
    $cmp: expressionComparison((c) => Math.sign(c)),
  } as typeof expressionOperators,
  pipeline: { ...pipelineOperators, $sort: sortStage } as typeof pipelineOperators,
  projection: projectionOperators,
  query: {
    ...queryOperators,
    $type: typeOperator,
    $eq: eqOperator,
    $ne: negate(eqOperator),
    $in: inOperator,
    $nin: negate(inOperator),
    $mod: modOperator,
    $gt: comparison((c) => c > 0),
    $gte: comparison((c) => c >= 0),
    $lt: comparison((c) => c < 0),
    $lte: comparison((c) => c <= 0),
  } as typeof queryOperators,
  window: windowOperators,
});

const baseOptions = {
  context,
  idKey: '_id',
  useStrictMode: true,
  scriptEnabled: false,
  processingMode: ProcessingMode.CLONE_OFF,
};

/** `variables` are a command's `let` (reached as `$$name` in `$expr`). */
export function compileFilter(filter: Document, variables?: Document): Query<Document> {
  return new Query(filter, variables ? { ...baseOptions, variables } : baseOptions);
}

export function runPipeline(
  docs: Document[],
  pipeline: Document[],
  resolveCollection: (name: string) => Document[],
  variables?: Document,
): Document[] {
  const aggregator = new Aggregator(pipeline, {
    ...baseOptions,
    ...(variables ? { variables } : {}),
    processingMode: ProcessingMode.CLONE_INPUT,
    collectionResolver: resolveCollection,
  });
  return aggregator.run(docs) as Document[];
}

/**
 * A command's `let`: each value is an expression evaluated once, before the command runs
 * (`{ total: { $add: [1, 2] } }` binds `$$total` to 3); undefined when there is none.
 */
export function evaluateLet(letDoc: Document | undefined): Document | undefined {
  if (!letDoc || Object.keys(letDoc).length === 0) return undefined;
  const [vars] = runPipeline([{}], [{ $replaceWith: letDoc }], () => []);
  return vars;
}

/**
 * The common projection — top-level fields included (`{ name: 1, phones: 1 }`, `_id` kept unless
 * `_id: 0`) — picked directly: going through mingo costs more than the query that found them.
 */
function simpleInclusion(projection: Document): { fields: Set<string>; withId: boolean } | null {
  const fields = new Set<string>();
  let withId = true;
  for (const [key, value] of Object.entries(projection)) {
    if (key === '_id' && (value === 0 || value === false)) {
      withId = false;
      continue;
    }
    if (key.includes('.') || key.startsWith('$') || (value !== 1 && value !== true)) return null;
    fields.add(key);
  }
  return fields.size ? { fields, withId } : null;
}

/** mingo emits projected fields in projection order with `_id` last; MongoDB keeps the document's order. */
export function project(docs: Document[], projection: Document): Document[] {
  const simple = simpleInclusion(projection);
  if (simple) {
    return docs.map((doc) => {
      const out: Document = {};
      for (const key of Object.keys(doc))
        if (simple.fields.has(key) || (key === '_id' && simple.withId)) out[key] = doc[key];
      return out;
    });
  }
  const out = compileFilter({}).find(docs, projection).all() as Document[];
  return out.map((doc, i) => inSourceOrder(doc, docs[i]) as Document);
}

const isPlain = (v: unknown): v is Document =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Fields the source has come in its order; computed fields follow in the projection's order. */
function inSourceOrder(projected: unknown, source: unknown): unknown {
  if (Array.isArray(projected) && Array.isArray(source)) return projected.map((v, i) => inSourceOrder(v, source[i]));
  if (!isPlain(projected) || !isPlain(source)) return projected;
  const out: Document = {};
  for (const key of Object.keys(source)) if (key in projected) out[key] = inSourceOrder(projected[key], source[key]);
  for (const key of Object.keys(projected)) if (!(key in out)) out[key] = projected[key];
  return out;
}

export { context as mingoContext, baseOptions as mingoOptions };
