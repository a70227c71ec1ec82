import { createHash } from 'node:crypto';
import mongoose, { type ClientSession } from 'mongoose';
import { oid } from '../db/ids.ts';
import {
  CollabChunkModel,
  CollabHeadModel,
  CollabUpdateModel,
  VersionModel,
  type CollabHeadDoc,
  type CollabUpdateDoc,
  type VersionDoc,
} from './collab.model.ts';

/** Largest slice of a binary stored in one MongoDB document (the limit is 16 MB). */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Stored binary values come back as BSON `Binary` (lean) or `Buffer`: both become bytes. */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof mongoose.mongo.Binary) return value.buffer;
  throw new TypeError('not binary data');
}

export interface PendingUpdate {
  update: Uint8Array;
  userId: string | null;
}

export interface StoredState {
  /** Snapshot generation the state was read at (0: none yet). */
  generation: number;
  snapshot: Uint8Array | null;
  updates: Array<{ id: string; update: Uint8Array }>;
}

function isOnlyDuplicates(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ('code' in error && error.code === 11000) return true;
  const writeErrors = 'writeErrors' in error ? error.writeErrors : undefined;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return (
    list.length > 0 &&
    list.every((e: unknown) => typeof e === 'object' && e !== null && 'code' in e && e.code === 11000)
  );
}

const updateId = (docId: string, update: Uint8Array) =>
  `${docId}:${createHash('sha256').update(update).digest('base64url')}`;

/** The only code touching co-editing state and versions in MongoDB. */
export class CollabRepository {
  /** Stores updates idempotently: one already stored (same bytes) is kept once. */
  async appendUpdates(docId: string, updates: PendingUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const at = new Date();
    const docs = updates.map((u) => ({
      _id: updateId(docId, u.update),
      docId,
      update: Buffer.from(u.update),
      userId: u.userId,
      at,
    }));
    try {
      // The driver's insert directly: this is on every keystroke's path to other editors.
      const collection = mongoose.connection.db?.collection<CollabUpdateDoc>(
        CollabUpdateModel.collection.collectionName,
      );
      if (!collection) throw new Error('database not connected');
      await collection.insertMany(docs, { ordered: false });
    } catch (error) {
      if (!isOnlyDuplicates(error)) throw error;
    }
  }

  async load(docId: string): Promise<StoredState> {
    const head = await CollabHeadModel.findById(docId).lean<CollabHeadDoc>();
    const snapshot = head ? await this.readBlob(snapshotKey(docId, head.generation), head.parts) : null;
    const rows = await CollabUpdateModel.find({ docId }, { update: 1 }).lean<Array<{ _id: string; update: unknown }>>();
    return {
      generation: head?.generation ?? 0,
      snapshot,
      updates: rows.map((r) => ({ id: r._id, update: toBytes(r.update) })),
    };
  }

  async countUpdates(docId: string): Promise<number> {
    return CollabUpdateModel.countDocuments({ docId });
  }

  /**
   * Makes `snapshot` current if the head is still at `expected` (another compactor did not
   * win meanwhile), then drops the updates it contains and the old snapshot.
   */
  async replaceSnapshot(docId: string, expected: number, snapshot: Uint8Array, mergedIds: string[]): Promise<boolean> {
    const generation = expected + 1;
    const parts = await this.writeBlob(snapshotKey(docId, generation), snapshot);
    const head = { generation, parts, size: snapshot.length, compactedAt: new Date() };
    const swapped =
      expected === 0
        ? await CollabHeadModel.updateOne({ _id: docId }, { $setOnInsert: head }, { upsert: true }).then(
            (r) => r.upsertedCount === 1,
          )
        : await CollabHeadModel.updateOne({ _id: docId, generation: expected }, { $set: head }).then(
            (r) => r.modifiedCount === 1,
          );
    if (!swapped) {
      await this.deleteBlob(snapshotKey(docId, generation));
      return false;
    }
    // Only the ids read for this snapshot: updates stored meanwhile stay in the log.
    await CollabUpdateModel.deleteMany({ _id: { $in: mergedIds } });
    if (expected > 0) await this.deleteBlob(snapshotKey(docId, expected));
    return true;
  }

  async removeDocument(docId: string): Promise<void> {
    await CollabUpdateModel.deleteMany({ docId });
    await CollabHeadModel.deleteOne({ _id: docId });
    await CollabChunkModel.deleteMany({ key: { $regex: `^(snap|ver):${docId}:` } });
    await VersionModel.deleteMany({ docId: oid(docId) });
  }

  async writeBlob(key: string, data: Uint8Array, session?: ClientSession): Promise<number> {
    const parts = Math.max(1, Math.ceil(data.length / CHUNK_BYTES));
    for (let index = 0; index < parts; index += 1) {
      const slice = Buffer.from(data.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES));
      await CollabChunkModel.updateOne(
        { _id: `${key}:${index}` },
        { $set: { key, index, data: slice } },
        { upsert: true, session },
      );
    }
    return parts;
  }

  async readBlob(key: string, parts: number): Promise<Uint8Array> {
    const rows = await CollabChunkModel.find({ key })
      .sort({ index: 1 })
      .lean<Array<{ index: number; data: unknown }>>();
    if (rows.length < parts) throw new Error(`blob ${key}: ${rows.length} of ${parts} parts found`);
    return Buffer.concat(rows.slice(0, parts).map((r) => toBytes(r.data)));
  }

  async deleteBlob(key: string): Promise<void> {
    await CollabChunkModel.deleteMany({ key });
  }

  // Versions

  async lastVersion(docId: string): Promise<VersionDoc | null> {
    return VersionModel.findOne({ docId: oid(docId) }, { plainText: 0 })
      .sort({ number: -1 })
      .lean<VersionDoc>();
  }

  async listVersions(docId: string): Promise<VersionDoc[]> {
    return VersionModel.find({ docId: oid(docId) }, { plainText: 0, signature: 0 })
      .sort({ number: -1 })
      .lean<VersionDoc[]>();
  }

  async findVersion(docId: string, versionId: string): Promise<VersionDoc | null> {
    return VersionModel.findOne({ _id: oid(versionId), docId: oid(docId) }).lean<VersionDoc>();
  }

  /** Stores a version and its state; inside the caller's transaction (with its feed entry) when given one. */
  async insertVersion(
    data: Omit<VersionDoc, '_id' | 'parts'>,
    state: Uint8Array,
    session?: ClientSession,
  ): Promise<VersionDoc> {
    const _id = new mongoose.Types.ObjectId();
    const parts = await this.writeBlob(versionKey(data.docId.toString(), String(_id)), state, session);
    const [doc] = await VersionModel.create([{ ...data, _id, parts }], { session });
    return doc.toObject<VersionDoc>();
  }

  async versionState(version: VersionDoc): Promise<Uint8Array> {
    return this.readBlob(versionKey(String(version.docId), String(version._id)), version.parts);
  }
}

const snapshotKey = (docId: string, generation: number) => `snap:${docId}:${generation}`;
const versionKey = (docId: string, versionId: string) => `ver:${docId}:${versionId}`;
