import { z } from 'zod';
import { lineText, multiLineText } from './text.ts';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, idParamsSchema, idSchema } from './common.ts';
import { limits } from './limits.ts';
import { abilitiesSchema } from './permissions.ts';

/** A person's role inside one project; it narrows what their workspace role allows. */
export const projectRoles = ['lead', 'member', 'tester', 'external'] as const;
export const projectRoleSchema = z.enum(projectRoles);
export type ProjectRole = z.infer<typeof projectRoleSchema>;

/** How a status counts for progress: not started, being worked on, finished. */
export const statusCategorySchema = z.enum(['todo', 'active', 'done']);
export type StatusCategory = z.infer<typeof statusCategorySchema>;

/** A calendar day, `2026-01-31`. */
export const dateOnlySchema = z.iso.date();

/** One task status a project offers. */
export const statusDefSchema = z.strictObject({
  /** Stable key stored on tasks, e.g. `in_progress`. */
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'Lower-case letters, digits and _'),
  /** Label shown on the board. */
  name: lineText({ min: 1, max: 40 }),
  /** Progress bucket. */
  category: statusCategorySchema,
});
export type StatusDef = z.infer<typeof statusDefSchema>;

/** backlog → todo → in progress → review → done. */
export const defaultStatuses: StatusDef[] = [
  { key: 'backlog', name: 'Backlog', category: 'todo' },
  { key: 'todo', name: 'To do', category: 'todo' },
  { key: 'in_progress', name: 'In progress', category: 'active' },
  { key: 'review', name: 'Review', category: 'active' },
  { key: 'done', name: 'Done', category: 'done' },
];

const statusesSchema = z
  .array(statusDefSchema)
  .min(2)
  .max(limits.statusesMax)
  .refine((list) => new Set(list.map((s) => s.key)).size === list.length, 'Status keys must be unique')
  .refine((list) => list.some((s) => s.category === 'done'), 'At least one status must count as done');

/** Project code prefix, e.g. `WEB`; tasks become `WEB-42`. */
/** Prefixes of other documents' codes (`USR-12`, `GRP-3`, `DOC-7`): a project may not take them. */
export const reservedCodePrefixes = ['USR', 'GRP', 'DOC', 'CLI'] as const;

export const projectCodeSchema = z
  .string()
  .regex(/^[A-Z]{2,8}$/, '2–8 capital letters')
  .refine(
    (code) => !(reservedCodePrefixes as readonly string[]).includes(code),
    'This code is reserved; choose another',
  );

const projectName = lineText({ min: 1, max: limits.projectNameMax });
const description = multiLineText({ max: limits.descriptionMax });

/** Tasks and estimated hours in one progress bucket. */
export const progressBucketSchema = z.object({
  /** Number of tasks. */
  tasks: z.number().int().nonnegative(),
  /** Sum of their estimates, in hours. */
  hours: z.number().nonnegative(),
});

/** Done / in progress / remaining, for progress bars. */
export const progressSchema = z.object({
  /** Tasks in a `done` status. */
  done: progressBucketSchema,
  /** Tasks in an `active` status. */
  inProgress: progressBucketSchema,
  /** Tasks not started (`todo` statuses). */
  remaining: progressBucketSchema,
});
export type Progress = z.infer<typeof progressSchema>;

/** A project member. */
export const projectMemberSchema = z.object({
  /** User id. */
  userId: idSchema,
  /** Display name. */
  name: z.string(),
  /** Role in this project. */
  role: projectRoleSchema,
});
export type ProjectMember = z.infer<typeof projectMemberSchema>;

/** A project as returned by the API. */
export const projectSchema = z.object({
  /** Project id. */
  id: idSchema,
  /** Code prefix, e.g. `WEB`. */
  code: projectCodeSchema,
  /** Name. */
  name: z.string(),
  /** Free-text description. */
  description: z.string(),
  /** Archived projects are read-only until restored. */
  archived: z.boolean(),
  /** Statuses in board order. */
  statuses: z.array(statusDefSchema),
  /** Members with their project role. */
  members: z.array(projectMemberSchema),
  /** Top-level tasks and subtasks by progress bucket. */
  progress: progressSchema,
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last change time. */
  updatedAt: dateTimeSchema,
  /** What the caller may do in this project. */
  abilities: abilitiesSchema,
});
export type Project = z.infer<typeof projectSchema>;

