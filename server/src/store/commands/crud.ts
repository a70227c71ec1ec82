import { BSON, ObjectId, type Document } from 'bson';
import type { CommandContext, CommandHandler } from '../context.ts';
import { documentArg, numberArg, targetName } from '../context.ts';
import { StoreError, badValue, toStoreError, tooLarge, updateTooLarge } from '../errors.ts';
import { evaluateLet, project } from '../mingo-adapter.ts';
import { pathValues, sortDocuments } from '../order.ts';
import { applyUpdate, isOperatorUpdate, upsertSeed, type UpdateSpec } from '../update.ts';
import { validateDocument } from '../validation.ts';
import { valueKey } from '../values.ts';

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;
const MAX_BSON_BYTES = 16 * 1024 * 1024;

/**
 * An update may grow a document past 16 MB: refuse it as MongoDB does, or it could never be
 * read back (nor journaled) in one BSON document.
 */
function checkUpdatedSize(doc: Document): Document {
  if (BSON.calculateObjectSize(doc) > MAX_BSON_BYTES) throw updateTooLarge();
  return doc;
}

function ns(ctx: CommandContext, name: string): string {
  return `${ctx.db}.${name}`;
}

const isPlainObject = (v: unknown): v is Document =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** MongoDB refuses an array `_id` and `$`-prefixed field names anywhere inside `_id` (InvalidIdField, 53). */
function checkId(id: unknown): void {
  if (Array.isArray(id)) throw new StoreError(53, 'InvalidIdField', "The '_id' value cannot be of type array");
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!isPlainObject(v)) return;
    for (const [k, inner] of Object.entries(v)) {
      if (k.startsWith('$'))
        throw new StoreError(
          53,
          'InvalidIdField',
          `_id fields may not contain '$'-prefixed fields: ${k} is not valid for storage.`,
        );
      visit(inner);
    }
  };
  visit(id);
}

