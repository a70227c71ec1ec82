import { permissionEndpoints } from '@crewdeck/shared/permissions';
import type { RouteRegistry } from '../http/route.ts';
import type { PermissionsService } from './permissions.service.ts';

export function registerPermissionRoutes(routes: RouteRegistry, service: PermissionsService): void {
  routes.json(permissionEndpoints.get, {
    auth: 'user',
    handler: ({ ctx }) => service.get(ctx),
  });

  routes.json(permissionEndpoints.update, {
    auth: 'user',
    handler: ({ ctx, body }) => service.update(ctx, body.matrix),
  });
}