/** `POST /api/projects` body. */
export const createProjectSchema = z.strictObject({
  /** Name. */
  name: projectName,
  /** Unique code prefix. */
  code: projectCodeSchema,
  /** Optional description. */
  description: description.optional(),
  /** Statuses; default backlog → todo → in progress → review → done. */
  statuses: statusesSchema.optional(),
});
export type CreateProject = z.infer<typeof createProjectSchema>;

/** `PATCH /api/projects/:id` body; only present fields change. */
export const updateProjectSchema = z.strictObject({
  /** New name. */
  name: projectName.optional(),
  /** New description. */
  description: description.optional(),
  /** Archive (true) or restore (false). */
  archived: z.boolean().optional(),
  /** New status list; statuses still used by tasks must stay. */
  statuses: statusesSchema.optional(),
});
export type UpdateProject = z.infer<typeof updateProjectSchema>;

/** `GET /api/projects` query. */
export const projectListQuerySchema = z.strictObject({
  /** `true` includes archived projects. */
  archived: z.enum(['true', 'false']).optional(),
});
export type ProjectListQuery = z.infer<typeof projectListQuerySchema>;

/** `GET /api/projects` response. */
export const projectListSchema = z.object({
  /** Projects the caller may read, by name. */
  items: z.array(projectSchema),
  /** General abilities (`project.create`). */
  abilities: abilitiesSchema,
});
export type ProjectList = z.infer<typeof projectListSchema>;

/** Single-project response. */
export const projectResponseSchema = z.object({
  /** The project. */
  project: projectSchema,
});
export type ProjectResponse = z.infer<typeof projectResponseSchema>;

/** `POST /api/projects/:id/members` body. */
export const addMemberSchema = z.strictObject({
  /** User to add. */
  userId: idSchema,
  /** Their role in the project. */
  role: projectRoleSchema,
});
export type AddMember = z.infer<typeof addMemberSchema>;

/** `PATCH /api/projects/:id/members/:userId` body. */
export const updateMemberSchema = z.strictObject({
  /** New project role. */
  role: projectRoleSchema,
});
export type UpdateMember = z.infer<typeof updateMemberSchema>;

/** Route parameters `:id/members/:userId`. */
export const memberParamsSchema = z.object({
  /** Project id. */
  id: idSchema,
  /** Member's user id. */
  userId: idSchema,
});

/** Milestone lifecycle. */
export const milestoneStatusSchema = z.enum(['planned', 'active', 'completed', 'canceled']);

/** A milestone with its progress. */
export const milestoneSchema = z.object({
  /** Milestone id. */
  id: idSchema,
  /** Project it belongs to. */
  projectId: idSchema,
  /** Human code, e.g. `WEB-M3`. */
  code: z.string(),
  /** Title. */
  title: z.string(),
  /** Description. */
  description: z.string(),
  /** First day, or null. */
  startDate: dateOnlySchema.nullable(),
  /** Due day, or null. */
  dueDate: dateOnlySchema.nullable(),
  /** Lifecycle status. */
  status: milestoneStatusSchema,
  /** Done / in progress / remaining tasks and hours. */
  progress: progressSchema,
  /** What the caller may do with it. */
  abilities: abilitiesSchema,
});
export type Milestone = z.infer<typeof milestoneSchema>;

const milestoneFields = z.strictObject({
  /** Title. */
  title: lineText({ min: 1, max: limits.milestoneTitleMax }),
  /** Description. */
  description: description.optional(),
  /** First day. */
  startDate: dateOnlySchema.nullable().optional(),
  /** Due day; not before the first day. */
  dueDate: dateOnlySchema.nullable().optional(),
  /** Status (default `planned`). */
  status: milestoneStatusSchema.optional(),
});

/** The message for a due day before the first day (milestones, and tasks). */
export const dueBeforeStartMessage = 'Due date cannot be before the start date.';

/** True unless both days are set and the due day comes first. */
export function datesInOrder(dates: { startDate?: string | null; dueDate?: string | null }): boolean {
  return !dates.startDate || !dates.dueDate || dates.dueDate >= dates.startDate;
}

const datesRule = { message: dueBeforeStartMessage, path: ['dueDate'] };

/** `POST /api/projects/:id/milestones` body. */
export const createMilestoneSchema = milestoneFields.refine(datesInOrder, datesRule);
export type CreateMilestone = z.infer<typeof createMilestoneSchema>;

/** `PATCH /api/milestones/:id` body; a date sent alone is also checked against the stored other one. */
export const updateMilestoneSchema = milestoneFields.partial().refine(datesInOrder, datesRule);
export type UpdateMilestone = z.infer<typeof updateMilestoneSchema>;

