import { idParamsSchema } from '@crewdeck/shared/common';
import {
  createUserResponseSchema,
  createUserSchema,
  resetPasswordResponseSchema,
  updateUserSchema,
  userListQuerySchema,
  userListSchema,
  userResponseSchema,
} from '@crewdeck/shared/users';
import type { RouteRegistry } from '../http/route.ts';
import type { UsersService } from './users.service.ts';

export function registerUserRoutes(routes: RouteRegistry, service: UsersService): void {
  routes.json({
    method: 'get',
    path: '/api/users',
    summary: 'List users',
    tag: 'users',
    auth: 'user',
    query: userListQuerySchema,
    response: userListSchema,
    handler: ({ ctx, query }) => service.list(ctx, query),
  });

  routes.json({
    method: 'post',
    path: '/api/users',
    summary: 'Create a user; answers a one-time password shown only once',
    tag: 'users',
    auth: 'user',
    body: createUserSchema,
    response: createUserResponseSchema,
    status: 201,
    handler: ({ ctx, body }) => service.create(ctx, body),
  });

  routes.json({
    method: 'get',
    path: '/api/users/:id',
    summary: 'One user',
    tag: 'users',
    auth: 'user',
    params: idParamsSchema,
    response: userResponseSchema,
    handler: ({ ctx, params }) => service.get(ctx, params.id),
  });

  routes.json({
    method: 'patch',
    path: '/api/users/:id',
    summary: 'Change name, role, groups, expiry, visibility, or disable/enable',
    tag: 'users',
    auth: 'user',
    params: idParamsSchema,
    body: updateUserSchema,
    response: userResponseSchema,
    handler: ({ ctx, params, body }) => service.update(ctx, params.id, body),
  });

  routes.json({
    method: 'post',
    path: '/api/users/:id/reset-password',
    summary: 'Issue a new one-time password and end all of the user’s sessions',
    tag: 'users',
    auth: 'user',
    params: idParamsSchema,
    response: resetPasswordResponseSchema,
    handler: ({ ctx, params }) => service.resetPassword(ctx, params.id),
  });
}
