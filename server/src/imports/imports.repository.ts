import mongoose from 'mongoose';
import type { ImportCounts, ImportResult } from '@crewdeck/shared/imports';
import { isObjectId } from '../clients/clients.repository.ts';
import { ImportChunkModel, ImportJobModel, type ImportJobDoc } from './imports.model.ts';

const CHUNK = 1000;
const oid = (id: string) => new mongoose.Types.ObjectId(id);

export type NewImportJob = Pick<ImportJobDoc, 'ownerId' | 'filename' | 'format' | 'headers' | 'mapping' | 'rowCount'>;

/** The only code touching the import collections. */
export class ImportsRepository {
  async create(job: NewImportJob, rows: string[][]): Promise<ImportJobDoc> {
    const doc = await ImportJobModel.create({
      ...job,
      status: 'uploaded',
      counts: { created: 0, updated: 0, skipped: 0, failed: 0, contacts: 0 },
    });
    const chunks = [];
    for (let i = 0; i * CHUNK < rows.length; i += 1)
      chunks.push({ jobId: doc._id, index: i, rows: rows.slice(i * CHUNK, (i + 1) * CHUNK) });
    if (chunks.length) await ImportChunkModel.insertMany(chunks);
    return doc.toObject<ImportJobDoc>();
  }

  async findById(id: string): Promise<ImportJobDoc | null> {
    if (!isObjectId(id)) return null;
    return ImportJobModel.findById(id, { results: 0 }).lean<ImportJobDoc>();
  }

  async results(id: string): Promise<ImportResult[]> {
    const doc = await ImportJobModel.findById(id, { results: 1 }).lean<Pick<ImportJobDoc, 'results'>>();
    return doc?.results ?? [];
  }

  /** The data rows from `start`, `count` of them, with their index in the file. */
  async rows(jobId: string, start = 0, count = Number.MAX_SAFE_INTEGER): Promise<string[][]> {
    const first = Math.floor(start / CHUNK);
    const last = Math.floor((start + Math.min(count, 1e9) - 1) / CHUNK);
    const chunks = await ImportChunkModel.find({ jobId: oid(jobId), index: { $gte: first, $lte: last } })
      .sort({ index: 1 })
      .lean<{ index: number; rows: string[][] }[]>();
    const all = chunks.flatMap((c) => c.rows);
    const offset = start - first * CHUNK;
    return all.slice(offset, offset + count);
  }

  /** Moves an `uploaded` job to `running` (once: a second run of the same job is refused). */
  async start(id: string, mapping: string[]): Promise<ImportJobDoc | null> {
    return ImportJobModel.findOneAndUpdate(
      { _id: oid(id), status: 'uploaded' },
      { $set: { status: 'running', mapping, startedAt: new Date() } },
      { returnDocument: 'after', projection: { results: 0 } },
    ).lean<ImportJobDoc>();
  }

  async progress(id: string, processed: number, counts: ImportCounts, results: ImportResult[]): Promise<void> {
    await ImportJobModel.updateOne(
      { _id: oid(id) },
      { $set: { processed, counts }, ...(results.length ? { $push: { results: { $each: results } } } : {}) },
    );
  }

  async finish(id: string, status: 'done' | 'failed', error: string | null): Promise<void> {
    await ImportJobModel.updateOne({ _id: oid(id) }, { $set: { status, error, finishedAt: new Date() } });
    // The rows are no longer needed once the job has run; the report keeps what happened.
    await ImportChunkModel.deleteMany({ jobId: oid(id) });
  }
}