/** `GET /api/projects/:id/milestones` response. */
export const milestoneListSchema = z.object({
  /** Milestones by due date. */
  items: z.array(milestoneSchema),
  /** General abilities (`milestone.manage`). */
  abilities: abilitiesSchema,
});

/** Single-milestone response. */
export const milestoneResponseSchema = z.object({
  /** The milestone. */
  milestone: milestoneSchema,
});

/** `GET /api/projects/:id/billing` query. */
export const billingQuerySchema = z.strictObject({
  /** Only tasks of this milestone. */
  milestoneId: idSchema.optional(),
});

/** Logged hours and amount of one person (or the total). */
export const billingLineSchema = z.object({
  /** All logged hours. */
  hours: z.number().nonnegative(),
  /** Logged hours on billable tasks. */
  billableHours: z.number().nonnegative(),
  /** Billable hours × each task's hourly rate. */
  amount: z.number().nonnegative(),
});

/** Billing summary of a project or one milestone. */
export const billingSummarySchema = z.object({
  /** Project. */
  projectId: idSchema,
  /** Milestone, or null for the whole project. */
  milestoneId: idSchema.nullable(),
  /** Per person, by name. */
  people: z.array(billingLineSchema.extend({ userId: idSchema, name: z.string() })),
  /** Sum over people. */
  total: billingLineSchema,
});
export type BillingSummary = z.infer<typeof billingSummarySchema>;

/** `GET /api/overdue` response: counts over the projects the caller may read. */
export const overdueSummarySchema = z.object({
  /** Overdue tasks per project. */
  projects: z.array(
    z.object({ projectId: idSchema, code: z.string(), name: z.string(), count: z.number().int().nonnegative() }),
  ),
  /** Overdue tasks per assignee. */
  people: z.array(z.object({ userId: idSchema, name: z.string(), count: z.number().int().nonnegative() })),
  /** Distinct overdue tasks. */
  total: z.number().int().nonnegative(),
});
export type OverdueSummary = z.infer<typeof overdueSummarySchema>;

/** A person online in a project. */
export const presentUserSchema = z.object({
  /** User id. */
  userId: idSchema,
  /** Display name. */
  name: z.string(),
});

/** `GET /api/projects/:id/presence` response and `presence:get` ack. */
export const presenceSchema = z.object({
  /** Project. */
  projectId: idSchema,
  /** Members with at least one live connection, by name. */
  online: z.array(presentUserSchema),
});
export type Presence = z.infer<typeof presenceSchema>;

/** `presence` event: who came online or went offline in a project since the last one. */
export const presenceDeltaSchema = z.object({
  /** Project. */
  projectId: idSchema,
  /** Came online. */
  joined: z.array(presentUserSchema),
  /** Went offline (no connection left), user ids. */
  left: z.array(idSchema),
  /** Too many changes to list: fetch the full list again. */
  refetch: z.boolean(),
});
export type PresenceDelta = z.infer<typeof presenceDeltaSchema>;

/** What a delete answers: the thing is in the trash until `restoreUntil`. */
export const trashedSchema = z.object({
  /** Always true. */
  ok: z.literal(true),
  /** Last moment it can be restored (`POST …/restore`); then it is purged. */
  restoreUntil: dateTimeSchema,
});
export type Trashed = z.infer<typeof trashedSchema>;

/** Kinds of things the trash holds. */
export const trashKindSchema = z.enum(['project', 'milestone', 'task', 'comment']);
export type TrashKind = z.infer<typeof trashKindSchema>;

/** One deleted thing the caller may restore. */
export const trashItemSchema = z.object({
  /** What it is. */
  kind: trashKindSchema,
  /** Its id (restore with `POST /api/<kind>s/:id/restore`). */
  id: idSchema,
  /** Project it belongs to (the project itself for a project). */
  projectId: idSchema,
  /** Human code: the project's, milestone's or task's (a comment's task). */
  code: z.string(),
  /** Name, title, or the first characters of a comment. */
  title: z.string(),
  /** For a comment: its task. */
  taskId: idSchema.nullable(),
  /** When it was deleted. */
  deletedAt: dateTimeSchema,
  /** Who deleted it. */
  deletedBy: z.object({ id: idSchema, name: z.string() }).nullable(),
  /** Last moment it can be restored. */
  restoreUntil: dateTimeSchema,
});
export type TrashItem = z.infer<typeof trashItemSchema>;

/** `GET /api/trash` query. */
export const trashQuerySchema = z.strictObject({
  /** Only this project's deleted milestones, tasks and comments (and the project itself if deleted). */
  projectId: idSchema.optional(),
});

