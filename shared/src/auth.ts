import { z } from 'zod';
import { lineText } from './text.ts';
import { okSchema } from './common.ts';
import { defineEndpoints } from './endpoint.ts';
import { limits } from './limits.ts';
import { actionSchema, roleSchema } from './permissions.ts';
import { profileSchema, userSchema } from './users.ts';

/** A password as typed; never trimmed. */
export const passwordSchema = z.string().min(1).max(limits.passwordMax);

/** A new password must meet the length rules. */
export const newPasswordSchema = z
  .string()
  .min(limits.passwordMin, `At least ${limits.passwordMin} characters`)
  .max(limits.passwordMax);

/** `POST /api/auth/login` body. */
export const loginInputSchema = z.strictObject({
  /** Login or email, case-insensitive. */
  login: lineText({ min: 1, max: limits.loginMax }).toLowerCase(),
  /** Password. */
  password: passwordSchema,
});
export type LoginInput = z.infer<typeof loginInputSchema>;

/** `POST /api/auth/password` body. */
export const changePasswordSchema = z
  .strictObject({
    /** The current (or one-time) password. */
    currentPassword: passwordSchema,
    /** The new password. */
    newPassword: newPasswordSchema,
  })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ['newPassword'],
    message: 'Must differ from the current password',
  });
export type ChangePassword = z.infer<typeof changePasswordSchema>;

/**
 * `GET /api/me` response, and `user` in the login response: the signed-in user's public
 * fields, with `abilities` holding the effective permissions (every action → allowed).
 */
export const meSchema = userSchema.extend({
  /** Effective permissions of the user's role: every action → allowed. */
  abilities: z.record(actionSchema, z.boolean()),
  /** True until the one-time password is replaced; only me/password/logout work until then. */
  mustChangePassword: z.boolean(),
  /** Roles this user may give to others when creating a user or changing a role. */
  assignableRoles: z.array(roleSchema),
  /** Language, theme, time zone, notification kinds and avatar, to apply at start. */
  profile: profileSchema,
});
export type Me = z.infer<typeof meSchema>;

/** `POST /api/auth/login` response. */
export const loginResponseSchema = z.object({
  /** The signed-in user. */
  user: meSchema,
});

/** `POST /api/auth/logout-all` response. */
export const logoutAllSchema = z.object({
  /** Always true. */
  ok: z.literal(true),
  /** How many sessions were ended, including the current one. */
  revoked: z.number().int().nonnegative(),
});

/** `GET /api/session` response: who is signed in, `null` when nobody is (an answer, not an error). */
export const sessionResponseSchema = z.object({
  user: meSchema.nullable(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const authEndpoints = defineEndpoints({
  login: {
    method: 'post',
    path: '/api/auth/login',
    tag: 'auth',
    body: loginInputSchema,
    response: loginResponseSchema,
    summary: 'Sign in; sets the httpOnly session cookie',
  },
  logout: {
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    response: okSchema,
    summary: 'End the current session',
  },
  logoutAll: {
    method: 'post',
    path: '/api/auth/logout-all',
    tag: 'auth',
    response: logoutAllSchema,
    summary: 'End every session of the current user, on every device',
  },
  changePassword: {
    method: 'post',
    path: '/api/auth/password',
    tag: 'auth',
    body: changePasswordSchema,
    response: okSchema,
    summary: 'Change the own password (required after a one-time password)',
  },
  me: {
    method: 'get',
    path: '/api/me',
    tag: 'auth',
    response: meSchema,
    summary: 'The signed-in user with role, groups and effective permissions',
  },
  session: {
    method: 'get',
    path: '/api/session',
    tag: 'auth',
    response: sessionResponseSchema,
    summary: 'The signed-in user, or null when nobody is signed in (200 either way)',
  },
});
