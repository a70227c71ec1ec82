import { interactionEndpoints as endpoints } from '@crewdeck/shared/interactions';
import type { RouteRegistry } from '../http/route.ts';
import type { InteractionExport } from './interaction-export.ts';
import type { InteractionsService } from './interactions.service.ts';

/** `/api/interactions…`; the fixed `/export` and `/summary` before `/:id`. */
export function registerInteractionRoutes(
  routes: RouteRegistry,
  s: { interactions: InteractionsService; interactionExport: InteractionExport },
): void {
  routes.json(endpoints.create, { auth: 'user', handler: ({ ctx, body }) => s.interactions.log(ctx, body) });
  routes.json(endpoints.list, { auth: 'user', handler: ({ ctx, query }) => s.interactions.list(ctx, query) });
  routes.file(endpoints.exportList, {
    auth: 'user',
    handler: ({ ctx, query }) => s.interactionExport.exportList(ctx, query),
  });
  routes.json(endpoints.summary, { auth: 'user', handler: ({ ctx, query }) => s.interactions.summary(ctx, query) });
  routes.json(endpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.interactions.update(ctx, params.id, body),
  });
  routes.json(endpoints.remove, { auth: 'user', handler: ({ ctx, params }) => s.interactions.remove(ctx, params.id) });
}
