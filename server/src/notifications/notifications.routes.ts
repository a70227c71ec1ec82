import { idParamsSchema } from '@crewdeck/shared/common';
import { markReadResponseSchema, notificationListQuerySchema, notificationListSchema } from '@crewdeck/shared/notifications';
import type { RouteRegistry } from '../http/route.ts';
import type { NotificationsService } from './notifications.service.ts';

export function registerNotificationRoutes(routes: RouteRegistry, service: NotificationsService): void {
  routes.json({
    method: 'get',
    path: '/api/notifications',
    summary: 'The caller’s notifications, newest first, with the unread count',
    tag: 'notifications',
    auth: 'user',
    query: notificationListQuerySchema,
    response: notificationListSchema,
    handler: ({ ctx, query }) => service.list(ctx, query),
  });

  routes.json({
    method: 'post',
    path: '/api/notifications/:id/read',
    summary: 'Mark one notification read',
    tag: 'notifications',
    auth: 'user',
    params: idParamsSchema,
    response: markReadResponseSchema,
    handler: ({ ctx, params }) => service.markRead(ctx, params.id),
  });

  routes.json({
    method: 'post',
    path: '/api/notifications/read-all',
    summary: 'Mark every notification read',
    tag: 'notifications',
    auth: 'user',
    response: markReadResponseSchema,
    handler: ({ ctx }) => service.markRead(ctx),
  });
}
