import { Store } from '../../server/src/store/store.ts';
import { REDIS_URL, startServerProcess, type ServerProcess } from './server-process.ts';

export interface Cluster {
  /** The shared store's connection string (the instances' database on it). */
  uri: string;
  /** Base URLs of the server processes, in start order. */
  urls: string[];
  /** Stops every process, then the store. */
  stop(): Promise<void>;
}

/**
 * Several `main.ts` processes on one embedded store and Redis, as a multi-instance deployment
 * runs. They start one after another, so the first creates the owner account and the others
 * agree on it.
 */
export async function startCluster(options: {
  admin: string;
  password: string;
  dbPath?: string;
  size?: number;
}): Promise<Cluster> {
  const store = new Store();
  const port = await store.listen(0, '127.0.0.1');
  const uri = `mongodb://127.0.0.1:${port}/${options.dbPath ?? ''}?directConnection=true`;
  const children: ServerProcess[] = [];
  const stop = async () => {
    for (const child of children) await child.stop();
    await store.close();
  };
  try {
    for (let i = 0; i < (options.size ?? 2); i += 1) {
      const env = { MONGODB_URI: uri, REDIS_URL, ADMIN_EMAIL: options.admin, ADMIN_PASSWORD: options.password };
      children.push(await startServerProcess(env));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { uri, urls: children.map((c) => c.url), stop };
}
