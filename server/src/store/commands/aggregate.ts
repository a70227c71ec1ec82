import type { Document } from 'bson';
import type { CommandHandler } from '../context.ts';
import { numberArg } from '../context.ts';
import { StoreError, badValue, notSupported } from '../errors.ts';
import { documentArg } from '../context.ts';
import { evaluateLet, runPipeline } from '../mingo-adapter.ts';

/** Stages that write or need features the store does not have: refused by name, never ignored. */
const UNSUPPORTED_STAGES = new Set([
  '$out',
  '$merge',
  '$changeStream',
  '$geoNear',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$planCacheStats',
]);

const aggregate: CommandHandler = (ctx) => {
  const { cmd, engine } = ctx;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  for (const stage of pipeline as Document[]) {
    const name = Object.keys(stage ?? {})[0];
    if (name === '$changeStream')
      throw new StoreError(
        40573,
        'Location40573',
        'Change streams ($changeStream, Model.watch(), collection.watch()) are not supported by the Crewdeck embedded store',
      );
    if (UNSUPPORTED_STAGES.has(name))
      throw new StoreError(
        40324,
        'Location40324',
        `Unrecognized pipeline stage name: '${name}' (not supported by the Crewdeck embedded store)`,
      );
  }
  if (cmd.explain) throw notSupported('explain is not supported by the Crewdeck embedded store');
  const variables = evaluateLet(documentArg(cmd.let, 'let'));
  const target = cmd.aggregate;
  const first = pipeline[0] as Document | undefined;
  let input: Document[];
  if (target === 1 && first && '$listLocalSessions' in first) {
    input = listLocalSessions(
      ctx.db,
      ctx.sessions?.() ?? [],
      documentArg(first.$listLocalSessions, '$listLocalSessions'),
    );
    pipeline.shift();
  } else if (target === 1) input = [];
  else if (typeof target === 'string') {
    // A leading $match can use the indexes: hand it to the engine instead of scanning.
    const leadingMatch = first && '$match' in first ? (first.$match as Document) : undefined;
    input = engine.find(engine.collection(ctx.db, target, ctx.txn), leadingMatch ?? {}, ctx.txn, variables);
    if (leadingMatch) pipeline.shift();
  } else throw badValue(`Invalid aggregate target: ${String(target)}`);
  for (const stage of pipeline as Document[])
    if (stage && '$listLocalSessions' in stage)
      throw new StoreError(40602, 'Location40602', '$listLocalSessions is only valid as the first stage in a pipeline');
  const resolve = (name: string) => engine.all(engine.collection(ctx.db, name, ctx.txn), ctx.txn);
  const docs = pipeline.length ? runPipeline(input, pipeline as Document[], resolve, variables) : input;
  const cursorOpts = (cmd.cursor ?? {}) as Document;
  const name = typeof target === 'string' ? target : '$cmd.aggregate';
  return { cursor: ctx.cursors.first(`${ctx.db}.${name}`, docs, numberArg(cursorOpts.batchSize, 'batchSize')), ok: 1 };
};

/**
 * `$listLocalSessions` (admin, `aggregate: 1`, first stage): the sessions this store has seen.
 * `{}` and `{ allUsers: true }` list them all (there are no users); `users` filters nothing else.
 */
function listLocalSessions(db: string, sessions: Document[], spec: Document): Document[] {
  if (db !== 'admin')
    throw new StoreError(
      73,
      'InvalidNamespace',
      "$listLocalSessions must be run against the 'admin' database with {aggregate: 1}",
    );
  for (const option of Object.keys(spec))
    if (option !== 'allUsers' && option !== 'users')
      throw new StoreError(40415, 'Location40415', `BSON field '$listLocalSessions.${option}' is an unknown field.`);
  if (Array.isArray(spec.users) && spec.users.length > 0 && spec.allUsers !== true) return [];
  return sessions;
}

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
