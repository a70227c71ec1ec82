import { clientEndpoints as endpoints } from '@crewdeck/shared/clients';
import type { RouteRegistry } from '../http/route.ts';
import type { ClientServices } from './clients.module.ts';
import type { AttachmentsService } from './attachments.service.ts';

/** `/api/crm/settings`, `/api/clients…` and their contacts. */
export function registerClientRoutes(
  routes: RouteRegistry,
  s: ClientServices & { attachments: AttachmentsService },
): void {
  routes.json(endpoints.getSettings, { auth: 'user', handler: ({ ctx }) => s.settings.get(ctx) });
  routes.json(endpoints.putSettings, { auth: 'user', handler: ({ ctx, body }) => s.settings.put(ctx, body) });
  routes.json(endpoints.list, { auth: 'user', handler: ({ ctx, query }) => s.clients.list(ctx, query) });
  routes.json(endpoints.create, { auth: 'user', handler: ({ ctx, body }) => s.clients.create(ctx, body, 'form') });
  routes.json(endpoints.assign, {
    auth: 'user',
    handler: ({ ctx, body }) => s.clients.assign(ctx, body.clientIds, body.managerId),
  });
  routes.json(endpoints.duplicates, { auth: 'user', handler: ({ ctx }) => s.review.list(ctx) });
  routes.json(endpoints.dismissDuplicate, {
    auth: 'user',
    handler: ({ ctx, params }) => s.review.dismiss(ctx, params.id),
  });
  routes.json(endpoints.merge, { auth: 'user', handler: ({ ctx, body }) => s.merges.merge(ctx, body) });
  routes.json(endpoints.listMerges, { auth: 'user', handler: ({ ctx }) => s.merges.list(ctx) });
  routes.json(endpoints.undoMerge, { auth: 'user', handler: ({ ctx, params }) => s.merges.undo(ctx, params.id) });
  routes.json(endpoints.dataQuality, { auth: 'user', handler: ({ ctx }) => s.quality.report(ctx) });
  routes.json(endpoints.dataQualityIssues, {
    auth: 'user',
    handler: ({ ctx, query }) => s.quality.issues(ctx, query),
  });
  routes.json(endpoints.get, { auth: 'user', handler: ({ ctx, params }) => s.clients.get(ctx, params.id) });
  routes.json(endpoints.update, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.clients.update(ctx, params.id, body, 'form'),
  });
  routes.json(endpoints.attachments, {
    auth: 'user',
    handler: ({ ctx, params }) => s.attachments.list(ctx, params.id),
  });
  routes.json(endpoints.attach, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.attachments.attach(ctx, params.id, body.kind, body.id),
  });
  routes.json(endpoints.detach, {
    auth: 'user',
    handler: ({ ctx, params }) => s.attachments.detach(ctx, params.id, params.kind, params.refId),
  });
  routes.json(endpoints.listContacts, {
    auth: 'user',
    handler: ({ ctx, params }) => s.clients.listContacts(ctx, params.id),
  });
  routes.json(endpoints.createContact, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.clients.createContact(ctx, params.id, body),
  });
  routes.json(endpoints.updateContact, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.clients.updateContact(ctx, params.id, params.contactId, body),
  });
  routes.json(endpoints.deleteContact, {
    auth: 'user',
    handler: ({ ctx, params }) => s.clients.deleteContact(ctx, params.id, params.contactId),
  });
}
