import { mailingEndpoints as endpoints } from '@crewdeck/shared/mailing';
import type { RouteRegistry } from '../http/route.ts';
import type { MailingServices } from './mailing.module.ts';

/** `/api/segments…`, `/api/campaigns…` and the public `/api/unsubscribe/:token`. */
export function registerMailingRoutes(routes: RouteRegistry, s: MailingServices): void {
  routes.json(endpoints.listSegments, { auth: 'user', handler: ({ ctx }) => s.segments.list(ctx) });
  routes.json(endpoints.createSegment, { auth: 'user', handler: ({ ctx, body }) => s.segments.create(ctx, body) });
  routes.json(endpoints.countSegment, { auth: 'user', handler: ({ ctx, body }) => s.segments.count(ctx, body) });
  routes.json(endpoints.updateSegment, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.segments.update(ctx, params.id, body),
  });
  routes.json(endpoints.deleteSegment, {
    auth: 'user',
    handler: ({ ctx, params }) => s.segments.remove(ctx, params.id),
  });
  routes.file(endpoints.exportReachable, {
    auth: 'user',
    handler: ({ ctx, params, query }) => s.segments.exportReachable(ctx, params.id, query),
  });
  routes.json(endpoints.listCampaigns, { auth: 'user', handler: ({ ctx }) => s.campaigns.list(ctx) });
  routes.json(endpoints.createCampaign, { auth: 'user', handler: ({ ctx, body }) => s.campaigns.create(ctx, body) });
  routes.json(endpoints.getCampaign, { auth: 'user', handler: ({ ctx, params }) => s.campaigns.get(ctx, params.id) });
  routes.json(endpoints.unsubscribeInfo, {
    auth: 'public',
    handler: ({ params }) => s.unsubscribe.info(params.token),
  });
  routes.json(endpoints.unsubscribe, {
    auth: 'public',
    handler: ({ ctx, params }) => s.unsubscribe.unsubscribe(ctx, params.token),
  });
}
