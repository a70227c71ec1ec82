import type { CreatedDocument, UploadQuery } from '@crewdeck/shared/library';
import { diffFields } from '../audit/changes.ts';
import type { CountersRepository } from '../counters/counters.repository.ts';
import type { AuthedContext } from '../http/context.ts';
import { NotFoundError, PayloadTooLargeError } from '../http/errors.ts';
import type { IncomingFile } from '../http/multipart.ts';
import type { FilePayload } from '../http/route.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { DocumentsService } from './documents.service.ts';
import { documentResource, type LibraryAccessLoader } from './library.access.ts';
import type { LibraryAudience } from './library.feed.ts';
import { classifyUpload, inlineImageTypes } from './file-types.ts';
import { FileTooLargeError, type FileStorage, type StoredFile } from './files.storage.ts';
import type { LibraryRepository } from './library.repository.ts';

export interface FilesServiceDeps {
  repo: LibraryRepository;
  documents: DocumentsService;
  storage: FileStorage;
  /** An upload is a document created: one feed entry and its journal entry, through the one publisher. */
  publisher: FeedPublisher;
  audience: LibraryAudience;
  loader: LibraryAccessLoader;
  counters: CountersRepository;
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Sniffed content types an upload may have (`UPLOAD_ALLOWED_TYPES`). */
  allowedTypes: ReadonlySet<string>;
}

/** Types served with their own content type; anything else downloads as octet-stream. */
const servedTypes = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/x-cfb',
  'application/rtf',
  'text/plain',
  'text/csv',
  'text/markdown',
]);

/** Text is served with its charset; the bytes were checked to be UTF-8 at upload. */
const withCharset = (type: string) => (type.startsWith('text/') ? `${type}; charset=utf-8` : type);

/**
 * Inline previews render in the browser, so they are locked down: images in a sandbox that can
 * load nothing; PDFs without `sandbox`, which Chromium's PDF viewer refuses to run in, but with
 * nothing else allowed to load and framing only by the app itself.
 */
const imageCsp = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
const pdfCsp = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** Starts reading the uploaded file, allowing at most `maxBytes` (the HTTP layer parses the request). */
export type ReceiveFile = (maxBytes: number) => Promise<IncomingFile>;

/** A name safe for `Content-Disposition` and file systems: no paths, controls or quotes. */
function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are replaced
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}

/** Uploaded files: streamed into GridFS with a size limit, typed by their content, downloaded safely. */
export class FilesService {
  readonly #d: FilesServiceDeps;

  constructor(deps: FilesServiceDeps) {
    this.#d = deps;
  }

  async upload(ctx: AuthedContext, query: UploadQuery, receive: ReceiveFile): Promise<CreatedDocument> {
    // Authorize before reading a byte of the body.
    await this.#d.documents.authorizeCreateIn(ctx, query.folderId ?? null);
    const incoming = await receive(this.#d.maxBytes);
    const filename = safeFilename(incoming.filename);
    const stored = await this.#store(incoming, filename);
    let contentType: string;
    try {
      contentType = await classifyUpload(stored.head, stored, filename, this.#d.allowedTypes);
    } catch (error) {
      await this.#d.storage.delete(stored.fileId);
      throw error;
    }
    const title = query.title ?? filename;
    const file = { fileId: stored.fileId, filename, size: stored.size, contentType };
    try {
      const folders = await this.#d.loader.folders();
      const doc = await this.#d.publisher.publish(ctx, async (session) => {
        const code = await this.#d.counters.nextCode('DOC', session);
        const created = await this.#d.repo.createDocument(
          { code, title, kind: 'file', folderId: query.folderId ?? null, tags: [], ownerId: ctx.actor.id, file },
          session,
        );
        const changes = diffFields({}, { title, filename, size: stored.size, contentType }, [
          'title',
          'filename',
          'size',
          'contentType',
        ]);
        const entry = await this.#d.audience.draft('document.created', created, documentResource(created, folders), {
          kind: created.kind,
        });
        return {
          result: created,
          audit: { action: 'document.upload', permission: 'doc.create', code, changes },
          feed: [entry],
        };
      });
      return { id: String(doc._id), code: doc.code };
    } catch (error) {
      await this.#d.storage.delete(stored.fileId);
      throw error;
    }
  }

  async download(ctx: AuthedContext, id: string): Promise<FilePayload> {
    const { doc } = await this.#d.documents.authorizeDocument(ctx, id, 'doc.view');
    if (!doc.file) throw new NotFoundError('File');
    const contentType = servedTypes.has(doc.file.contentType) ? doc.file.contentType : 'application/octet-stream';
    return {
      filename: safeFilename(doc.file.filename),
      contentType: withCharset(contentType),
      size: doc.file.size,
      stream: this.#d.storage.open(doc.file.fileId),
    };
  }

  /** Images and PDFs inline with their sniffed type and a restrictive CSP; anything else as a download. */
  async preview(ctx: AuthedContext, id: string): Promise<FilePayload> {
    const payload = await this.download(ctx, id);
    if (inlineImageTypes.has(payload.contentType)) return { ...payload, inline: { csp: imageCsp } };
    if (payload.contentType === 'application/pdf') return { ...payload, inline: { csp: pdfCsp } };
    return payload;
  }

  /** Streams the file into storage as it arrives; the result counts once the whole body parsed. */
  async #store(incoming: IncomingFile, filename: string): Promise<StoredFile> {
    const storing = this.#d.storage.store(incoming.stream, filename, incoming.truncated);
    // It may fail before the body is parsed to its end; the failure is taken up below.
    storing.catch(() => undefined);
    try {
      await incoming.finished;
    } catch (error) {
      // A malformed body: whatever was stored of it is not kept.
      storing.then((stored) => this.#d.storage.delete(stored.fileId)).catch(() => undefined);
      throw error;
    }
    try {
      return await storing;
    } catch (error) {
      throw error instanceof FileTooLargeError ? new PayloadTooLargeError() : error;
    }
  }
}
