import { z } from 'zod';
import { lineText } from './text.ts';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, docCodeSchema, idParamsSchema, idSchema } from './common.ts';
import { groupRefSchema } from './groups.ts';
import { limits } from './limits.ts';
import { notificationKindSchema, notificationKinds } from './notifications.ts';
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

/** Interface languages. */
export const languages = ['en', 'ru', 'fa'] as const;
export const languageSchema = z.enum(languages);
export type Language = z.infer<typeof languageSchema>;

/** Colour themes; `system` follows `prefers-color-scheme`. */
export const themes = ['system', 'light', 'dark'] as const;
export const themeSchema = z.enum(themes);
export type Theme = z.infer<typeof themeSchema>;

/** The canonical IANA name of a time zone (`Europe/Berlin`), or null when it is not one. */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** An IANA time zone name such as `Asia/Tehran`; stored in its canonical spelling. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: 'Choose a time zone from the list, e.g. Europe/Berlin' });
    return z.NEVER;
  });

/** Which kinds of notification the user receives: every kind → on/off. */
export const notificationPrefsSchema = z.record(notificationKindSchema, z.boolean());
export type NotificationPrefs = z.infer<typeof notificationPrefsSchema>;

/** Every notification kind on: the default for everyone. */
export const allNotificationsOn = (): NotificationPrefs =>
  Object.fromEntries(notificationKinds.map((k) => [k, true])) as NotificationPrefs;

/** The signed-in user's own profile (also `profile` in `GET /api/me`). */
export const profileSchema = z.object({
  /** Display name. */
  name: z.string(),
  /** IANA time zone, or null: use the browser's. */
  timeZone: z.string().nullable(),
  /** Interface language, or null: take it from the browser. */
  language: languageSchema.nullable(),
  /** Colour theme. */
  theme: themeSchema,
  /** Which notification kinds to receive. */
  notifications: notificationPrefsSchema,
  /** Contact phone ('' when not given). */
  phone: z.string(),
  /** Contact email ('' when not given). */
  email: z.string(),
  /** `GET /api/users/:id/avatar` with a cache-busting version, or null without an avatar. */
  avatarUrl: z.string().nullable(),
});
export type Profile = z.infer<typeof profileSchema>;

/** `PATCH /api/profile` body; only present fields change. */
export const updateProfileSchema = z.strictObject({
  /** New display name. */
  name: nameSchema.optional(),
  /** IANA time zone, or null for the browser's. */
  timeZone: timeZoneSchema.nullable().optional(),
  /** Interface language, or null for the browser's. */
  language: languageSchema.nullable().optional(),
  /** Colour theme. */
  theme: themeSchema.optional(),
  /** Notification kinds to turn on (true) or off (false); kinds not named stay as they are. */
  notifications: z.partialRecord(notificationKindSchema, z.boolean()).optional(),
  /** Contact phone ('' to clear). */
  phone: z
    .string()
    .trim()
    .max(limits.phoneMax)
    .regex(/^[0-9+()./ -]*$/, 'Use digits, spaces and + ( ) - . /')
    .optional(),
  /** Contact email ('' to clear). */
  email: z.union([z.literal(''), z.email().max(limits.contactEmailMax)]).optional(),
});
export type UpdateProfile = z.infer<typeof updateProfileSchema>;

/** `{ profile }` answers of the profile routes. */
export const profileResponseSchema = z.object({
  /** The profile after the change. */
  profile: profileSchema,
});
export type ProfileResponse = z.infer<typeof profileResponseSchema>;

/** A project as shown in the people directory. */
export const personProjectSchema = z.object({
  /** Project id. */
  id: idSchema,
  /** Project code, e.g. `WEB`. */
  code: z.string(),
  /** Project name. */
  name: z.string(),
});

/** One entry of the people directory. */
export const personSchema = z.object({
  /** User id. */
  id: idSchema,
  /** Display name. */
  name: z.string(),
  /** Login (what `@mentions` use). */
  login: z.string(),
  /** Workspace role. */
  role: roleSchema,
  /** Groups the person belongs to. */
  groups: z.array(groupRefSchema),
  /** Projects the person is a member of, among those the caller may read. */
  projects: z.array(personProjectSchema),
  /** Contact email ('' when not given). */
  email: z.string(),
  /** Contact phone ('' when not given). */
  phone: z.string(),
  /** IANA time zone, or null. */
  timeZone: z.string().nullable(),
  /** Avatar URL, or null. */
  avatarUrl: z.string().nullable(),
});
export type Person = z.infer<typeof personSchema>;

/** `GET /api/people` query. */
export const peopleQuerySchema = z.strictObject({
  /** Case-insensitive text in name, login, email or phone. */
  q: lineText({ min: 1, max: limits.nameMax }).optional(),
  /** Only this role. */
  role: roleSchema.optional(),
  /** Only members of this group. */
  group: idSchema.optional(),
  /** Only members of this project (one the caller may read). */
  project: idSchema.optional(),
});
export type PeopleQuery = z.infer<typeof peopleQuerySchema>;

/** `GET /api/people` response. */
export const peopleListSchema = z.object({
  /** Active people listed among employees, by name. */
  items: z.array(personSchema),
});
export type PeopleList = z.infer<typeof peopleListSchema>;

export const profileEndpoints = defineEndpoints({
  get: {
    method: 'get',
    path: '/api/profile',
    tag: 'profile',
    response: profileResponseSchema,
    summary: 'The signed-in user’s profile',
  },
  update: {
    method: 'patch',
    path: '/api/profile',
    tag: 'profile',
    body: updateProfileSchema,
    response: profileResponseSchema,
    summary: 'Change name, time zone, language, theme, notification kinds or contact details',
  },
  uploadAvatar: {
    method: 'put',
    path: '/api/profile/avatar',
    tag: 'profile',
    response: profileResponseSchema,
    summary: 'Set the avatar (multipart/form-data, one part named `file`: PNG, JPEG or WebP, at most 2 MB)',
  },
  removeAvatar: {
    method: 'delete',
    path: '/api/profile/avatar',
    tag: 'profile',
    response: profileResponseSchema,
    summary: 'Remove the avatar',
  },
  avatar: {
    method: 'get',
    path: '/api/users/:id/avatar',
    tag: 'profile',
    params: idParamsSchema,
    produces: 'file',
    summary: 'A user’s avatar image (404 without one)',
  },
  people: {
    method: 'get',
    path: '/api/people',
    tag: 'profile',
    query: peopleQuerySchema,
    response: peopleListSchema,
    summary: 'The people directory: active users listed among employees, filterable',
  },
});
