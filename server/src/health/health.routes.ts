import { systemEndpoints } from '@crewdeck/shared/health';
import type { RouteRegistry } from '../http/route.ts';

export function registerHealthRoutes(routes: RouteRegistry, version: string): void {
  routes.json(systemEndpoints.health, {
    auth: 'public',
    handler: async () => ({ ok: true as const, version }),
  });
}
