import { feedEndpoints } from '@crewdeck/shared/feed';
import type { RouteRegistry } from '../http/route.ts';
import type { FeedService } from './feed.service.ts';

export function registerFeedRoutes(routes: RouteRegistry, service: FeedService): void {
  routes.json(feedEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, query }) => service.list(ctx, query),
  });
}
