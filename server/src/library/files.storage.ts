import mongoose from 'mongoose';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

/** Bytes kept from the start of an upload for content sniffing. */
const SNIFF_BYTES = 4100;

export interface StoredFile {
  fileId: mongoose.Types.ObjectId;
  size: number;
  /** The first bytes, for sniffing the content type. */
  head: Buffer;
  /** Whether every byte was text: valid UTF-8 without NULs. */
  text: boolean;
}

/** Feeds the streaming decoder (`chunk` undefined: the end); false at a NUL or invalid UTF-8. */
function isText(decoder: TextDecoder, chunk: Buffer | undefined): boolean {
  if (chunk?.includes(0)) return false;
  try {
    decoder.decode(chunk, { stream: chunk !== undefined });
    return true;
  } catch {
    return false;
  }
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
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let text = true;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (text) text = isText(decoder, chunk);
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
    if (text) text = isText(decoder, undefined);
    return { fileId: upload.id, size, head: Buffer.concat(headParts), text };
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
