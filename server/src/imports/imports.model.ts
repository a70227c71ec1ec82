import mongoose from 'mongoose';
import type { ImportCounts, ImportResult, ImportTarget } from '@crewdeck/shared/imports';

type Id = mongoose.Types.ObjectId;

/** An import: the file's header and mapping, the progress, and what happened to each row. */
export interface ImportJobDoc {
  _id: Id;
  ownerId: Id;
  filename: string;
  format: 'csv' | 'xlsx';
  status: 'uploaded' | 'running' | 'done' | 'failed';
  headers: string[];
  mapping: ImportTarget[];
  rowCount: number;
  processed: number;
  counts: ImportCounts;
  results: ImportResult[];
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const resultSchema = new mongoose.Schema<ImportResult>(
  { line: Number, outcome: String, name: String, clientId: { type: String, default: null }, reason: String },
  { _id: false },
);

const jobSchema = new mongoose.Schema<ImportJobDoc>(
  {
    ownerId: { type: mongoose.Schema.Types.ObjectId, required: true },
    filename: String,
    format: String,
    status: { type: String, default: 'uploaded' },
    headers: { type: [String], default: [] },
    mapping: { type: [String], default: [] },
    rowCount: Number,
    processed: { type: Number, default: 0 },
    counts: { type: mongoose.Schema.Types.Mixed, default: {} },
    results: { type: [resultSchema], default: [] },
    error: { type: String, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, collection: 'crm_import_jobs', minimize: false },
);
jobSchema.index({ ownerId: 1, createdAt: -1 });

export const ImportJobModel = mongoose.model<ImportJobDoc>('ImportJob', jobSchema);

/** The file's data rows, in chunks (a 20,000-row file in one document could pass 16 MB). */
export interface ImportChunkDoc {
  _id: Id;
  jobId: Id;
  index: number;
  rows: string[][];
}

const chunkSchema = new mongoose.Schema<ImportChunkDoc>(
  {
    jobId: { type: mongoose.Schema.Types.ObjectId, required: true },
    index: Number,
    rows: { type: [[String]], default: [] },
  },
  { versionKey: false, collection: 'crm_import_chunks' },
);
chunkSchema.index({ jobId: 1, index: 1 }, { unique: true });

export const ImportChunkModel = mongoose.model<ImportChunkDoc>('ImportChunk', chunkSchema);
