import { auditEndpoints } from '@crewdeck/shared/audit';
import type { RouteRegistry } from '../http/route.ts';
import type { AuditService } from './audit.service.ts';

export function registerAuditRoutes(routes: RouteRegistry, service: AuditService): void {
  routes.json(auditEndpoints.list, {
    auth: 'user',
    handler: ({ ctx, query }) => service.list(ctx, query),
  });

  routes.json(auditEndpoints.verify, {
    auth: 'user',
    handler: ({ ctx }) => service.verify(ctx),
  });

  routes.csv(auditEndpoints.exportCsv, {
    auth: 'user',
    handler: ({ ctx, query }) => service.exportCsv(ctx, query),
  });
}