/** `GET /api/trash` response. */
export const trashListSchema = z.object({
  /** Newest deletion first. Things deleted together with another (subtasks with their task) are not listed apart. */
  items: z.array(trashItemSchema),
});
export type TrashList = z.infer<typeof trashListSchema>;

export const projectEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/projects',
    tag: 'projects',
    query: projectListQuerySchema,
    response: projectListSchema,
    summary: 'Projects the caller may read, with progress',
  },
  create: {
    method: 'post',
    path: '/api/projects',
    tag: 'projects',
    body: createProjectSchema,
    response: projectResponseSchema,
    status: 201,
    summary: 'Create a project; the creator becomes its lead',
  },
  get: {
    method: 'get',
    path: '/api/projects/:id',
    tag: 'projects',
    params: idParamsSchema,
    response: projectResponseSchema,
    summary: 'One project',
  },
  update: {
    method: 'patch',
    path: '/api/projects/:id',
    tag: 'projects',
    params: idParamsSchema,
    body: updateProjectSchema,
    response: projectResponseSchema,
    summary: 'Rename, describe, archive/restore, change statuses',
  },
  remove: {
    method: 'delete',
    path: '/api/projects/:id',
    tag: 'projects',
    params: idParamsSchema,
    response: trashedSchema,
    summary: 'Move a project to the trash (with its milestones, tasks and comments); refused once time was logged',
  },
  restore: {
    method: 'post',
    path: '/api/projects/:id/restore',
    tag: 'projects',
    params: idParamsSchema,
    response: projectResponseSchema,
    summary: 'Bring a project back from the trash with everything deleted together with it',
  },
  trash: {
    method: 'get',
    path: '/api/trash',
    tag: 'projects',
    query: trashQuerySchema,
    response: trashListSchema,
    summary: 'Deleted projects, milestones, tasks and comments the caller may restore',
  },
  addMember: {
    method: 'post',
    path: '/api/projects/:id/members',
    tag: 'projects',
    params: idParamsSchema,
    body: addMemberSchema,
    response: projectResponseSchema,
    status: 201,
    summary: 'Add a member with a project role',
  },
  setRole: {
    method: 'patch',
    path: '/api/projects/:id/members/:userId',
    tag: 'projects',
    params: memberParamsSchema,
    body: updateMemberSchema,
    response: projectResponseSchema,
    summary: 'Change a member’s project role',
  },
  removeMember: {
    method: 'delete',
    path: '/api/projects/:id/members/:userId',
    tag: 'projects',
    params: memberParamsSchema,
    response: projectResponseSchema,
    summary: 'Remove a member; their live feed stops at once',
  },
  presence: {
    method: 'get',
    path: '/api/projects/:id/presence',
    tag: 'projects',
    params: idParamsSchema,
    response: presenceSchema,
    summary: 'Members online now (across instances)',
  },
  billing: {
    method: 'get',
    path: '/api/projects/:id/billing',
    tag: 'projects',
    params: idParamsSchema,
    query: billingQuerySchema,
    response: billingSummarySchema,
    summary: 'Billable hours × rate per person and in total, for the project or one milestone',
  },
  overdue: {
    method: 'get',
    path: '/api/overdue',
    tag: 'projects',
    response: overdueSummarySchema,
    summary: 'Overdue task counts per project and per person',
  },
});

export const milestoneEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/projects/:id/milestones',
    tag: 'milestones',
    params: idParamsSchema,
    response: milestoneListSchema,
    summary: 'Milestones with progress',
  },
  create: {
    method: 'post',
    path: '/api/projects/:id/milestones',
    tag: 'milestones',
    params: idParamsSchema,
    body: createMilestoneSchema,
    response: milestoneResponseSchema,
    status: 201,
    summary: 'Create a milestone',
  },
  update: {
    method: 'patch',
    path: '/api/milestones/:id',
    tag: 'milestones',
    params: idParamsSchema,
    body: updateMilestoneSchema,
    response: milestoneResponseSchema,
    summary: 'Edit a milestone (title, dates, status); the due day may not be before the first day',
  },
  remove: {
    method: 'delete',
    path: '/api/milestones/:id',
    tag: 'milestones',
    params: idParamsSchema,
    response: trashedSchema,
    summary: 'Move a milestone to the trash; its tasks stay and keep the reference for a restore',
  },
  restore: {
    method: 'post',
    path: '/api/milestones/:id/restore',
    tag: 'milestones',
    params: idParamsSchema,
    response: milestoneResponseSchema,
    summary: 'Bring a milestone back from the trash',
  },
});
