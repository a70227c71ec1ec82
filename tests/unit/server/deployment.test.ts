import { describe, expect, it } from 'vitest';
import {
  checkDatabaseDeployment,
  checkDeployment,
  DatabaseDeploymentError,
  redactUri,
  serverVersion,
} from '../../../server/src/db/deployment.ts';

// The start-up decision: Crewdeck writes in transactions, so a real MongoDB must be a replica set
// or a sharded cluster (mongos), of version 7.0 or newer.
const v7 = { version: '7.0.14', versionArray: [7, 0, 14, 0] };
const v8 = { version: '8.0.4', versionArray: [8, 0, 4, 0] };

function refusal(run: () => unknown): DatabaseDeploymentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatabaseDeploymentError);
    return error as DatabaseDeploymentError;
  }
  throw new Error('expected a DatabaseDeploymentError');
}

describe('checkDeployment', () => {
  it('accepts a replica set member', () => {
    const primary = { setName: 'rs0', isWritablePrimary: true, ok: 1 };
    expect(checkDeployment(primary, v7)).toBe('replicaSet');
    expect(checkDeployment({ setName: 'atlas-abc123-shard-0' }, v8)).toBe('replicaSet');
  });

  it('accepts mongos (msg: isdbgrid)', () => {
    expect(checkDeployment({ msg: 'isdbgrid' }, v8)).toBe('sharded');
  });

  it('refuses a standalone mongod and says how to run a single-node replica set', () => {
    const error = refusal(() => checkDeployment({}, v7, 'mongodb://db.example:27017/'));
    expect(error.problem).toBe('standalone');
    expect(error.name).toBe('DatabaseDeploymentError');
    expect(error.message).toContain('mongodb://db.example:27017/ is a standalone MongoDB server');
    expect(error.message).toContain('transaction');
    expect(error.message).toContain('mongod --replSet rs0');
    expect(error.message).toContain("mongosh --eval 'rs.initiate()'");
    expect(error.message).toContain('MONGODB_URI=mongodb://127.0.0.1:27017/?replicaSet=rs0');
    expect(error.message).toContain('Atlas');
    expect(error.message).toContain('mongos');
    expect(refusal(() => checkDeployment({ setName: '' }, v7)).problem).toBe('standalone');
  });

  it("accepts Crewdeck's embedded store shared through MONGODB_URI (standalone hello, runs transactions)", () => {
    expect(checkDeployment({}, { version: '7.0.0', versionArray: [7, 0, 0, 0], gitVersion: 'crewdeck-embedded' })).toBe(
      'embedded',
    );
  });

  it('refuses a --replSet mongod whose replica set is not initiated, naming rs.initiate()', () => {
    const error = refusal(() => checkDeployment({ isreplicaset: true }, v7));
    expect(error.problem).toBe('uninitialized');
    expect(error.message).toContain('rs.initiate()');
  });

  it('refuses MongoDB older than 7.0, even as a replica set', () => {
    const error = refusal(() =>
      checkDeployment({ setName: 'rs0' }, { version: '6.0.19', versionArray: [6, 0, 19, 0] }, 'mongodb://h/'),
    );
    expect(error.problem).toBe('version');
    expect(error.message).toContain('MongoDB 7.0 or newer');
    expect(error.message).toContain('6.0.19');
    expect(refusal(() => checkDeployment({ msg: 'isdbgrid' }, { version: '5.0.3' })).problem).toBe('version');
    expect(refusal(() => checkDeployment({ setName: 'rs0' }, {})).problem).toBe('version');
    expect(checkDeployment({ setName: 'rs0' }, { version: '7.1.0-rc0' })).toBe('replicaSet');
    expect(checkDeployment({ setName: 'rs0' }, { version: '10.0.0' })).toBe('replicaSet');
  });

  it('never prints credentials from the connection string', () => {
    const error = refusal(() => checkDeployment({}, v7, 'mongodb+srv://alice:s3cret@cluster0.example.net/'));
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('mongodb+srv://<credentials>@cluster0.example.net/');
    expect(redactUri('mongodb://127.0.0.1:27017/')).toBe('mongodb://127.0.0.1:27017/');
  });

  it('reads the version from versionArray or the version string', () => {
    expect(serverVersion({ versionArray: [7, 0, 2, 0] })).toEqual([7, 0]);
    expect(serverVersion({ version: '8.2.1' })).toEqual([8, 2]);
    expect(serverVersion({ version: 'garbage' })).toBeUndefined();
  });
});

describe('checkDatabaseDeployment', () => {
  const admin = (hello: Record<string, unknown>, buildInfo: Record<string, unknown>) => ({
    command: async (cmd: Record<string, unknown>) => {
      if ('buildInfo' in cmd) return buildInfo;
      if ('hello' in cmd) return hello;
      throw new Error(`unexpected ${Object.keys(cmd)[0]}`);
    },
  });

  it('runs buildInfo and hello against the server', async () => {
    await expect(checkDatabaseDeployment(admin({ setName: 'rs0' }, v7), 'mongodb://x/')).resolves.toBe('replicaSet');
    await expect(checkDatabaseDeployment(admin({ ok: 1 }, v7), 'mongodb://x/')).rejects.toMatchObject({
      problem: 'standalone',
    });
  });
});
