import { systemEndpoints } from '@crewdeck/shared/health';
import type { RouteRegistry } from '../http/route.ts';
import { buildOpenApiDocument } from './openapi.document.ts';

/** Registered last, so the document lists every other route (and itself). */
export function registerOpenApiRoutes(routes: RouteRegistry, version: string): void {
  let cached: Record<string, unknown> | null = null;
  routes.json(systemEndpoints.openApi, {
    auth: 'public',
    handler: async () => {
      cached ??= buildOpenApiDocument(routes.docs, version);
      return cached;
    },
  });
}
