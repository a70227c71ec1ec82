// Uploads in progress on the library page, one entry per file, with the bytes sent so far.
import { limits } from '@crewdeck/shared/limits';
import { ApiError, handleError } from '../errors.ts';
import { formatBytes, uploadFile } from './upload.ts';
import { m } from '../paraglide/messages.js';

export type UploadItem = {
  key: number;
  name: string;
  size: number;
  loaded: number;
  status: 'uploading' | 'done' | 'failed';
  error: string;
  documentId: string | null;
};

/**
 * A server that refuses an oversized upload early may close the connection before the browser
 * can read its 413, which XMLHttpRequest reports as a network error: say what is likely.
 */
function failureMessage(error: unknown, file: File): string {
  const defaultMax = limits.libraryUploadMbDefault * 1024 * 1024;
  if (error instanceof ApiError && error.code === 'upload_interrupted' && file.size > defaultMax) {
    return m.up_cut_off({ limit: formatBytes(defaultMax) });
  }
  return handleError(error).message;
}

export class UploadQueue {
  items = $state<UploadItem[]>([]);
  #next = 1;

  /** Uploads the files one after another into `folderId`; `onDone` runs after each success. */
  async add(files: File[], folderId: string | null, onDone: () => void): Promise<void> {
    const added = files.map((file) => ({ file, key: this.#next++ }));
    this.items = [
      ...added.map(({ file, key }): UploadItem => ({
        key,
        name: file.name,
        size: file.size,
        loaded: 0,
        status: 'uploading',
        error: '',
        documentId: null,
      })),
      ...this.items,
    ];
    for (const { file, key } of added) {
      try {
        const created = await uploadFile(file, { folderId, onProgress: ({ loaded }) => this.#update(key, { loaded }) });
        this.#update(key, { status: 'done', loaded: file.size, documentId: created.id });
        onDone();
      } catch (error) {
        this.#update(key, { status: 'failed', error: failureMessage(error, file) });
      }
    }
  }

  /** Forgets finished entries. */
  clear(): void {
    this.items = this.items.filter((item) => item.status === 'uploading');
  }

  #update(key: number, patch: Partial<UploadItem>): void {
    this.items = this.items.map((item) => (item.key === key ? { ...item, ...patch } : item));
  }
}
