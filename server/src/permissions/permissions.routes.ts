import { permissionTableSchema, updatePermissionsSchema } from '@crewdeck/shared/permissions';
import type { RouteRegistry } from '../http/route.ts';
import type { PermissionsService } from './permissions.service.ts';

export function registerPermissionRoutes(routes: RouteRegistry, service: PermissionsService): void {
  routes.json({
    method: 'get',
    path: '/api/permissions',
    summary: 'The action × role permission table',
    tag: 'permissions',
    auth: 'user',
    response: permissionTableSchema,
    handler: ({ ctx }) => service.get(ctx),
  });

  routes.json({
    method: 'put',
    path: '/api/permissions',
    summary: 'Replace the permission table (the Owner row keeps every action)',
    tag: 'permissions',
    auth: 'user',
    body: updatePermissionsSchema,
    response: permissionTableSchema,
    handler: ({ ctx, body }) => service.update(ctx, body.matrix),
  });
}
