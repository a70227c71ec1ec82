import { auditFilterSchema, auditPageSchema, auditQuerySchema, auditVerifySchema } from '@crewdeck/shared/audit';
import type { RouteRegistry } from '../http/route.ts';
import type { AuditService } from './audit.service.ts';

export function registerAuditRoutes(routes: RouteRegistry, service: AuditService): void {
  routes.json({
    method: 'get',
    path: '/api/audit',
    summary: 'Journal entries, newest first, filtered and paginated',
    tag: 'audit',
    auth: 'user',
    query: auditQuerySchema,
    response: auditPageSchema,
    handler: ({ ctx, query }) => service.list(ctx, query),
  });

  routes.json({
    method: 'get',
    path: '/api/audit/verify',
    summary: 'Recompute the hash chain and report where it broke',
    tag: 'audit',
    auth: 'user',
    response: auditVerifySchema,
    handler: ({ ctx }) => service.verify(ctx),
  });

  routes.csv({
    method: 'get',
    path: '/api/audit/export.csv',
    summary: 'The journal as CSV, oldest first, with the same filters',
    tag: 'audit',
    auth: 'user',
    query: auditFilterSchema,
    handler: ({ ctx, query }) => service.exportCsv(ctx, query),
  });
}
