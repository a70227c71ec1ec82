import { notificationEndpoints } from '@crewdeck/shared/notifications';
import type { RouteRegistry } from '../http/route.ts';
import type { NotificationsService } from './notifications.service.ts';

export function registerNotificationRoutes(routes: RouteRegistry, service: NotificationsService): void {
  routes.json(notificationEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, query }) => service.list(ctx, query),
  });

  routes.json(notificationEndpoints.markRead, {
    auth: 'user',
    handler: ({ ctx, params }) => service.markRead(ctx, params.id),
  });

  routes.json(notificationEndpoints.markAllRead, {
    auth: 'user',
    handler: ({ ctx }) => service.markRead(ctx),
  });
}
