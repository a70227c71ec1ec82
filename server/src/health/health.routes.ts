import { healthSchema } from '@crewdeck/shared/health';
import type { RouteRegistry } from '../http/route.ts';

export function registerHealthRoutes(routes: RouteRegistry, version: string): void {
  routes.json({
    method: 'get',
    path: '/api/health',
    summary: 'Liveness check',
    tag: 'system',
    auth: 'public',
    response: healthSchema,
    handler: async () => ({ ok: true as const, version }),
  });
}
