// Sends the import file as multipart/form-data (part `file`), like the library's upload: the
// answer is parsed with the shared schema and failures become the same ApiError as every call.
import { importEndpoints, importJobSchema, type ImportJob } from '@crewdeck/shared/imports';
import { z } from 'zod';
import { urlOf } from '../api.ts';
import { ApiError, parseErrorBody } from '../errors.ts';

const answerSchema = z.object({ job: importJobSchema });

export async function uploadImport(file: File): Promise<ImportJob> {
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(urlOf(importEndpoints.upload), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      body,
    });
  } catch (cause) {
    throw new ApiError(0, 'network', '', undefined, { cause });
  }
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw parseErrorBody(response.status, payload);
  const parsed = answerSchema.safeParse(payload);
  if (!parsed.success) throw new ApiError(200, 'bad_response', '');
  return parsed.data.job;
}
