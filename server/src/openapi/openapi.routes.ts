import { z } from 'zod';
import type { RouteRegistry } from '../http/route.ts';
import { buildOpenApiDocument } from './openapi.document.ts';

/** Registered last, so the document lists every other route (and itself). */
export function registerOpenApiRoutes(routes: RouteRegistry, version: string): void {
  let cached: Record<string, unknown> | null = null;
  routes.json({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'system',
    auth: 'public',
    response: z.record(z.string(), z.unknown()),
    handler: async () => {
      cached ??= buildOpenApiDocument(routes.docs, version);
      return cached;
    },
  });
}
