import {
  changePasswordSchema,
  loginInputSchema,
  loginResponseSchema,
  logoutAllSchema,
  meSchema,
  okSchema,
} from '@crewdeck/shared/auth';
import type { RouteRegistry } from '../http/route.ts';
import type { UsersService } from '../users/users.service.ts';
import { clearSessionCookie, setSessionCookie } from './auth.middleware.ts';
import type { AuthService } from './auth.service.ts';

export function registerAuthRoutes(routes: RouteRegistry, auth: AuthService, users: UsersService): void {
  routes.json({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Sign in; sets the httpOnly session cookie',
    tag: 'auth',
    auth: 'public',
    body: loginInputSchema,
    response: loginResponseSchema,
    handler: async ({ ctx, body, req, res }) => {
      const result = await auth.login(ctx, body);
      setSessionCookie(req, res, result.token, result.expiresAt);
      const me = await users.me({ ...ctx, actor: result.actor, sessionId: result.sessionId });
      return { user: me };
    },
  });

  routes.json({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'End the current session',
    tag: 'auth',
    auth: 'pending',
    response: okSchema,
    handler: async ({ ctx, req, res }) => {
      await auth.logout(ctx);
      clearSessionCookie(req, res);
      return { ok: true as const };
    },
  });

  routes.json({
    method: 'post',
    path: '/api/auth/logout-all',
    summary: 'End every session of the current user, on every device',
    tag: 'auth',
    auth: 'pending',
    response: logoutAllSchema,
    handler: async ({ ctx, req, res }) => {
      const revoked = await auth.logoutAll(ctx);
      clearSessionCookie(req, res);
      return { ok: true as const, revoked };
    },
  });

  routes.json({
    method: 'post',
    path: '/api/auth/password',
    summary: 'Change the own password (required after a one-time password)',
    tag: 'auth',
    auth: 'pending',
    body: changePasswordSchema,
    response: okSchema,
    handler: async ({ ctx, body }) => {
      await auth.changePassword(ctx, body);
      return { ok: true as const };
    },
  });

  routes.json({
    method: 'get',
    path: '/api/me',
    summary: 'The signed-in user with role, groups and effective permissions',
    tag: 'auth',
    auth: 'pending',
    response: meSchema,
    handler: ({ ctx }) => users.me(ctx),
  });
}
