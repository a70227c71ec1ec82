import mongoose from 'mongoose';
import { spawn } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectDatabase, DatabaseDeploymentError } from '../../server/src/db.ts';
import { adminCommands } from '../../server/src/store/commands/admin.ts';
import type { CommandHandler } from '../../server/src/store/context.ts';
import { Store } from '../../server/src/store/index.ts';

// With MONGODB_URI, Crewdeck refuses to start on a MongoDB without transactions. The embedded
// store answers `hello` as a one-member replica set; given a real mongod's `buildInfo` (and, for
// the other cases, a replica set's `hello` or an old version) it stands in for each deployment.
const stores: Store[] = [];

/** An embedded store on a free port that answers as a real mongod would; returns its URI. */
async function mongod(overrides: Record<string, CommandHandler> = {}): Promise<string> {
  const original = { ...adminCommands };
  // A plain mongod (no --replSet) answers hello without the replica set fields the store sends.
  const standalone: CommandHandler = async (ctx) => {
    const reply = { ...(await original.hello(ctx)) };
    for (const k of ['setName', 'setVersion', 'hosts', 'primary', 'me', 'electionId', 'secondary', 'lastWrite'])
      delete reply[k];
    return reply;
  };
  Object.assign(adminCommands, {
    buildInfo: () => ({ version: '7.0.14', versionArray: [7, 0, 14, 0], gitVersion: 'ce3692201d', ok: 1 }),
    hello: standalone,
    isMaster: standalone,
    ismaster: standalone,
    ...overrides,
  });
  try {
    const store = new Store({}); // the store copies its command table here
    stores.push(store);
    return `mongodb://127.0.0.1:${await store.listen(0, '127.0.0.1')}/`;
  } finally {
    Object.assign(adminCommands, original);
  }
}

afterEach(async () => {
  await mongoose.disconnect();
});
afterAll(async () => {
  for (const s of stores) await s.close();
});

async function refusal(uri: string): Promise<DatabaseDeploymentError> {
  const error = await connectDatabase({ uri, dbName: 'deployment_check' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DatabaseDeploymentError);
  expect(mongoose.connection.readyState).toBe(0);
  return error as DatabaseDeploymentError;
}

describe('the MongoDB deployment in MONGODB_URI', () => {
  it('a standalone mongod is refused with a DatabaseDeploymentError saying what to do', async () => {
    const uri = await mongod();
    const error = await refusal(uri);
    expect(error.problem).toBe('standalone');
    expect(error.message).toContain(`${uri} is a standalone MongoDB server`);
    expect(error.message).toContain('mongod --replSet rs0');
    expect(error.message).toContain('rs.initiate()');
    expect(error.message).toContain('replicaSet=rs0');
  });

  it('MongoDB 6.0 is refused by version', async () => {
    const uri = await mongod({
      buildInfo: () => ({ version: '6.0.19', versionArray: [6, 0, 19, 0], gitVersion: 'abc', ok: 1 }),
    });
    const error = await refusal(uri);
    expect(error.problem).toBe('version');
    expect(error.message).toContain('MongoDB 7.0 or newer');
  });

  it('a replica set member (hello with setName) is accepted', async () => {
    const hello = adminCommands.hello;
    const uri = await mongod({
      hello: (ctx) => ({ ...(hello(ctx) as Record<string, unknown>), setName: 'rs0' }),
    });
    // directConnection: the stand-in does not answer the replica set discovery the driver would do.
    const handle = await connectDatabase({ uri: `${uri}?directConnection=true`, dbName: 'deployment_check' });
    expect(handle.embedded).toBe(false);
    await handle.close();
  });

  it('the embedded store itself, shared through MONGODB_URI, is accepted (it runs transactions)', async () => {
    const store = new Store({});
    stores.push(store);
    const uri = `mongodb://127.0.0.1:${await store.listen(0, '127.0.0.1')}/`;
    const handle = await connectDatabase({ uri, dbName: 'deployment_check' });
    expect(handle.embedded).toBe(false);
    await handle.close();
  });

  it('on a standalone mongod the server process exits non-zero, printing the message and no stack trace', async () => {
    const uri = await mongod();
    const child = spawn(process.execPath, ['server/src/main.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: '', REDIS_URL: '', MONGODB_URI: uri },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/listening on/);
    expect(stderr).toContain('[crewdeck] cannot start:');
    expect(stderr).toContain('is a standalone MongoDB server');
    expect(stderr).toContain("mongosh --eval 'rs.initiate()'");
    expect(stderr).toContain('MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0');
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