function withIdFirst(doc: Document): Document {
  checkId(doc._id);
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function sameDocument(a: Document, b: Document): boolean {
  return Buffer.from(BSON.serialize(a)).equals(Buffer.from(BSON.serialize(b)));
}

function writeError(index: number, err: unknown): Document {
  const e = toStoreError(err);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

const bypassValidation = (ctx: CommandContext) => ctx.cmd.bypassDocumentValidation === true;

/** The command's `let` variables, evaluated (see evaluateLet). */
function commandVariables(ctx: CommandContext): Document | undefined {
  return evaluateLet(documentArg(ctx.cmd.let, 'let'));
}

/** The fields MongoDB 7.0 knows on an update / delete statement; any other is refused by name (40415). */
const STATEMENT_FIELDS: Record<string, Set<string>> = {
  update: new Set(['q', 'u', 'upsert', 'multi', 'arrayFilters', 'collation', 'hint', 'c', 'upsertSupplied']),
  delete: new Set(['q', 'limit', 'collation', 'hint']),
};

function checkStatementFields(command: 'update' | 'delete', statements: unknown[]): void {
  const known = STATEMENT_FIELDS[command];
  const list = command === 'update' ? 'updates' : 'deletes';
  for (const st of statements) {
    for (const field of Object.keys(documentArg(st, list))) {
      if (!known.has(field))
        throw new StoreError(40415, 'Location40415', `BSON field '${command}.${list}.${field}' is an unknown field.`);
    }
  }
}

/** Matching documents, sorted, skipped and limited as a find or findAndModify asks. */
function select(
  ctx: CommandContext,
  name: string,
  filter: Document,
  sort?: Document,
  skip = 0,
  limit = 0,
  variables?: Document,
): Document[] {
  const coll = ctx.engine.collection(ctx.db, name, ctx.txn);
  const sorted = sort && Object.keys(sort).length > 0;
  // Sort + limit on an indexed field walks the index (e.g. "latest entry by seq") instead of sorting all.
  const walked =
    sorted && limit !== 0
      ? ctx.engine.findSorted(coll, filter, sort, skip + Math.abs(limit), ctx.txn, variables)
      : undefined;
  if (walked) return walked.slice(skip);
  // Unsorted with a limit: stop testing candidates once skip + limit of them matched.
  const max = !sorted && limit !== 0 ? skip + Math.abs(limit) : Number.POSITIVE_INFINITY;
  let docs = ctx.engine.find(coll, filter, ctx.txn, variables, max);
  if (sorted) docs = sortDocuments(docs, sort);
  if (skip > 0) docs = docs.slice(skip);
  if (limit !== 0) docs = docs.slice(0, Math.abs(limit));
  return docs;
}

const find: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const { cmd } = ctx;
  const limit = numberArg(cmd.limit, 'limit') ?? 0;
  let docs = select(
    ctx,
    name,
    documentArg(cmd.filter, 'filter'),
    documentArg(cmd.sort, 'sort'),
    numberArg(cmd.skip, 'skip') ?? 0,
    limit,
    commandVariables(ctx),
  );
  const projection = documentArg(cmd.projection, 'projection');
  if (Object.keys(projection).length) docs = project(docs, projection);
  const single = cmd.singleBatch === true || limit < 0;
  return { cursor: ctx.cursors.first(ns(ctx, name), docs, numberArg(cmd.batchSize, 'batchSize'), single), ok: 1 };
};

const insert: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const docs = ctx.cmd.documents;
  if (!Array.isArray(docs)) throw badValue("BSON field 'insert.documents' is missing but a required field");
  const coll = ctx.engine.ensureCollection(ctx.db, name, ctx.ops, {}, ctx.txn);
  const ordered = ctx.cmd.ordered !== false;
  const writeErrors: Document[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      const size = BSON.calculateObjectSize(docs[i] as Document);
      if (size > MAX_DOCUMENT_BYTES) throw tooLarge(size);
      const doc = withIdFirst(documentArg(docs[i], 'documents'));
      validateDocument(coll, doc, undefined, bypassValidation(ctx));
      ctx.engine.insert(coll, doc, ctx.ops, ctx.txn);
      n++;
    } catch (err) {
      if (ctx.txn) throw err;
      writeErrors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

/** Inserts the document an upsert creates; returns its `_id`. */
function upsertInsert(
  ctx: CommandContext,
  name: string,
  filter: Document,
  update: UpdateSpec,
  arrayFilters?: Document[],
  variables?: Document,
): Document {
  const coll = ctx.engine.ensureCollection(ctx.db, name, ctx.ops, {}, ctx.txn);
  const seed = upsertSeed(filter);
  const created =
    Array.isArray(update) || isOperatorUpdate(update)
      ? applyUpdate(seed, update, { inserting: true, arrayFilters, filter, variables })
      : applyUpdate({ _id: seed._id }, update);
  const doc = checkUpdatedSize(withIdFirst(created));
  validateDocument(coll, doc, undefined, bypassValidation(ctx));
  ctx.engine.insert(coll, doc, ctx.ops, ctx.txn);
  return doc;
}

interface UpdateStatement {
  q: Document;
  u: UpdateSpec;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  c?: Document;
}

function runUpdate(
  ctx: CommandContext,
  name: string,
  st: UpdateStatement,
  commandVars?: Document,
): { n: number; modified: number; upsertedId?: unknown } {
  // A statement's constants `c` add to the command's `let`.
  const constants = documentArg(st.c, 'update.updates.c');
  const variables = Object.keys(constants).length ? { ...commandVars, ...constants } : commandVars;
  if (!st.u || typeof st.u !== 'object')
    throw badValue("BSON field 'update.updates.u' is missing but a required field");
  const filter = documentArg(st.q, 'q');
  if (st.multi && !Array.isArray(st.u) && !isOperatorUpdate(st.u))
    throw new StoreError(9, 'FailedToParse', 'multi update is not supported for replacement-style update');
  const matches = select(ctx, name, filter, undefined, 0, st.multi ? 0 : 1, variables);
  if (matches.length === 0 && st.upsert) {
    return { n: 1, modified: 0, upsertedId: upsertInsert(ctx, name, filter, st.u, st.arrayFilters, variables)._id };
  }
  const coll = ctx.engine.collection(ctx.db, name, ctx.txn);
  let modified = 0;
  for (const doc of matches) {
    const next = applyUpdate(doc, st.u, { arrayFilters: st.arrayFilters, filter, variables });
    if (sameDocument(doc, next) || !coll) continue;
    checkUpdatedSize(next);
    validateDocument(coll, next, doc, bypassValidation(ctx));
    ctx.engine.put(coll, next, ctx.ops, ctx.txn);
    modified++;
  }
  return { n: matches.length, modified };
}

const update: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const statements = ctx.cmd.updates;
  if (!Array.isArray(statements)) throw badValue("BSON field 'update.updates' is missing but a required field");
  checkStatementFields('update', statements);
  const variables = commandVariables(ctx);
  const ordered = ctx.cmd.ordered !== false;
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < statements.length; i++) {
    try {
      const result = runUpdate(ctx, name, statements[i] as UpdateStatement, variables);
      n += result.n;
      nModified += result.modified;
      if (result.upsertedId !== undefined) upserted.push({ index: i, _id: result.upsertedId });
    } catch (err) {
      if (ctx.txn) throw err;
      writeErrors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  const reply: Document = { n, nModified, ok: 1 };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
};

const del: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const statements = ctx.cmd.deletes;
  if (!Array.isArray(statements)) throw badValue("BSON field 'delete.deletes' is missing but a required field");
  checkStatementFields('delete', statements);
  const variables = commandVariables(ctx);
  const coll = ctx.engine.collection(ctx.db, name, ctx.txn);
  let n = 0;
  for (const st of statements as Document[]) {
    const limit = Number(st.limit) === 1 ? 1 : 0;
    const matches = select(ctx, name, documentArg(st.q, 'q'), undefined, 0, limit, variables);
    for (const doc of matches) if (coll) ctx.engine.delete(coll, doc, ctx.ops, ctx.txn);
    n += matches.length;
  }
  return { n, ok: 1 };
};

const findAndModify: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const { cmd } = ctx;
  const filter = documentArg(cmd.query, 'query');
  const variables = commandVariables(ctx);
  const [doc] = select(ctx, name, filter, documentArg(cmd.sort, 'sort'), 0, 1, variables);
  const fields = documentArg(cmd.fields, 'fields');
  const shape = (d: Document | null | undefined) =>
    d && Object.keys(fields).length ? project([d], fields)[0] : (d ?? null);
  const coll = ctx.engine.collection(ctx.db, name, ctx.txn);
  if (cmd.remove === true) {
    if (doc && coll) ctx.engine.delete(coll, doc, ctx.ops, ctx.txn);
    return { lastErrorObject: { n: doc ? 1 : 0 }, value: shape(doc), ok: 1 };
  }
  const spec = cmd.update as UpdateSpec | undefined;
  if (!spec || typeof spec !== 'object')
    throw new StoreError(9, 'FailedToParse', 'Either an update or remove=true must be specified');
  const arrayFilters = cmd.arrayFilters as Document[] | undefined;
  if (doc && coll) {
    const next = applyUpdate(doc, spec, { arrayFilters, filter, variables });
    if (!sameDocument(doc, next)) {
      validateDocument(coll, next, doc, bypassValidation(ctx));
      ctx.engine.put(coll, checkUpdatedSize(next), ctx.ops, ctx.txn);
    }
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(cmd.new ? next : doc), ok: 1 };
  }
  if (cmd.upsert === true) {
    const created = upsertInsert(ctx, name, filter, spec, arrayFilters, variables);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id },
      value: cmd.new ? shape(created) : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

