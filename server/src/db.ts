import mongoose from 'mongoose';
import { join } from 'node:path';
import { Store } from './store/index.ts';

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
 */
export async function connectDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const uri = options.uri ?? process.env.MONGODB_URI;
  const dbName = options.dbName ?? 'crewdeck';
  if (uri) {
    await mongoose.connect(uri, { dbName });
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
