import mongoose from 'mongoose';
import type { Readable } from 'node:stream';

/** Bytes kept from the start of an upload for content sniffing. */
const SNIFF_BYTES = 4100;

export interface StoredFile {
  fileId: mongoose.Types.ObjectId;
  size: number;
  /** The first bytes, for sniffing the content type. */
  head: Buffer;
}

/** Thrown by `store()` when the stream turns out larger than allowed. */
export class FileTooLargeError extends Error {}

/** The only code touching the `library` GridFS bucket. */
export class FileStorage {
  #bucket(): mongoose.mongo.GridFSBucket {
    const db = mongoose.connection.db;
    if (!db) throw new Error('database not connected');
    return new mongoose.mongo.GridFSBucket(db, { bucketName: 'library' });
  }

  /**
   * Streams `source` into GridFS. `isTruncated` reports whether the parser cut the stream at
   * its size limit; such an upload is deleted and `FileTooLargeError` thrown.
   */
  async store(source: Readable, filename: string, isTruncated: () => boolean): Promise<StoredFile> {
    const upload = this.#bucket().openUploadStream(filename);
    const headParts: Buffer[] = [];
    let headSize = 0;
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (headSize < SNIFF_BYTES) {
        headParts.push(chunk.subarray(0, SNIFF_BYTES - headSize));
        headSize += Math.min(chunk.length, SNIFF_BYTES - headSize);
      }
    });
    await new Promise<void>((resolve, reject) => {
      source.once('error', reject);
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      source.pipe(upload);
    });
    if (isTruncated()) {
      await this.delete(upload.id);
      throw new FileTooLargeError();
    }
    return { fileId: upload.id, size, head: Buffer.concat(headParts) };
  }

  open(fileId: mongoose.Types.ObjectId): Readable {
    return this.#bucket().openDownloadStream(fileId);
  }

  async delete(fileId: mongoose.Types.ObjectId): Promise<void> {
    try {
      await this.#bucket().delete(fileId);
    } catch (error) {
      // Already gone (a retried delete): nothing left to free.
      if (!(error instanceof Error && /not found|FileNotFound/i.test(error.message))) throw error;
    }
  }
}
