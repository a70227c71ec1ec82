import mongoose from 'mongoose';

/**
 * One Yjs update as received from an editor. `_id` is `<documentId>:<sha256 of the bytes>`,
 * so storing the same update twice (a retry, or two instances racing) keeps one record.
 * Yjs updates commute, so no sequence number is needed to replay them.
 */
export interface CollabUpdateDoc {
  _id: string;
  docId: string;
  update: Buffer;
  userId: string | null;
  at: Date;
}

/** Which snapshot generation is current for a document (compare-and-set on `generation`). */
export interface CollabHeadDoc {
  _id: string;
  generation: number;
  parts: number;
  size: number;
  compactedAt: Date;
}

/** A slice of a large binary (snapshot or version), so none exceeds MongoDB's 16 MB document limit. */
export interface CollabChunkDoc {
  _id: string;
  key: string;
  index: number;
  data: Buffer;
}

/** A saved version of a rich-text document. */
export interface VersionDoc {
  _id: mongoose.Types.ObjectId;
  docId: mongoose.Types.ObjectId;
  number: number;
  name: string | null;
  kind: 'auto' | 'named' | 'restore';
  createdBy: mongoose.Types.ObjectId | null;
  contributors: mongoose.Types.ObjectId[];
  size: number;
  parts: number;
  /** `Y.encodeSnapshot` (state vector + delete set): an automatic version equal to the last one is skipped. */
  signature: Buffer;
  plainText: string;
  createdAt: Date;
}

const updateSchema = new mongoose.Schema<CollabUpdateDoc>(
  {
    _id: { type: String, required: true },
    docId: { type: String, required: true, index: true },
    update: { type: Buffer, required: true },
    userId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, collection: 'collab_updates' },
);

const headSchema = new mongoose.Schema<CollabHeadDoc>(
  {
    _id: { type: String, required: true },
    generation: { type: Number, required: true },
    parts: { type: Number, required: true },
    size: { type: Number, required: true },
    compactedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'collab_heads' },
);

const chunkSchema = new mongoose.Schema<CollabChunkDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, index: true },
    index: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false, collection: 'collab_chunks' },
);

const versionSchema = new mongoose.Schema<VersionDoc>(
  {
    docId: { type: mongoose.Schema.Types.ObjectId, required: true },
    number: { type: Number, required: true },
    name: { type: String, default: null },
    kind: { type: String, required: true },
    createdBy: { type: mongoose.Schema.Types.ObjectId, default: null },
    contributors: { type: [mongoose.Schema.Types.ObjectId], default: [] },
    size: { type: Number, required: true },
    parts: { type: Number, required: true },
    signature: { type: Buffer, required: true },
    plainText: { type: String, default: '' },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'library_versions' },
);
versionSchema.index({ docId: 1, number: 1 }, { unique: true });

export const CollabUpdateModel = mongoose.model<CollabUpdateDoc>('CollabUpdate', updateSchema);
export const CollabHeadModel = mongoose.model<CollabHeadDoc>('CollabHead', headSchema);
export const CollabChunkModel = mongoose.model<CollabChunkDoc>('CollabChunk', chunkSchema);
export const VersionModel = mongoose.model<VersionDoc>('LibraryVersion', versionSchema);
