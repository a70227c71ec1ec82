// TEMPORARY local mirror of the API contract of issue 3, used until `@crewdeck/shared` exports
// the same schemas. Each schema here is replaced by an import from `@crewdeck/shared/<name>`
// as soon as it exists; keep the names identical so the swap is an import change.
import { z } from 'zod';

export const ROLES = ['Owner', 'Admin', 'Lead', 'Member', 'Tester', 'External'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Shared error body: every non-2xx answer of the API. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

const groupRefSchema = z.object({ id: z.string(), name: z.string() });
export type GroupRef = z.infer<typeof groupRefSchema>;

export const userSchema = z.looseObject({
  id: z.string(),
  code: z.string().optional(),
  name: z.string(),
  login: z.string(),
  role: roleSchema,
  groups: z.array(z.union([z.string(), groupRefSchema])).default([]),
  disabled: z.boolean().default(false),
  expiresAt: z.string().nullable().optional(),
  showInEmployees: z.boolean().optional(),
  mustChangePassword: z.boolean().optional(),
  lastLoginAt: z.string().nullable().optional(),
  abilities: z.record(z.string(), z.boolean()).optional(),
});
export type User = z.infer<typeof userSchema>;

export const meSchema = userSchema.extend({
  abilities: z.record(z.string(), z.boolean()),
  mustChangePassword: z.boolean().default(false),
});
export type Me = z.infer<typeof meSchema>;

export const loginResponseSchema = z.object({ user: userSchema });
export const usersResponseSchema = z.union([
  z.array(userSchema),
  z.object({ users: z.array(userSchema) }).transform((r) => r.users),
  z.object({ items: z.array(userSchema) }).transform((r) => r.items),
]);
export const createUserResponseSchema = z.object({ user: userSchema, oneTimePassword: z.string() });
export const userResponseSchema = z.union([
  z.object({ user: userSchema }).transform((r) => r.user),
  userSchema,
]);
export const resetPasswordResponseSchema = z.object({ oneTimePassword: z.string() });

export type CreateUserInput = {
  name: string;
  login: string;
  role: Role;
  groups?: string[];
  expiresAt?: string | null;
  showInEmployees?: boolean;
};
export type UpdateUserInput = Partial<Omit<CreateUserInput, 'login'>> & { disabled?: boolean };

export const groupSchema = z.looseObject({
  id: z.string(),
  code: z.string().optional(),
  name: z.string(),
  description: z.string().optional(),
  members: z.array(z.union([z.string(), groupRefSchema])).default([]),
});
export type Group = z.infer<typeof groupSchema>;
export const groupsResponseSchema = z.union([
  z.array(groupSchema),
  z.object({ groups: z.array(groupSchema) }).transform((r) => r.groups),
  z.object({ items: z.array(groupSchema) }).transform((r) => r.items),
]);
export const groupResponseSchema = z.union([
  z.object({ group: groupSchema }).transform((r) => r.group),
  groupSchema,
]);
export type GroupInput = { name: string; description?: string; members?: string[] };

/** Permission table: action × role → allowed. */
export const permissionsSchema = z.object({
  actions: z.array(z.string()).optional(),
  matrix: z.record(z.string(), z.record(z.string(), z.boolean())),
});
export type Permissions = z.infer<typeof permissionsSchema>;

const auditActorSchema = z.union([z.string(), z.looseObject({ id: z.string(), name: z.string().optional(), login: z.string().optional() })]);
export const auditEntrySchema = z.looseObject({
  id: z.string().optional(),
  seq: z.number().optional(),
  at: z.string(),
  action: z.string(),
  ip: z.string().nullable().optional(),
  user: auditActorSchema.nullable().optional(),
  affectedUser: auditActorSchema.nullable().optional(),
  affectedGroup: auditActorSchema.nullable().optional(),
  permission: z.string().nullable().optional(),
  code: z.string().nullable().optional(),
  comment: z.string().nullable().optional(),
  outcome: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), next: z.string().nullable().optional() });
export type AuditPage = z.infer<typeof auditPageSchema>;
export const auditVerifySchema = z.looseObject({ ok: z.boolean(), checked: z.number() });
export type AuditVerify = z.infer<typeof auditVerifySchema>;

export type AuditFilters = {
  user?: string;
  affectedUser?: string;
  action?: string;
  code?: string;
  from?: string;
  to?: string;
};
