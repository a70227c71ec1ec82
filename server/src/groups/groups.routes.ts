import { idParamsSchema } from '@crewdeck/shared/common';
import { okSchema } from '@crewdeck/shared/auth';
import { createGroupSchema, groupListSchema, groupResponseSchema, updateGroupSchema } from '@crewdeck/shared/groups';
import type { RouteRegistry } from '../http/route.ts';
import type { GroupsService } from './groups.service.ts';

export function registerGroupRoutes(routes: RouteRegistry, service: GroupsService): void {
  routes.json({
    method: 'get',
    path: '/api/groups',
    summary: 'List groups with member counts',
    tag: 'groups',
    auth: 'user',
    response: groupListSchema,
    handler: ({ ctx }) => service.list(ctx),
  });

  routes.json({
    method: 'post',
    path: '/api/groups',
    summary: 'Create a group, optionally with members',
    tag: 'groups',
    auth: 'user',
    body: createGroupSchema,
    response: groupResponseSchema,
    status: 201,
    handler: ({ ctx, body }) => service.create(ctx, body),
  });

  routes.json({
    method: 'get',
    path: '/api/groups/:id',
    summary: 'One group with its members',
    tag: 'groups',
    auth: 'user',
    params: idParamsSchema,
    response: groupResponseSchema,
    handler: ({ ctx, params }) => service.get(ctx, params.id),
  });

  routes.json({
    method: 'patch',
    path: '/api/groups/:id',
    summary: 'Rename, describe, or replace the member list',
    tag: 'groups',
    auth: 'user',
    params: idParamsSchema,
    body: updateGroupSchema,
    response: groupResponseSchema,
    handler: ({ ctx, params, body }) => service.update(ctx, params.id, body),
  });

  routes.json({
    method: 'delete',
    path: '/api/groups/:id',
    summary: 'Delete a group (members stay, without it)',
    tag: 'groups',
    auth: 'user',
    params: idParamsSchema,
    response: okSchema,
    handler: async ({ ctx, params }) => {
      await service.remove(ctx, params.id);
      return { ok: true as const };
    },
  });
}