const count: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  if (ctx.txn)
    throw new StoreError(
      263,
      'OperationNotSupportedInTransaction',
      "Cannot run 'count' in a multi-document transaction. Please see http://dochub.mongodb.org/core/transaction-count for a recommended alternative.",
    );
  const docs = select(
    ctx,
    name,
    documentArg(ctx.cmd.query, 'query'),
    undefined,
    numberArg(ctx.cmd.skip, 'skip') ?? 0,
    numberArg(ctx.cmd.limit, 'limit') ?? 0,
  );
  return { n: docs.length, ok: 1 };
};

const distinct: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  if (typeof ctx.cmd.key !== 'string') throw badValue("BSON field 'distinct.key' is missing but a required field");
  const seen = new Map<string, unknown>();
  for (const doc of select(ctx, name, documentArg(ctx.cmd.query, 'query'))) {
    for (const v of pathValues(doc, ctx.cmd.key.split('.')).flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (v !== undefined && !seen.has(valueKey(v))) seen.set(valueKey(v), v);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

const getMore: CommandHandler = (ctx) => ({
  cursor: ctx.cursors.next(ctx.cmd.getMore, numberArg(ctx.cmd.batchSize, 'batchSize')),
  ok: 1,
});

const killCursors: CommandHandler = (ctx) => ctx.cursors.kill(Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors : []);

export const crudCommands: Record<string, CommandHandler> = {
  find,
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
  count,
  distinct,
  getMore,
  killCursors,
};
