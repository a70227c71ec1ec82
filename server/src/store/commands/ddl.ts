import type { Document } from 'bson';
import type { CommandHandler } from '../context.ts';
import { GENERIC_COMMAND_FIELDS, documentArg, targetName } from '../context.ts';
import { StoreError, badValue, indexSpecsConflict, namespaceNotFound, notSupported } from '../errors.ts';
import { stagedDuplicate } from '../engine.ts';
import type { IndexSpec } from '../indexes.ts';
import { compileFilter } from '../mingo-adapter.ts';
import { VALIDATION_OPTIONS, checkValidationOptions } from '../validation.ts';

const SUPPORTED_INDEX_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
]);

function indexSpec(raw: Document): IndexSpec {
  const key = documentArg(raw.key, 'key');
  if (Object.keys(key).length === 0) throw badValue('Index keys cannot be empty.');
  for (const [field, dir] of Object.entries(key)) {
    if (dir !== 1 && dir !== -1)
      throw notSupported(
        `Index type ${JSON.stringify(dir)} on '${field}' is not supported by the Crewdeck embedded store (only ascending/descending)`,
      );
  }
  for (const option of Object.keys(raw)) {
    if (!SUPPORTED_INDEX_OPTIONS.has(option))
      throw notSupported(`Index option '${option}' is not supported by the Crewdeck embedded store`);
  }
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${d}`)
          .join('_');
  const spec: IndexSpec = { name, key };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression)
    spec.partialFilterExpression = documentArg(raw.partialFilterExpression, 'partialFilterExpression');
  if (typeof raw.expireAfterSeconds === 'number') spec.expireAfterSeconds = raw.expireAfterSeconds;
  return spec;
}

const sameSpec = (a: IndexSpec, b: IndexSpec) =>
  JSON.stringify({ ...a, name: '' }) === JSON.stringify({ ...b, name: '' });

const createIndexes: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  if (!Array.isArray(ctx.cmd.indexes))
    throw badValue("BSON field 'createIndexes.indexes' is missing but a required field");
  const existed = ctx.engine.collection(ctx.db, name, ctx.txn) !== undefined;
  if (ctx.txn && ctx.engine.collection(ctx.db, name))
    throw new StoreError(
      263,
      'OperationNotSupportedInTransaction',
      `Cannot create new indexes on existing collection ${ctx.db}.${name} in a multi-document transaction.`,
    );
  const coll = ctx.engine.ensureCollection(ctx.db, name, ctx.ops, {}, ctx.txn);
  const own = ctx.txn?.created.get(coll.ns) === coll;
  const before = coll.indexes.size;
  for (const raw of ctx.cmd.indexes as Document[]) {
    const spec = indexSpec(raw);
    const existing = coll.indexes.get(spec.name);
    if (existing) {
      if (existing.name === '_id_' || sameSpec(existing.spec, spec)) continue;
      throw indexSpecsConflict(
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
      );
    }
    const index = coll.addIndex(spec);
    if (index.unique) {
      // On a collection this transaction created, its documents are still staged writes.
      const staged = ctx.txn?.written(coll);
      let clash = staged ? stagedDuplicate(index, staged) : undefined;
      for (const [id, doc] of coll.docs) if (!clash && coll.findDuplicate(doc, id)) clash = doc;
      if (clash) {
        coll.indexes.delete(spec.name);
        throw index.duplicateError(coll.ns, clash);
      }
    }
    // A collection created in the transaction journals its indexes at commit.
    if (!own) ctx.ops.push({ op: 'createIndex', ns: coll.ns, spec });
  }
  return {
    createdCollectionAutomatically: !existed,
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.size,
    ok: 1,
  };
};

const listIndexes: CommandHandler = (ctx) => {
  const coll = ctx.engine.collection(ctx.db, targetName(ctx));
  if (!coll) throw namespaceNotFound(`${ctx.db}.${targetName(ctx)}`);
  const specs = [...coll.indexes.values()].map(({ spec }) => {
    const { unique, ...rest } = spec;
    return spec.name === '_id_' || !unique ? { v: 2, ...rest } : { v: 2, unique, ...rest };
  });
  return { cursor: ctx.cursors.first(coll.ns, specs, undefined), ok: 1 };
};

const dropIndexes: CommandHandler = (ctx) => {
  const coll = ctx.engine.collection(ctx.db, targetName(ctx));
  if (!coll) throw namespaceNotFound(`${ctx.db}.${targetName(ctx)}`);
  const before = coll.indexes.size;
  const wanted = ctx.cmd.index;
  const names =
    wanted === '*'
      ? [...coll.indexes.keys()].filter((n) => n !== '_id_')
      : (Array.isArray(wanted) ? wanted : [wanted]).map((w) =>
          typeof w === 'string'
            ? w
            : [...coll.indexes.values()].find((i) => JSON.stringify(i.spec.key) === JSON.stringify(w))?.name,
        );
  for (const n of names) {
    if (n === '_id_') throw badValue('cannot drop _id index');
    if (typeof n !== 'string' || !coll.indexes.delete(n))
      throw new StoreError(27, 'IndexNotFound', `index not found with name [${String(n)}]`);
    ctx.ops.push({ op: 'dropIndex', ns: coll.ns, name: n });
  }
  return { nIndexesWas: before, ok: 1 };
};

const create: CommandHandler = (ctx) => {
  const options: Document = { ...ctx.cmd };
  for (const k of ['create', ...GENERIC_COMMAND_FIELDS]) delete options[k];
  for (const k of ['capped', 'timeseries', 'clusteredIndex', 'viewOn', 'pipeline'])
    if (options[k]) throw notSupported(`create option '${k}' is not supported by the Crewdeck embedded store`);
  // Query validators are enforced on every write (see validation.ts); $jsonSchema is refused by name.
  checkValidationOptions(options);
  ctx.engine.createCollection(ctx.db, targetName(ctx), options, ctx.ops, ctx.txn);
  return { ok: 1 };
};

const COLLMOD_ENVELOPE = new Set(['collMod', ...GENERIC_COMMAND_FIELDS]);

/** collMod changes the validation options; any other option (TTL, views, hidden indexes…) is refused by name. */
const collMod: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const coll = ctx.engine.collection(ctx.db, name);
  if (!coll) throw namespaceNotFound(`${ctx.db}.${name}`);
  const changes: Document = {};
  for (const [k, v] of Object.entries(ctx.cmd)) {
    if (COLLMOD_ENVELOPE.has(k)) continue;
    if (!(VALIDATION_OPTIONS as readonly string[]).includes(k))
      throw notSupported(`collMod option '${k}' is not supported by the Crewdeck embedded store`);
    changes[k] = v;
  }
  checkValidationOptions(changes);
  const options: Document = { ...coll.options, ...changes };
  if (options.validator && Object.keys(options.validator as Document).length === 0) delete options.validator;
  coll.options = options;
  ctx.ops.push({ op: 'collMod', ns: coll.ns, options });
  return { ok: 1 };
};

const drop: CommandHandler = (ctx) => {
  const name = targetName(ctx);
  const coll = ctx.engine.collection(ctx.db, name);
  const nIndexesWas = coll?.indexes.size ?? 0;
  if (!ctx.engine.dropCollection(ctx.db, name, ctx.ops)) throw namespaceNotFound(`${ctx.db}.${name}`);
  return { nIndexesWas, ns: `${ctx.db}.${name}`, ok: 1 };
};

const dropDatabase: CommandHandler = (ctx) => {
  ctx.engine.dropDatabase(ctx.db, ctx.ops);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: CommandHandler = (ctx) => {
  const colls = [...(ctx.engine.databases.get(ctx.db)?.values() ?? [])];
  let infos: Document[] = colls.map((c) => ({
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
  const filter = documentArg(ctx.cmd.filter, 'filter');
  if (Object.keys(filter).length) infos = infos.filter((i) => compileFilter(filter).test(i));
  if (ctx.cmd.nameOnly) infos = infos.map((i) => ({ name: i.name, type: i.type }));
  return { cursor: ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, infos, undefined), ok: 1 };
};

const listDatabases: CommandHandler = (ctx) => {
  const databases = [...ctx.engine.databases.keys()].map((name) => ({ name, sizeOnDisk: 0, empty: false }));
  return ctx.cmd.nameOnly
    ? { databases: databases.map(({ name }) => ({ name })), ok: 1 }
    : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const collStats: CommandHandler = (ctx) => {
  const coll = ctx.engine.collection(ctx.db, targetName(ctx));
  if (!coll) throw namespaceNotFound(`${ctx.db}.${targetName(ctx)}`);
  return { ns: coll.ns, count: coll.docs.size, nindexes: coll.indexes.size, ok: 1 };
};

export const ddlCommands: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  create,
  collMod,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  collStats,
};
