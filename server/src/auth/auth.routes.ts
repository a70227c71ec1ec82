import { authEndpoints } from '@crewdeck/shared/auth';
import type { RouteRegistry } from '../http/route.ts';
import type { UsersService } from '../users/users.service.ts';
import { clearSessionCookie, setSessionCookie } from './auth.middleware.ts';
import type { AuthService } from './auth.service.ts';

export function registerAuthRoutes(routes: RouteRegistry, auth: AuthService, users: UsersService): void {
  routes.json(authEndpoints.login, {
    auth: 'public',
    handler: async ({ ctx, body, req, res }) => {
      const result = await auth.login(ctx, body);
      setSessionCookie(req, res, result.token, result.expiresAt);
      const me = await users.me({ ...ctx, actor: result.actor, sessionId: result.sessionId });
      return { user: me };
    },
  });

  routes.json(authEndpoints.logout, {
    auth: 'pending',
    handler: async ({ ctx, req, res }) => {
      await auth.logout(ctx);
      clearSessionCookie(req, res);
      return { ok: true as const };
    },
  });

  routes.json(authEndpoints.logoutAll, {
    auth: 'pending',
    handler: async ({ ctx, req, res }) => {
      const revoked = await auth.logoutAll(ctx);
      clearSessionCookie(req, res);
      return { ok: true as const, revoked };
    },
  });

  routes.json(authEndpoints.changePassword, {
    auth: 'pending',
    handler: async ({ ctx, body }) => {
      await auth.changePassword(ctx, body);
      return { ok: true as const };
    },
  });

  routes.json(authEndpoints.me, {
    auth: 'pending',
    handler: ({ ctx }) => users.me(ctx),
  });

  routes.json(authEndpoints.session, {
    auth: 'optional',
    handler: async ({ ctx }) => {
      const { actor, sessionId } = ctx;
      return { user: actor && sessionId ? await users.me({ ...ctx, actor, sessionId }) : null };
    },
  });
}
