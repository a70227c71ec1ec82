// File upload to the library with progress: fetch() cannot report upload progress, so this one
// request goes through XMLHttpRequest. The answer is parsed with the shared schema and failures
// become the same ApiError as every other call (413 when the file is over the size limit).
import { type CreatedDocument, createdDocumentSchema, libraryEndpoints } from '@crewdeck/shared/library';
import { urlOf } from '../api.ts';
import { ApiError, parseErrorBody } from '../errors.ts';
import { formatNumber } from '../i18n/locale.ts';

export type UploadProgress = { loaded: number; total: number };

export type UploadOptions = {
  folderId?: string | null;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Uploads one file as multipart/form-data (part `file`); resolves with the new document. */
export function uploadFile(file: File, options: UploadOptions = {}): Promise<CreatedDocument> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', urlOf(libraryEndpoints.upload, { query: { folderId: options.folderId ?? undefined } }));
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      const payload = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) return reject(parseErrorBody(xhr.status, payload));
      const parsed = createdDocumentSchema.safeParse(payload);
      if (parsed.success) resolve(parsed.data);
      else reject(new ApiError(200, 'bad_response', ''));
    };
    xhr.onerror = () => reject(new ApiError(0, 'upload_interrupted', ''));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', ''));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

/** "3.4 MB", "820 kB", "12 byte", in the active locale. */
export function formatBytes(bytes: number): string {
  const unit = (value: number, name: string, digits: number) =>
    formatNumber(value, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits });
  if (bytes < 1024) return unit(bytes, 'byte', 0);
  if (bytes < 1024 * 1024) return unit(Math.round(bytes / 1024), 'kilobyte', 0);
  return unit(bytes / 1024 / 1024, 'megabyte', 1);
}
