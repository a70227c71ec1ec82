import mongoose from 'mongoose';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../server/src/db.ts';
import { Store } from '../../server/src/store/index.ts';

// connectDatabase(): the one entry point. These tests drive the default mongoose instance and
// clear MONGODB_URI / DATA_DIR while they run, so they test the embedded store in every lane.
const saved = { uri: process.env.MONGODB_URI, dataDir: process.env.DATA_DIR };
const dirs: string[] = [];

beforeEach(() => {
  delete process.env.MONGODB_URI;
  delete process.env.DATA_DIR;
});
afterEach(async () => {
  await mongoose.disconnect();
  if (saved.uri !== undefined) process.env.MONGODB_URI = saved.uri;
  if (saved.dataDir !== undefined) process.env.DATA_DIR = saved.dataDir;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'crewdeck-connect-'));
  dirs.push(d);
  return d;
}

const noteSchema = new mongoose.Schema({ text: String, slug: { type: String, unique: true } });
// Given the schema it was compiled from, mongoose.model() returns the model it already has.
const Note = () => mongoose.model('Note', noteSchema);

describe('connectDatabase', () => {
  it('without MONGODB_URI starts an embedded memory-only store and connects mongoose over TCP', async () => {
    const handle = await connectDatabase({ dbName: 'connect_mem' });
    expect(handle.embedded).toBe(true);
    expect(handle.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    expect(mongoose.connection.readyState).toBe(1);
    expect(mongoose.connection.db!.databaseName).toBe('connect_mem');
    await Note().init();
    await Note().create({ text: 'hello', slug: 'h' });
    expect((await Note().findOne({ slug: 'h' }).lean())!.text).toBe('hello');
    expect(
      (
        await Note()
          .create({ slug: 'h' })
          .catch((e) => e)
      ).code,
    ).toBe(11000);
    await handle.close();
    expect(mongoose.connection.readyState).toBe(0);

    // memory-only: a new embedded store starts empty
    const again = await connectDatabase({ dbName: 'connect_mem' });
    expect(again.uri).not.toBe(handle.uri);
    expect(await Note().countDocuments()).toBe(0);
    await again.close();
  });

  it('with dataDir keeps the data in <dataDir>/db across close and reopen', async () => {
    const dataDir = tempDir();
    const first = await connectDatabase({ dataDir, dbName: 'connect_disk' });
    await Note().init();
    await Note().create([
      { text: 'one', slug: 'a' },
      { text: 'two', slug: 'b' },
    ]);
    await Note().updateOne({ slug: 'a' }, { $set: { text: 'uno' } });
    await first.close();
    expect(existsSync(join(dataDir, 'db'))).toBe(true);
    expect(readdirSync(join(dataDir, 'db')).some((f) => f.startsWith('snapshot-'))).toBe(true);

    const second = await connectDatabase({ dataDir, dbName: 'connect_disk' });
    expect((await Note().find().sort({ slug: 1 }).lean()).map((n) => n.text)).toEqual(['uno', 'two']);
    // the unique index came back with the data
    expect(
      (
        await Note()
          .create({ slug: 'a' })
          .catch((e) => e)
      ).code,
    ).toBe(11000);
    await second.close();
  });

  it('uses DATA_DIR when no dataDir is given', async () => {
    const dataDir = tempDir();
    process.env.DATA_DIR = dataDir;
    const first = await connectDatabase({ dbName: 'connect_env' });
    await Note().create({ text: 'env', slug: 'e' });
    await first.close();
    const second = await connectDatabase({ dbName: 'connect_env' });
    expect(await Note().countDocuments({ slug: 'e' })).toBe(1);
    await second.close();
    expect(existsSync(join(dataDir, 'db'))).toBe(true);
  });

  it('with a uri connects there and starts no store of its own', async () => {
    const store = new Store();
    const port = await store.listen(0);
    try {
      const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
      const handle = await connectDatabase({ uri, dbName: 'connect_uri' });
      expect(handle).toMatchObject({ uri, embedded: false });
      await Note().create({ text: 'remote', slug: 'r' });
      expect(store.engine.collection('connect_uri', 'notes')?.docs.size).toBe(1);
      await handle.close();
    } finally {
      await store.close();
    }
  });
});
