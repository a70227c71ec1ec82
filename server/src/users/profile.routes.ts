import { profileEndpoints as endpoints } from '@crewdeck/shared/users';
import { receiveFile } from '../http/multipart.ts';
import type { RouteRegistry } from '../http/route.ts';
import type { DirectoryService } from './directory.service.ts';
import type { ProfileService } from './profile.service.ts';

export function registerProfileRoutes(
  routes: RouteRegistry,
  s: { profile: ProfileService; directory: DirectoryService },
): void {
  routes.json(endpoints.get, {
    auth: 'user',
    handler: ({ ctx }) => s.profile.get(ctx),
  });
  routes.json(endpoints.update, {
    auth: 'user',
    handler: ({ ctx, body }) => s.profile.update(ctx, body),
  });
  routes.json(endpoints.uploadAvatar, {
    auth: 'user',
    handler: ({ ctx, req }) => s.profile.uploadAvatar(ctx, (maxBytes) => receiveFile(req, { field: 'file', maxBytes })),
  });
  routes.json(endpoints.removeAvatar, {
    auth: 'user',
    handler: ({ ctx }) => s.profile.removeAvatar(ctx),
  });
  routes.file(endpoints.avatar, {
    auth: 'user',
    handler: ({ ctx, params }) => s.profile.avatar(ctx, params.id),
  });
  routes.json(endpoints.people, {
    auth: 'user',
    handler: ({ ctx, query }) => s.directory.list(ctx, query),
  });
}
