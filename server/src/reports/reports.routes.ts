import { reportEndpoints } from '@crewdeck/shared/reports';
import type { RouteRegistry } from '../http/route.ts';
import type { ReportsService } from './reports.service.ts';

export function registerReportRoutes(routes: RouteRegistry, service: ReportsService): void {
  routes.json(reportEndpoints.timeInSystem, {
    auth: 'user',
    handler: ({ ctx, query }) => service.forAll(ctx, query),
  });

  routes.json(reportEndpoints.userTime, {
    auth: 'user',
    handler: ({ ctx, params, query }) => service.forUser(ctx, params.id, query),
  });
}
