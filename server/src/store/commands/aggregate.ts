import type { Document } from 'bson';
import type { CommandHandler } from '../context.ts';
import { numberArg } from '../context.ts';
import { StoreError, badValue, notSupported } from '../errors.ts';
import { runPipeline } from '../mingo-adapter.ts';

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
    if (UNSUPPORTED_STAGES.has(name))
      throw new StoreError(
        40324,
        'Location40324',
        `Unrecognized pipeline stage name: '${name}' (not supported by the Crewdeck embedded store)`,
      );
  }
  if (cmd.explain) throw notSupported('explain is not supported by the Crewdeck embedded store');
  const target = cmd.aggregate;
  let input: Document[];
  if (target === 1) input = [];
  else if (typeof target === 'string') {
    // A leading $match can use the indexes: hand it to the engine instead of scanning.
    const first = pipeline[0] as Document | undefined;
    const leadingMatch = first && '$match' in first ? (first.$match as Document) : undefined;
    input = engine.find(engine.collection(ctx.db, target), leadingMatch ?? {}, ctx.txn);
    if (leadingMatch) pipeline.shift();
  } else throw badValue(`Invalid aggregate target: ${String(target)}`);
  const resolve = (name: string) => engine.all(engine.collection(ctx.db, name), ctx.txn);
  const docs = pipeline.length ? runPipeline(input, pipeline as Document[], resolve) : input;
  const cursorOpts = (cmd.cursor ?? {}) as Document;
  const name = typeof target === 'string' ? target : '$cmd.aggregate';
  return { cursor: ctx.cursors.first(`${ctx.db}.${name}`, docs, numberArg(cursorOpts.batchSize, 'batchSize')), ok: 1 };
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
