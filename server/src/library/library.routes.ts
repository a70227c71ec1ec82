import { libraryEndpoints as endpoints } from '@crewdeck/shared/library';
import { receiveFile } from '../http/multipart.ts';
import type { RouteRegistry } from '../http/route.ts';
import type { Library } from './library.module.ts';

function registerFolderRoutes(routes: RouteRegistry, library: Library): void {
  routes.json(endpoints.createFolder, {
    auth: 'user',
    handler: ({ ctx, body }) => library.folders.create(ctx, body),
  });
  routes.json(endpoints.updateFolder, {
    auth: 'user',
    handler: ({ ctx, params, body }) => library.folders.update(ctx, params.id, body),
  });
  routes.json(endpoints.removeFolder, {
    auth: 'user',
    handler: ({ ctx, params, query }) => library.trash.removeFolder(ctx, params.id, query.withContents === 'true'),
  });
  routes.json(endpoints.folderAccess, {
    auth: 'user',
    handler: ({ ctx, params }) => library.folders.effectiveAccess(ctx, params.id),
  });
  routes.json(endpoints.setFolderAccess, {
    auth: 'user',
    handler: ({ ctx, params, body }) => library.folders.setAccess(ctx, params.id, body),
  });
}

function registerDocumentRoutes(routes: RouteRegistry, library: Library): void {
  routes.json(endpoints.createDocument, {
    auth: 'user',
    handler: ({ ctx, body }) => library.documents.create(ctx, body),
  });
  routes.json(endpoints.getDocument, {
    auth: 'user',
    handler: ({ ctx, params }) => library.documents.get(ctx, params.id),
  });
  routes.json(endpoints.updateDocument, {
    auth: 'user',
    handler: ({ ctx, params, body }) => library.documents.update(ctx, params.id, body),
  });
  routes.json(endpoints.removeDocument, {
    auth: 'user',
    handler: ({ ctx, params }) => library.trash.removeDocument(ctx, params.id),
  });
  routes.json(endpoints.documentAccess, {
    auth: 'user',
    handler: ({ ctx, params }) => library.documents.effectiveAccess(ctx, params.id),
  });
  routes.json(endpoints.setDocumentAccess, {
    auth: 'user',
    handler: ({ ctx, params, body }) => library.documents.setAccess(ctx, params.id, body),
  });
}

function registerFileRoutes(routes: RouteRegistry, library: Library): void {
  routes.json(endpoints.upload, {
    auth: 'user',
    handler: ({ ctx, query, req }) =>
      library.files.upload(ctx, query, (maxBytes) => receiveFile(req, { field: 'file', maxBytes })),
  });
  routes.file(endpoints.download, {
    auth: 'user',
    handler: ({ ctx, params }) => library.files.download(ctx, params.id),
  });
  routes.file(endpoints.preview, {
    auth: 'user',
    handler: ({ ctx, params }) => library.files.preview(ctx, params.id),
  });
}

function registerTrashRoutes(routes: RouteRegistry, library: Library): void {
  routes.json(endpoints.trash, {
    auth: 'user',
    handler: ({ ctx }) => library.trash.list(ctx),
  });
  routes.json(endpoints.restoreDocument, {
    auth: 'user',
    handler: ({ ctx, params }) => library.trash.restoreDocument(ctx, params.id),
  });
  routes.json(endpoints.restoreFolder, {
    auth: 'user',
    handler: ({ ctx, params }) => library.trash.restoreFolder(ctx, params.id),
  });
}

export function registerLibraryRoutes(routes: RouteRegistry, library: Library): void {
  routes.json(endpoints.list, {
    auth: 'user',
    handler: ({ ctx, query }) => library.documents.list(ctx, query),
  });
  routes.json(endpoints.presence, {
    auth: 'user',
    handler: ({ ctx }) => library.documents.presence(ctx),
  });
  registerFolderRoutes(routes, library);
  registerDocumentRoutes(routes, library);
  registerFileRoutes(routes, library);
  registerTrashRoutes(routes, library);
}
