import mongoose, { mongo } from 'mongoose';
import { Store, type StoreOptions } from '../../server/src/store/index.ts';

/** The official driver, the very one mongoose 9 uses (the server workspace pins the same 7.x). */
export const { MongoClient, ObjectId, Long, Decimal128, Double, Int32, Binary, MongoServerError } = mongo;
export const { EJSON } = mongo.BSON;
export type Client = mongo.MongoClient;
export type CommandStarted = mongo.CommandStartedEvent;
export type CommandSucceeded = mongo.CommandSucceededEvent;
export type Document = mongo.Document;
export type Sort = mongo.Sort;
export type WriteError = mongo.WriteError;
export type Long = mongo.Long;
export type ObjectId = mongo.ObjectId;
export type Decimal128 = mongo.Decimal128;

export interface Running {
  store: Store;
  port: number;
  uri: string;
  client: Client;
  close(): Promise<void>;
}

/** A store on a free port (memory-only unless dbpath is given) and a connected driver client. */
export async function startStore(
  options: StoreOptions = {},
  clientOptions: mongo.MongoClientOptions = {},
): Promise<Running> {
  const store = new Store(options);
  const port = await store.listen(0);
  const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000, ...clientOptions });
  await client.connect();
  return {
    store,
    port,
    uri,
    client,
    close: async () => {
      await client.close();
      await store.close();
    },
  };
}

/** A separate mongoose connection (not the default one) to the store. */
export async function mongooseConnection(uri: string, dbName: string): Promise<mongoose.Connection> {
  return mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
}

/** A class of error (abstract, so the driver's classes with internal constructors fit). */
type ErrorClass<E> = abstract new (...args: never[]) => E;

/**
 * Runs `fn` and returns the error it rejected with, narrowed to `type` (by default the driver's
 * MongoServerError, which carries `code`, `codeName`, `keyValue`…). Fails the test when `fn`
 * resolves, or rejects with anything else.
 */
export async function rejection(fn: () => Promise<unknown>): Promise<mongo.MongoServerError>;
export async function rejection<E>(fn: () => Promise<unknown>, type: ErrorClass<E>): Promise<E>;
export async function rejection(
  fn: () => Promise<unknown>,
  type: ErrorClass<unknown> = MongoServerError,
): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw new Error(`expected the operation to be rejected with a ${type.name}, but it rejected with: ${String(err)}`, {
      cause: err,
    });
  }
  throw new Error('expected the operation to be rejected, but it succeeded');
}

/** Every user database as canonical extended JSON: documents by _id (types included) and index specs. */
export async function dump(client: Client): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
  for (const { name } of databases) {
    if (['admin', 'local', 'config'].includes(name)) continue;
    const db = client.db(name);
    for (const { name: coll } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      const docs = await db
        .collection(coll)
        .find({}, { promoteLongs: false, promoteValues: false } as object)
        .sort({ _id: 1 })
        .toArray();
      const indexes = await db.collection(coll).listIndexes().toArray();
      out[`${name}.${coll}`] = { docs: EJSON.serialize(docs, { relaxed: false }), indexes };
    }
  }
  return out;
}
