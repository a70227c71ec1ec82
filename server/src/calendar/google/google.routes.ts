import { ForbiddenError, ValidationError } from '../../http/errors.ts';
import { calendarEndpoints } from '@crewdeck/shared/calendar';
import type { RouteRegistry } from '../../http/route.ts';
import type { AccessControl } from '../../permissions/access-control.ts';
import type { GoogleSyncService } from './google-sync.service.ts';

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function registerGoogleRoutes(routes: RouteRegistry, service: GoogleSyncService, access: AccessControl): void {
  routes.json(calendarEndpoints.googleStatus, {
    auth: 'user',
    handler: async ({ ctx }) => {
      await access.authorize(ctx, 'calendar.read');
      return service.status(ctx.actor.id);
    },
  });
  routes.raw(calendarEndpoints.googleConnect, {
    auth: 'user',
    handler: async ({ ctx, res }) => {
      await access.authorize(ctx, 'calendar.write');
      res.redirect(302, service.connectUrl(ctx));
    },
  });
  routes.raw(calendarEndpoints.googleCallback, {
    auth: 'user',
    handler: async ({ ctx, query, res }) => {
      await access.authorize(ctx, 'calendar.write');
      res.redirect(302, await service.callback(ctx, query));
    },
  });
  routes.json(calendarEndpoints.googleDisconnect, {
    auth: 'user',
    handler: async ({ ctx }) => {
      await service.disconnect(ctx.actor.id);
      return { ok: true as const };
    },
  });
  // Google calls this without a session; the channel token is the credential.
  routes.raw(calendarEndpoints.googleNotifications, {
    auth: 'public',
    handler: async ({ req, res }) => {
      const status = await service.notification({
        channelId: header(req.headers['x-goog-channel-id']),
        token: header(req.headers['x-goog-channel-token']),
        state: header(req.headers['x-goog-resource-state']),
      });
      // Refusals carry the one error body like every other endpoint.
      if (status === 400) throw new ValidationError({ 'x-goog-channel-id': 'A push notification names its channel' });
      if (status === 403) throw new ForbiddenError('Wrong channel token');
      res.status(status).end();
    },
  });
}
