import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { PayloadTooLargeError, ValidationError } from './errors.ts';

/** The one file part of a multipart request, handed over as its bytes begin to arrive. */
export interface IncomingFile {
  /** The name the client sent: untrusted, clean it before use. */
  filename: string;
  /** The type the client declared: untrusted. */
  mimeType: string;
  /** The part's bytes, cut at the size limit. */
  stream: Readable;
  /** Whether the stream was cut at the size limit (read it once the stream has ended). */
  truncated: () => boolean;
  /** Settles once the whole body is parsed; rejects with a 400 if it turns out malformed. */
  finished: Promise<void>;
}

export interface FilePartOptions {
  /** Name of the file part. */
  field: string;
  /** Largest accepted file, in bytes. */
  maxBytes: number;
}

/** Multipart overhead allowed on top of the file itself before refusing by Content-Length. */
const MULTIPART_SLACK = 64 * 1024;

/**
 * Reads a `multipart/form-data` body with one file part, streaming the part instead of
 * buffering it. 413 when Content-Length already says it is too large; 400 for another content
 * type, a malformed body or no part named `field`.
 */
export function receiveFile(req: IncomingMessage, options: FilePartOptions): Promise<IncomingFile> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > options.maxBytes + MULTIPART_SLACK) return Promise.reject(new PayloadTooLargeError());
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return Promise.reject(new ValidationError({ file: 'Send the file as multipart/form-data' }));
  }
  const file = Promise.withResolvers<IncomingFile>();
  const finished = Promise.withResolvers<void>();
  // The caller awaits `finished` only once it has the file; a body that fails before must not go unhandled.
  finished.promise.catch(() => undefined);
  let found = false;
  const parser = Busboy({
    headers: { ...req.headers, 'content-type': contentType },
    limits: { files: 1, fileSize: options.maxBytes, fields: 10, parts: 12 },
  });
  parser.on(
    'file',
    (field: string, stream: BusboyFileStream, filename: string, _encoding: string, mimeType: string) => {
      if (field !== options.field || found) {
        stream.resume();
        return;
      }
      found = true;
      file.resolve({ filename, mimeType, stream, truncated: () => stream.truncated, finished: finished.promise });
    },
  );
  parser.on('error', (error: unknown) => {
    const malformed = new ValidationError({
      file: error instanceof Error ? error.message : 'Malformed multipart body',
    });
    file.reject(malformed);
    finished.reject(malformed);
  });
  parser.on('finish', () => {
    if (!found) file.reject(new ValidationError({ file: `A file part named "${options.field}" is required` }));
    finished.resolve();
  });
  req.pipe(parser);
  return file.promise;
}
