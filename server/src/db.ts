import mongoose from 'mongoose';
import { join } from 'node:path';
import { checkDatabaseDeployment, DatabaseDeploymentError, redactUri } from './db/deployment.ts';
import { Store } from './store/index.ts';

export { DatabaseDeploymentError } from './db/deployment.ts';

export interface DatabaseOptions {
  /** A real MongoDB; defaults to MONGODB_URI. When absent the embedded store is started. */
  uri?: string;
  /** Where the embedded store keeps its journal; defaults to DATA_DIR/db. Memory-only when absent. */
  dataDir?: string;
  /** Database name (tests use one per file so that they can share a real MongoDB). */
  dbName?: string;
}

export interface DatabaseHandle {
  uri: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * The one entry point to the database for the server and every test: mongoose always talks to a
 * MongoDB wire endpoint over TCP, either the real one in MONGODB_URI or the embedded store.
 * A real MongoDB must be a replica set or a sharded cluster of version 7.0+ (every write is a
 * transaction): otherwise this rejects with a DatabaseDeploymentError whose message says what to do.
 */
export async function connectDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const uri = options.uri ?? process.env.MONGODB_URI;
  const dbName = options.dbName ?? 'crewdeck';
  if (uri) {
    try {
      await mongoose.connect(uri, { dbName });
    } catch (error) {
      await mongoose.disconnect().catch(() => undefined);
      throw new DatabaseDeploymentError(
        'unreachable',
        `Could not connect to MongoDB at ${redactUri(uri)}: ${(error as Error).message}\n` +
          'Check MONGODB_URI and that the server is running. A mongod started with --replSet must have ' +
          'its replica set initiated once (mongosh --eval \'rs.initiate()\'). See README.md, section "Database".',
        { cause: error },
      );
    }
    try {
      await checkDatabaseDeployment(mongoose.connection.db!.admin(), uri);
    } catch (error) {
      await mongoose.disconnect().catch(() => undefined);
      throw error;
    }
    return { uri, embedded: false, close: () => mongoose.disconnect() };
  }
  const dataDir = options.dataDir ?? process.env.DATA_DIR;
  const store = new Store({ dbpath: dataDir ? join(dataDir, 'db') : undefined });
  const port = await store.listen(0, '127.0.0.1');
  const embeddedUri = `mongodb://127.0.0.1:${port}/`;
  await mongoose.connect(embeddedUri, { dbName, directConnection: true, serverSelectionTimeoutMS: 5000 });
  return {
    uri: embeddedUri,
    embedded: true,
    close: async () => {
      await mongoose.disconnect();
      await store.close();
    },
  };
}
