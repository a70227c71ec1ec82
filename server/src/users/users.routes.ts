import { userEndpoints } from '@crewdeck/shared/users';
import type { RouteRegistry } from '../http/route.ts';
import type { UsersService } from './users.service.ts';

export function registerUserRoutes(routes: RouteRegistry, service: UsersService): void {
  routes.json(userEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, query }) => service.list(ctx, query),
  });

  routes.json(userEndpoints.create, {
    auth: 'user',
    handler: ({ ctx, body }) => service.create(ctx, body),
  });

  routes.json(userEndpoints.get, {
    auth: 'user',
    handler: ({ ctx, params }) => service.get(ctx, params.id),
  });

  routes.json(userEndpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => service.update(ctx, params.id, body),
  });

  routes.json(userEndpoints.resetPassword, {
    auth: 'user',
    handler: ({ ctx, params }) => service.resetPassword(ctx, params.id),
  });
}
