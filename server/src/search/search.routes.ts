import { searchEndpoints as endpoints } from '@crewdeck/shared/search';
import type { RouteRegistry } from '../http/route.ts';
import type { SearchServices } from './search.module.ts';

/** `GET /api/search`. */
export function registerSearchRoutes(routes: RouteRegistry, s: SearchServices): void {
  routes.json(endpoints.search, {
    auth: 'user',
    handler: ({ ctx, query }) => s.search.search(ctx, query),
  });
}
