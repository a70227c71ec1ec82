import { groupEndpoints } from '@crewdeck/shared/groups';
import type { RouteRegistry } from '../http/route.ts';
import type { GroupsService } from './groups.service.ts';

export function registerGroupRoutes(routes: RouteRegistry, service: GroupsService): void {
  routes.json(groupEndpoints.list, {
    auth: 'user',
    handler: ({ ctx }) => service.list(ctx),
  });

  routes.json(groupEndpoints.create, {
    auth: 'user',
    handler: ({ ctx, body }) => service.create(ctx, body),
  });

  routes.json(groupEndpoints.get, {
    auth: 'user',
    handler: ({ ctx, params }) => service.get(ctx, params.id),
  });

  routes.json(groupEndpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => service.update(ctx, params.id, body),
  });

  routes.json(groupEndpoints.addMember, {
    auth: 'user',
    handler: ({ ctx, params, body }) => service.addMember(ctx, params.id, body.userId),
  });

  routes.json(groupEndpoints.removeMember, {
    auth: 'user',
    handler: ({ ctx, params }) => service.removeMember(ctx, params.id, params.userId),
  });

  routes.json(groupEndpoints.remove, {
    auth: 'user',
    handler: async ({ ctx, params }) => {
      await service.remove(ctx, params.id);
      return { ok: true as const };
    },
  });
}
