import { idParamsSchema } from '@crewdeck/shared/common';
import { periodQuerySchema, timeInSystemSchema, userTimeResponseSchema } from '@crewdeck/shared/reports';
import type { RouteRegistry } from '../http/route.ts';
import type { ReportsService } from './reports.service.ts';

export function registerReportRoutes(routes: RouteRegistry, service: ReportsService): void {
  routes.json({
    method: 'get',
    path: '/api/reports/time-in-system',
    summary: 'Time in the system per user for a period',
    tag: 'reports',
    auth: 'user',
    query: periodQuerySchema,
    response: timeInSystemSchema,
    handler: ({ ctx, query }) => service.forAll(ctx, query),
  });

  routes.json({
    method: 'get',
    path: '/api/users/:id/time',
    summary: 'Time in the system of one user for a period',
    tag: 'reports',
    auth: 'user',
    params: idParamsSchema,
    query: periodQuerySchema,
    response: userTimeResponseSchema,
    handler: ({ ctx, params, query }) => service.forUser(ctx, params.id, query),
  });
}
