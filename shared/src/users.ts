import { z } from 'zod';
import { lineText } from './text.ts';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, docCodeSchema, idParamsSchema, idSchema } from './common.ts';
import { groupRefSchema } from './groups.ts';
import { limits } from './limits.ts';
import { abilitiesSchema, roleSchema } from './permissions.ts';

/** A login: an email address or a simple handle, compared case-insensitively. */
export const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(limits.loginMax)
  .regex(/^[a-z0-9._@+-]+$/, 'Use letters, digits and . _ @ + -');

/** A display name. */
export const nameSchema = lineText({ min: 1, max: limits.nameMax });

/** A user as returned by the API. Secrets are never part of it. */
export const userSchema = z.object({
  /** User id. */
  id: idSchema,
  /** Human code, e.g. `USR-12`. */
  code: docCodeSchema,
  /** Display name. */
  name: z.string(),
  /** Login (lower case). */
  login: z.string(),
  /** Built-in role. */
  role: roleSchema,
  /** Groups the user belongs to. */
  groups: z.array(groupRefSchema),
  /** True when an admin disabled the account. */
  disabled: z.boolean(),
  /** When access ends by itself (mandatory for External), or null. */
  expiresAt: dateTimeSchema.nullable(),
  /** True when `expiresAt` has passed. */
  expired: z.boolean(),
  /** Whether the user appears in the employees list. */
  showInEmployees: z.boolean(),
  /** True until the user replaces a one-time password. */
  mustChangePassword: z.boolean(),
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last change time. */
  updatedAt: dateTimeSchema,
  /** What the caller may do with this user. */
  abilities: abilitiesSchema,
});
export type User = z.infer<typeof userSchema>;

/** `POST /api/users` body. */
export const createUserSchema = z.strictObject({
  /** Display name. */
  name: nameSchema,
  /** Unique login or email. */
  login: loginSchema,
  /** Role to grant. */
  role: roleSchema,
  /** Ids of groups to join. */
  groups: z.array(idSchema).max(limits.groupsPerUserMax).optional(),
  /** Expiry (required for External), must be in the future. */
  expiresAt: dateTimeSchema.optional(),
  /** Whether to list the user among employees (default true, false for External). */
  showInEmployees: z.boolean().optional(),
});
export type CreateUser = z.infer<typeof createUserSchema>;

/** `PATCH /api/users/:id` body; only present fields change. */
export const updateUserSchema = z.strictObject({
  /** New display name. */
  name: nameSchema.optional(),
  /** New role (needs `user.changeRole`). */
  role: roleSchema.optional(),
  /** Replaces the group list. */
  groups: z.array(idSchema).max(limits.groupsPerUserMax).optional(),
  /** New expiry, or null to lift it (not allowed for External). */
  expiresAt: dateTimeSchema.nullable().optional(),
  /** Disable (true) or enable (false) the account (needs `user.disable`). */
  disabled: z.boolean().optional(),
  /** Whether to list the user among employees. */
  showInEmployees: z.boolean().optional(),
});
export type UpdateUser = z.infer<typeof updateUserSchema>;

/** `GET /api/users` query. */
export const userListQuerySchema = z.object({
  /** Only users of this role. */
  role: roleSchema.optional(),
  /** Only members of this group. */
  group: idSchema.optional(),
  /** Include disabled users (default true). */
  includeDisabled: z.enum(['true', 'false']).optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;

/** `GET /api/users` response. */
export const userListSchema = z.object({
  /** Users ordered by name. */
  items: z.array(userSchema),
  /** What the caller may do with users in general (e.g. `user.create`). */
  abilities: abilitiesSchema,
});
export type UserList = z.infer<typeof userListSchema>;

/** Single-user response. */
export const userResponseSchema = z.object({
  /** The user. */
  user: userSchema,
});
export type UserResponse = z.infer<typeof userResponseSchema>;

/** `POST /api/users` response. */
export const createUserResponseSchema = z.object({
  /** The new user. */
  user: userSchema,
  /** Password to hand over; it must be changed at first login and is shown only once. */
  oneTimePassword: z.string(),
});
export type CreateUserResponse = z.infer<typeof createUserResponseSchema>;

/** `POST /api/users/:id/reset-password` response. */
export const resetPasswordResponseSchema = z.object({
  /** New one-time password, shown only once; all the user's sessions were ended. */
  oneTimePassword: z.string(),
});
export type ResetPasswordResponse = z.infer<typeof resetPasswordResponseSchema>;

export const userEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/users',
    tag: 'users',
    query: userListQuerySchema,
    response: userListSchema,
    summary: 'List users',
  },
  create: {
    method: 'post',
    path: '/api/users',
    tag: 'users',
    body: createUserSchema,
    response: createUserResponseSchema,
    status: 201,
    summary: 'Create a user; answers a one-time password shown only once',
  },
  get: {
    method: 'get',
    path: '/api/users/:id',
    tag: 'users',
    params: idParamsSchema,
    response: userResponseSchema,
    summary: 'One user',
  },
  update: {
    method: 'patch',
    path: '/api/users/:id',
    tag: 'users',
    params: idParamsSchema,
    body: updateUserSchema,
    response: userResponseSchema,
    summary: 'Change name, role, groups, expiry, visibility, or disable/enable',
  },
  resetPassword: {
    method: 'post',
    path: '/api/users/:id/reset-password',
    tag: 'users',
    params: idParamsSchema,
    response: resetPasswordResponseSchema,
    summary: 'Issue a new one-time password and end all of the user’s sessions',
  },
});
