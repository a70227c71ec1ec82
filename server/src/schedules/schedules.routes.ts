import { calendarEndpoints as endpoints } from '@crewdeck/shared/calendar';
import type { RouteRegistry } from '../http/route.ts';
import type { ScheduleServices } from './schedules.module.ts';

/** `GET|PUT /api/users/:id/schedule` and `/api/absences`. */
export function registerScheduleRoutes(routes: RouteRegistry, s: ScheduleServices): void {
  routes.json(endpoints.getSchedule, {
    auth: 'user',
    handler: ({ ctx, params }) => s.schedules.get(ctx, params.id),
  });
  routes.json(endpoints.putSchedule, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.schedules.put(ctx, params.id, body),
  });
  routes.json(endpoints.listAbsences, {
    auth: 'user',
    handler: ({ ctx, query }) => s.absences.list(ctx, query),
  });
  routes.json(endpoints.createAbsence, {
    auth: 'user',
    handler: ({ ctx, body }) => s.absences.create(ctx, body),
  });
  routes.json(endpoints.decideAbsence, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.absences.decide(ctx, params.id, body.decision),
  });
  routes.json(endpoints.cancelAbsence, {
    auth: 'user',
    handler: ({ ctx, params }) => s.absences.cancel(ctx, params.id),
  });
}
