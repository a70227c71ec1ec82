import { libraryEndpoints as endpoints } from '@crewdeck/shared/library';
import type { RouteRegistry } from '../http/route.ts';
import type { VersionsService } from './versions.service.ts';

export function registerVersionRoutes(routes: RouteRegistry, versions: VersionsService): void {
  routes.json(endpoints.versions, {
    auth: 'user',
    handler: ({ ctx, params }) => versions.list(ctx, params.id),
  });
  routes.json(endpoints.saveVersion, {
    auth: 'user',
    handler: ({ ctx, params, body }) => versions.create(ctx, params.id, body.name),
  });
  routes.json(endpoints.version, {
    auth: 'user',
    handler: ({ ctx, params }) => versions.get(ctx, params.id, params.versionId),
  });
  routes.json(endpoints.restoreVersion, {
    auth: 'user',
    handler: ({ ctx, params }) => versions.restore(ctx, params.id, params.versionId),
  });
}
