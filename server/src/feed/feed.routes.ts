import { feedPageSchema, feedQuerySchema } from '@crewdeck/shared/feed';
import type { RouteRegistry } from '../http/route.ts';
import type { FeedService } from './feed.service.ts';

export function registerFeedRoutes(routes: RouteRegistry, service: FeedService): void {
  routes.json({
    method: 'get',
    path: '/api/feed',
    summary: 'Feed entries of readable projects: `after` pages forward from a seq, `before` backward; `mine=true` is "My assignments"',
    tag: 'feed',
    auth: 'user',
    query: feedQuerySchema,
    response: feedPageSchema,
    handler: ({ ctx, query }) => service.list(ctx, query),
  });
}
