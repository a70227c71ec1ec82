import { okSchema } from '@crewdeck/shared/auth';
import { idParamsSchema } from '@crewdeck/shared/common';
import {
  createDocumentSchema,
  createdDocumentSchema,
  createFolderSchema,
  documentResponseSchema,
  effectiveAccessSchema,
  folderResponseSchema,
  libraryListSchema,
  libraryPresenceSchema,
  libraryQuerySchema,
  updateAccessSchema,
  updateDocumentSchema,
  updateFolderSchema,
  uploadQuerySchema,
} from '@crewdeck/shared/library';
import type { RouteRegistry } from '../http/route.ts';
import type { Library } from './library.module.ts';

const tag = 'library';

function registerFolderRoutes(routes: RouteRegistry, library: Library): void {
  routes.json({
    method: 'post', path: '/api/library/folders', summary: 'Create a folder', tag, auth: 'user',
    body: createFolderSchema, response: folderResponseSchema, status: 201,
    handler: ({ ctx, body }) => library.folders.create(ctx, body),
  });
  routes.json({
    method: 'patch', path: '/api/library/folders/:id', summary: 'Rename or move a folder', tag, auth: 'user',
    params: idParamsSchema, body: updateFolderSchema, response: folderResponseSchema,
    handler: ({ ctx, params, body }) => library.folders.update(ctx, params.id, body),
  });
  routes.json({
    method: 'delete', path: '/api/library/folders/:id', summary: 'Delete an empty folder', tag, auth: 'user',
    params: idParamsSchema, response: okSchema,
    handler: async ({ ctx, params }) => {
      await library.folders.remove(ctx, params.id);
      return { ok: true as const };
    },
  });
  routes.json({
    method: 'get', path: '/api/library/folders/:id/access', summary: 'Who can do what with a folder, and why', tag, auth: 'user',
    params: idParamsSchema, response: effectiveAccessSchema,
    handler: ({ ctx, params }) => library.folders.effectiveAccess(ctx, params.id),
  });
  routes.json({
    method: 'put', path: '/api/library/folders/:id/access', summary: 'Replace a folder’s grants (documents inside inherit them)', tag, auth: 'user',
    params: idParamsSchema, body: updateAccessSchema, response: effectiveAccessSchema,
    handler: ({ ctx, params, body }) => library.folders.setAccess(ctx, params.id, body),
  });
}

function registerDocumentRoutes(routes: RouteRegistry, library: Library): void {
  routes.json({
    method: 'post', path: '/api/library/documents', summary: 'Create a rich-text document', tag, auth: 'user',
    body: createDocumentSchema, response: createdDocumentSchema, status: 201,
    handler: ({ ctx, body }) => library.documents.create(ctx, body),
  });
  routes.json({
    method: 'get', path: '/api/library/documents/:id', summary: 'One document with the caller’s level and abilities', tag, auth: 'user',
    params: idParamsSchema, response: documentResponseSchema,
    handler: ({ ctx, params }) => library.documents.get(ctx, params.id),
  });
  routes.json({
    method: 'patch', path: '/api/library/documents/:id', summary: 'Rename, retag or move a document', tag, auth: 'user',
    params: idParamsSchema, body: updateDocumentSchema, response: documentResponseSchema,
    handler: ({ ctx, params, body }) => library.documents.update(ctx, params.id, body),
  });
  routes.json({
    method: 'delete', path: '/api/library/documents/:id', summary: 'Delete a document with its content and versions', tag, auth: 'user',
    params: idParamsSchema, response: okSchema,
    handler: async ({ ctx, params }) => {
      await library.documents.remove(ctx, params.id);
      return { ok: true as const };
    },
  });
  routes.json({
    method: 'get', path: '/api/library/documents/:id/access', summary: 'Who can do what with a document, and why', tag, auth: 'user',
    params: idParamsSchema, response: effectiveAccessSchema,
    handler: ({ ctx, params }) => library.documents.effectiveAccess(ctx, params.id),
  });
  routes.json({
    method: 'put', path: '/api/library/documents/:id/access', summary: 'Replace a document’s grants; live connections are re-authorized', tag, auth: 'user',
    params: idParamsSchema, body: updateAccessSchema, response: effectiveAccessSchema,
    handler: ({ ctx, params, body }) => library.documents.setAccess(ctx, params.id, body),
  });
}

function registerFileRoutes(routes: RouteRegistry, library: Library): void {
  routes.json({
    method: 'post', path: '/api/library/files',
    summary: 'Upload a file (multipart/form-data, one part named `file`); its type is sniffed from the bytes', tag, auth: 'user',
    query: uploadQuerySchema, response: createdDocumentSchema, status: 201,
    handler: ({ ctx, query, req }) => library.files.upload(ctx, query, req),
  });
  routes.file({
    method: 'get', path: '/api/library/documents/:id/file', summary: 'Download an uploaded file (always as an attachment)', tag, auth: 'user',
    params: idParamsSchema,
    handler: ({ ctx, params }) => library.files.download(ctx, params.id),
  });
}

export function registerLibraryRoutes(routes: RouteRegistry, library: Library): void {
  routes.json({
    method: 'get', path: '/api/library', summary: 'Folders and documents the caller may view; search by title, tag and text', tag, auth: 'user',
    query: libraryQuerySchema, response: libraryListSchema,
    handler: ({ ctx, query }) => library.documents.list(ctx, query),
  });
  routes.json({
    method: 'get', path: '/api/library/presence', summary: 'Who is editing which document right now', tag, auth: 'user',
    response: libraryPresenceSchema,
    handler: ({ ctx }) => library.documents.presence(ctx),
  });
  registerFolderRoutes(routes, library);
  registerDocumentRoutes(routes, library);
  registerFileRoutes(routes, library);
}
