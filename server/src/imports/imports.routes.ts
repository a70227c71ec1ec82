import { clientEndpoints } from '@crewdeck/shared/clients';
import { importEndpoints as endpoints } from '@crewdeck/shared/imports';
import { receiveFile } from '../http/multipart.ts';
import type { RouteRegistry } from '../http/route.ts';
import type { ImportServices } from './imports.module.ts';

/** `/api/imports…` and `GET /api/clients/export` (registered before the clients' `/:id`). */
export function registerImportRoutes(routes: RouteRegistry, s: ImportServices): void {
  routes.file(clientEndpoints.exportList, {
    auth: 'user',
    handler: ({ ctx, query }) => s.clientExport.exportList(ctx, query),
  });
  routes.json(endpoints.upload, {
    auth: 'user',
    handler: ({ ctx, req }) => s.imports.upload(ctx, (maxBytes) => receiveFile(req, { field: 'file', maxBytes })),
  });
  routes.json(endpoints.get, { auth: 'user', handler: ({ ctx, params }) => s.imports.get(ctx, params.id) });
  routes.json(endpoints.preview, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.imports.preview(ctx, params.id, body),
  });
  routes.json(endpoints.run, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.imports.run(ctx, params.id, body),
  });
  routes.json(endpoints.results, { auth: 'user', handler: ({ ctx, params }) => s.imports.results(ctx, params.id) });
  routes.csv(endpoints.report, { auth: 'user', handler: ({ ctx, params }) => s.imports.report(ctx, params.id) });
}
