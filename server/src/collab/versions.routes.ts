import { idParamsSchema } from '@crewdeck/shared/common';
import { createVersionSchema, versionContentSchema, versionListSchema, versionParamsSchema, versionSchema } from '@crewdeck/shared/library';
import { z } from 'zod';
import type { RouteRegistry } from '../http/route.ts';
import type { VersionsService } from './versions.service.ts';

const tag = 'library';
const versionResponseSchema = z.object({ version: versionSchema });

export function registerVersionRoutes(routes: RouteRegistry, versions: VersionsService): void {
  routes.json({
    method: 'get', path: '/api/library/documents/:id/versions', summary: 'Versions of a document, newest first, with who changed it', tag, auth: 'user',
    params: idParamsSchema, response: versionListSchema,
    handler: ({ ctx, params }) => versions.list(ctx, params.id),
  });
  routes.json({
    method: 'post', path: '/api/library/documents/:id/versions', summary: 'Save the current content as a named version', tag, auth: 'user',
    params: idParamsSchema, body: createVersionSchema, response: versionResponseSchema, status: 201,
    handler: ({ ctx, params, body }) => versions.create(ctx, params.id, body.name),
  });
  routes.json({
    method: 'get', path: '/api/library/documents/:id/versions/:versionId', summary: 'A version’s content, for a read-only view', tag, auth: 'user',
    params: versionParamsSchema, response: versionContentSchema,
    handler: ({ ctx, params }) => versions.get(ctx, params.id, params.versionId),
  });
  routes.json({
    method: 'post', path: '/api/library/documents/:id/versions/:versionId/restore', summary: 'Restore a version as a new change (collaborators converge live)', tag, auth: 'user',
    params: versionParamsSchema, response: versionResponseSchema,
    handler: ({ ctx, params }) => versions.restore(ctx, params.id, params.versionId),
  });
}
