import { dealEndpoints as endpoints } from '@crewdeck/shared/deals';
import type { RouteRegistry } from '../http/route.ts';
import type { DealServices } from './deals.module.ts';

/** `/api/deals…`; the fixed `/api/deals/export` and `/api/deals/summary` before `/api/deals/:id`. */
export function registerDealRoutes(routes: RouteRegistry, s: DealServices): void {
  routes.json(endpoints.list, { auth: 'user', handler: ({ ctx, query }) => s.deals.list(ctx, query) });
  routes.file(endpoints.exportList, { auth: 'user', handler: ({ ctx, query }) => s.dealExport.exportList(ctx, query) });
  routes.json(endpoints.summary, { auth: 'user', handler: ({ ctx, query }) => s.deals.summary(ctx, query) });
  routes.json(endpoints.create, { auth: 'user', handler: ({ ctx, body }) => s.deals.create(ctx, body) });
  routes.json(endpoints.get, { auth: 'user', handler: ({ ctx, params }) => s.deals.get(ctx, params.id) });
  routes.json(endpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.deals.update(ctx, params.id, body),
  });
  routes.json(endpoints.move, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.deals.move(ctx, params.id, body),
  });
  routes.json(endpoints.remove, { auth: 'user', handler: ({ ctx, params }) => s.deals.remove(ctx, params.id) });
}
