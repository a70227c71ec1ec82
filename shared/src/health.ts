import { z } from 'zod';
import { defineEndpoints } from './endpoint.ts';

/** `GET /api/health` response. */
export const healthSchema = z.object({
  /** Always true when the server answers. */
  ok: z.literal(true),
  /** Server version. */
  version: z.string(),
});

/** `GET /api/openapi.json` response: an OpenAPI 3.1 document. */
export const openApiDocumentSchema = z.record(z.string(), z.unknown());

const tag = 'system';

export const systemEndpoints = defineEndpoints({
  health: { method: 'get', path: '/api/health', tag, response: healthSchema, summary: 'Liveness check' },
  openApi: {
    method: 'get',
    path: '/api/openapi.json',
    tag,
    response: openApiDocumentSchema,
    summary: 'This API as an OpenAPI 3.1 document',
  },
});
