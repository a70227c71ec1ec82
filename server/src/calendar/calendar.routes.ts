import { calendarEndpoints as e } from '@crewdeck/shared/calendar';
import type { Request } from 'express';
import type { RouteRegistry } from '../http/route.ts';
import type { CalendarServices } from './calendar.module.ts';

/** Where feed addresses point: PUBLIC_URL when set, else the address the caller used. */
export function publicBase(req: Request, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function registerCalendarRoutes(routes: RouteRegistry, s: CalendarServices, publicUrl?: string): void {
  routes.json(e.listEvents, { auth: 'user', handler: ({ ctx, query }) => s.events.list(ctx, query) });
  routes.json(e.createEvent, { auth: 'user', handler: ({ ctx, body }) => s.events.create(ctx, body) });
  routes.json(e.getEvent, { auth: 'user', handler: ({ ctx, params }) => s.events.get(ctx, params.id) });
  routes.json(e.updateEvent, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.events.update(ctx, params.id, body),
  });
  routes.json(e.deleteEvent, {
    auth: 'user',
    handler: ({ ctx, params, query }) => s.events.remove(ctx, params.id, query),
  });
  routes.json(e.respond, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.events.respond(ctx, params.id, body.response),
  });
  routes.json(e.freeBusy, {
    auth: 'user',
    handler: ({ ctx, query }) => s.calendars.freeBusy(ctx, query.users, new Date(query.from), new Date(query.to)),
  });
  routes.json(e.findSlot, {
    auth: 'user',
    handler: ({ ctx, query }) =>
      s.calendars.findSlots(
        ctx,
        query.users,
        new Date(query.from),
        new Date(query.to),
        query.duration,
        query.limit ?? 5,
      ),
  });
  routes.json(e.listCalendars, { auth: 'user', handler: ({ ctx }) => s.calendars.list(ctx) });
  routes.json(e.createCalendar, { auth: 'user', handler: ({ ctx, body }) => s.calendars.create(ctx, body) });
  routes.json(e.updateCalendar, {
    auth: 'user',
    handler: ({ ctx, params, body }) => s.calendars.update(ctx, params.id, body),
  });
  routes.json(e.feedUrl, {
    auth: 'user',
    handler: ({ ctx, query, req }) => s.feeds.address(ctx, publicBase(req, publicUrl), query.calendarId),
  });
  routes.json(e.rotateFeed, {
    auth: 'user',
    handler: ({ ctx, query, req }) => s.feeds.rotate(ctx, publicBase(req, publicUrl), query.calendarId),
  });
  routes.raw(e.feed, {
    auth: 'public',
    handler: async ({ params, req, res }) => {
      const { body, etag } = await s.feeds.render(
        params.file.replace(/\.ics$/, ''),
        publicBase(req, publicUrl),
        req.headers['if-none-match'],
      );
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', 'private, no-cache');
      // The token is the credential: keep it out of referrers and caches shared between users.
      res.setHeader('Referrer-Policy', 'no-referrer');
      if (body === null) {
        res.status(304).end();
        return;
      }
      res
        .status(200)
        .type('text/calendar; charset=utf-8')
        .setHeader('Content-Disposition', 'inline; filename="crewdeck.ics"');
      res.send(body);
    },
  });
}
