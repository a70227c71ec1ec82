import { z } from 'zod';
import { lineText, multiLineText } from './text.ts';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, idParamsSchema, idSchema } from './common.ts';
import { limits } from './limits.ts';
import { abilitiesSchema } from './permissions.ts';
import { dateOnlySchema, trashedSchema } from './projects.ts';

/** Task priority, lowest first. */
export const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof prioritySchema>;

/** A person referenced by a task, comment or log. */
export const personRefSchema = z.object({
  /** User id. */
  id: idSchema,
  /** Display name. */
  name: z.string(),
});
export type PersonRef = z.infer<typeof personRefSchema>;

const title = lineText({ min: 1, max: limits.taskTitleMax });
const hours = z.number().min(0).max(limits.estimateMaxHours);
const rate = z.number().min(0).max(limits.hourlyRateMax);
const labels = z.array(lineText({ min: 1, max: limits.labelMax })).max(limits.labelsMax);
const assignees = z.array(idSchema).max(limits.assigneesMax);

/** A task or subtask as returned by the API. */
export const taskSchema = z.object({
  /** Task id. */
  id: idSchema,
  /** Human code from the project prefix, e.g. `WEB-42`. */
  code: z.string(),
  /** Project. */
  projectId: idSchema,
  /** Parent task for a subtask, else null. */
  parentId: idSchema.nullable(),
  /** Title. */
  title: z.string(),
  /** Description (plain text / markdown). */
  description: z.string(),
  /** Status key from the project's statuses. */
  status: z.string(),
  /** Priority. */
  priority: prioritySchema,
  /** Assigned people. */
  assignees: z.array(personRefSchema),
  /** People notified of status changes (assignees and the creator join automatically). */
  watchers: z.array(idSchema),
  /** Estimate in hours, or null. */
  estimate: z.number().nullable(),
  /** First planned day, or null (workload then starts at creation). */
  startDate: dateOnlySchema.nullable(),
  /** Due day, or null. */
  dueDate: dateOnlySchema.nullable(),
  /** Milestone, or null. */
  milestoneId: idSchema.nullable(),
  /** Labels. */
  labels: z.array(z.string()),
  /** Whether logged time is billed. */
  billable: z.boolean(),
  /** Hourly rate for billing, or null; only present for callers with `billing.read` (`abilities['billing.read']`). */
  hourlyRate: z.number().nullable().optional(),
  /** Past its due day and not in a done status. */
  overdue: z.boolean(),
  /** Sum of logged hours. */
  loggedHours: z.number(),
  /**
   * Hours the remaining estimate exceeds the assignees' working hours left before the due day
   * (their schedules and absences); 0 while it fits. Kept up to date by the behind-schedule sweep.
   */
  behindBy: z.number().nonnegative(),
  /** Number of subtasks (0 for a subtask). */
  subtaskCount: z.number().int().nonnegative(),
  /** Optimistic-concurrency version; send it back with `PATCH`. */
  version: z.number().int().positive(),
  /** Creator. */
  createdBy: personRefSchema,
  /** Who made the last edit, or null when nobody has edited it since it was created. */
  updatedBy: personRefSchema.nullable(),
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last change time. */
  updatedAt: dateTimeSchema,
  /** What the caller may do with this task. */
  abilities: abilitiesSchema,
});
export type Task = z.infer<typeof taskSchema>;

/** `POST /api/projects/:id/tasks` body. */
export const createTaskSchema = z.strictObject({
  /** Title. */
  title,
  /** Description. */
  description: multiLineText({ max: limits.descriptionMax }).optional(),
  /** Status key (default: the project's first status). */
  status: lineText({ max: 32 }).optional(),
  /** Priority (default `normal`). */
  priority: prioritySchema.optional(),
  /** Assignee user ids; each must be a project member. */
  assignees: assignees.optional(),
  /** Estimate in hours. */
  estimate: hours.optional(),
  /** First planned day. */
  startDate: dateOnlySchema.optional(),
  /** Due day. */
  dueDate: dateOnlySchema.optional(),
  /** Milestone of the same project. */
  milestoneId: idSchema.optional(),
  /** Parent task (one level only: a subtask cannot have subtasks). */
  parentId: idSchema.optional(),
  /** Labels. */
  labels: labels.optional(),
  /** Bill logged time (default false). */
  billable: z.boolean().optional(),
  /** Hourly rate; needs `billing.read` (403 otherwise). */
  hourlyRate: rate.optional(),
  /** Assign even if it overloads someone's day (after a workload warning). */
  force: z.boolean().optional(),
});
export type CreateTask = z.infer<typeof createTaskSchema>;

/** The fields of a task an edit may change, each optional. */
const taskEditFields = z.strictObject({
  /** Title. */
  title: title.optional(),
  /** Description. */
  description: multiLineText({ max: limits.descriptionMax }).optional(),
  /** Status key. */
  status: lineText({ max: 32 }).optional(),
  /** Priority. */
  priority: prioritySchema.optional(),
  /** Replaces the assignees. */
  assignees: assignees.optional(),
  /** Estimate in hours, or null. */
  estimate: hours.nullable().optional(),
  /** First planned day, or null. */
  startDate: dateOnlySchema.nullable().optional(),
  /** Due day, or null. */
  dueDate: dateOnlySchema.nullable().optional(),
  /** Milestone, or null. */
  milestoneId: idSchema.nullable().optional(),
  /** Replaces the labels. */
  labels: labels.optional(),
  /** Billable flag. */
  billable: z.boolean().optional(),
  /** Hourly rate, or null; needs `billing.read` (403 otherwise). */
  hourlyRate: rate.nullable().optional(),
  /** Replaces the watchers (assignees and creator are always added). */
  watchers: z.array(idSchema).max(limits.projectMembersMax).optional(),
});

/** Names of the editable task fields. */
export const taskEditFieldNames = Object.keys(taskEditFields.shape) as (keyof typeof taskEditFields.shape)[];
export type TaskEditField = (typeof taskEditFieldNames)[number];

/** What the user's form started from, for merging with saves made since. */
export const taskEditBaseSchema = z.strictObject({
  /** The task's `version` when the form was opened. */
  version: z.number().int().positive(),
  /** For each field sent: its value when the form was opened (as the API returned it). */
  values: taskEditFields,
});
export type TaskEditBase = z.infer<typeof taskEditBaseSchema>;

/**
 * `PATCH /api/tasks/:id` body: the fields to change, plus either `version` (must be current,
 * else 409) or `base` (merged: a field nobody else changed since the base is applied; one
 * changed by someone else to another value answers 409 `conflict` with `fields` naming each
 * and `current: { task }`).
 */
export const updateTaskSchema = taskEditFields
  .extend({
    /** The version the client last saw; a stale one answers 409. Not needed with `base`. */
    version: z.number().int().positive().optional(),
    /** What the form started from: sent fields are merged with saves made since. */
    base: taskEditBaseSchema.optional(),
    /** Apply even if it overloads someone's day. */
    force: z.boolean().optional(),
  })
  .superRefine((patch, check) => {
    if (patch.version === undefined && patch.base === undefined)
      check.addIssue({ code: 'custom', path: ['version'], message: 'Send the version you loaded, or a base.' });
    if (!patch.base) return;
    for (const field of taskEditFieldNames) {
      if (patch[field] !== undefined && patch.base.values[field] === undefined)
        check.addIssue({
          code: 'custom',
          path: ['base', 'values', field],
          message: 'Send the value your form started from.',
        });
    }
  });
export type UpdateTask = z.infer<typeof updateTaskSchema>;

/** `GET /api/projects/:id/tasks` query (all filters combine). */
export const taskListQuerySchema = z.strictObject({
  /** Assigned to this user. */
  assignee: idSchema.optional(),
  /** In this milestone. */
  milestone: idSchema.optional(),
  /** Carrying this label. */
  label: lineText({ max: limits.labelMax }).optional(),
  /** In this status. */
  status: lineText({ max: 32 }).optional(),
  /** `true`: only overdue tasks. */
  overdue: z.enum(['true', 'false']).optional(),
  /** Subtasks of this task. */
  parentId: idSchema.optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;

/** Task list response. */
export const taskListSchema = z.object({
  /** Tasks by code number. */
  items: z.array(taskSchema),
  /** General abilities in the project (`task.create`). */
  abilities: abilitiesSchema,
});
export type TaskList = z.infer<typeof taskListSchema>;

/** Single-task response. */
export const taskResponseSchema = z.object({
  /** The task. */
  task: taskSchema,
});
export type TaskResponse = z.infer<typeof taskResponseSchema>;

/** A comment on a task. */
export const commentSchema = z.object({
  /** Comment id. */
  id: idSchema,
  /** Task. */
  taskId: idSchema,
  /** Author. */
  author: personRefSchema,
  /** Text; `@login` mentions notify project members. */
  body: z.string(),
  /** Mentioned project members. */
  mentions: z.array(personRefSchema),
  /** Creation time. */
  createdAt: dateTimeSchema,
  /** Last edit of the text, or null if never edited. */
  editedAt: dateTimeSchema.nullable(),
  /** What the caller may do with it (`comment.update`, `comment.delete`). */
  abilities: abilitiesSchema,
});
export type Comment = z.infer<typeof commentSchema>;

/** `POST /api/tasks/:id/comments` body. */
export const createCommentSchema = z.strictObject({
  /** Text; `@login` mentions a project member. */
  body: multiLineText({ min: 1, max: limits.commentMax, trim: true }),
  /** Extra mentions by user id (e.g. from an autocomplete). */
  mentions: z.array(idSchema).max(limits.assigneesMax).optional(),
});
export type CreateComment = z.infer<typeof createCommentSchema>;

/** `PATCH /api/comments/:id` body: the new text (mentions are re-read from it). */
export const updateCommentSchema = createCommentSchema;
export type UpdateComment = z.infer<typeof updateCommentSchema>;

/** Comment list response. */
export const commentListSchema = z.object({
  /** Oldest first. */
  items: z.array(commentSchema),
});

/** Single-comment response. */
export const commentResponseSchema = z.object({
  /** The comment. */
  comment: commentSchema,
});

/** One time log entry. */
export const timeLogSchema = z.object({
  /** Entry id. */
  id: idSchema,
  /** Task. */
  taskId: idSchema,
  /** Who worked. */
  user: personRefSchema,
  /** Day worked. */
  date: dateOnlySchema,
  /** Hours worked. */
  hours: z.number(),
  /** Note. */
  note: z.string(),
  /** When it was logged. */
  createdAt: dateTimeSchema,
});
export type TimeLog = z.infer<typeof timeLogSchema>;

/** `POST /api/tasks/:id/time` body. */
export const createTimeLogSchema = z.strictObject({
  /** Hours worked (more than 0, at most 24). */
  hours: z.number().positive().max(limits.timeLogMaxHours),
  /** Day worked (default today). */
  date: dateOnlySchema.optional(),
  /** Note. */
  note: multiLineText({ max: limits.timeLogNoteMax }).optional(),
});
export type CreateTimeLog = z.infer<typeof createTimeLogSchema>;

/** Time log list response. */
export const timeLogListSchema = z.object({
  /** Oldest first. */
  items: z.array(timeLogSchema),
  /** Sum of hours. */
  totalHours: z.number(),
});

/** Single time log response. */
export const timeLogResponseSchema = z.object({
  /** The entry. */
  timeLog: timeLogSchema,
});

/** `GET /api/workload` query. */
export const workloadQuerySchema = z.strictObject({
  /** Person (default: the caller). */
  userId: idSchema.optional(),
  /** First day. */
  from: dateOnlySchema,
  /** Last day (inclusive). */
  to: dateOnlySchema,
});
export type WorkloadQuery = z.infer<typeof workloadQuerySchema>;

/** A person's planned hours per day. */
export const workloadSchema = z.object({
  /** Person. */
  userId: idSchema,
  /** Daily capacity in hours. */
  capacity: z.number(),
  /** Each day of the period. */
  days: z.array(z.object({ date: dateOnlySchema, planned: z.number(), over: z.boolean() })),
});
export type Workload = z.infer<typeof workloadSchema>;

export const taskEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/projects/:id/tasks',
    tag: 'tasks',
    params: idParamsSchema,
    query: taskListQuerySchema,
    response: taskListSchema,
    summary: 'Tasks of a project (filters: assignee, milestone, label, status, overdue, parentId)',
  },
  create: {
    method: 'post',
    path: '/api/projects/:id/tasks',
    tag: 'tasks',
    params: idParamsSchema,
    body: createTaskSchema,
    response: taskResponseSchema,
    status: 201,
    summary: 'Create a task or subtask; 409 with `overload.*` fields when it overloads someone (retry with force)',
  },
  get: {
    method: 'get',
    path: '/api/tasks/:id',
    tag: 'tasks',
    params: idParamsSchema,
    response: taskResponseSchema,
    summary: 'One task',
  },
  update: {
    method: 'patch',
    path: '/api/tasks/:id',
    tag: 'tasks',
    params: idParamsSchema,
    body: updateTaskSchema,
    response: taskResponseSchema,
    summary: 'Edit a task; `version` must be current (409 otherwise)',
  },
  remove: {
    method: 'delete',
    path: '/api/tasks/:id',
    tag: 'tasks',
    params: idParamsSchema,
    response: trashedSchema,
    summary: 'Move a task and its subtasks (and comments) to the trash; refused once time was logged',
  },
  restore: {
    method: 'post',
    path: '/api/tasks/:id/restore',
    tag: 'tasks',
    params: idParamsSchema,
    response: taskResponseSchema,
    summary: 'Bring a task back from the trash with the subtasks and comments deleted with it',
  },
  comments: {
    method: 'get',
    path: '/api/tasks/:id/comments',
    tag: 'tasks',
    params: idParamsSchema,
    response: commentListSchema,
    summary: 'Comments, oldest first',
  },
  comment: {
    method: 'post',
    path: '/api/tasks/:id/comments',
    tag: 'tasks',
    params: idParamsSchema,
    body: createCommentSchema,
    response: commentResponseSchema,
    status: 201,
    summary: 'Comment; `@login` mentions notify project members',
  },
  updateComment: {
    method: 'patch',
    path: '/api/comments/:id',
    tag: 'tasks',
    params: idParamsSchema,
    body: updateCommentSchema,
    response: commentResponseSchema,
    summary: 'Edit a comment (its author only); sets `editedAt`',
  },
  removeComment: {
    method: 'delete',
    path: '/api/comments/:id',
    tag: 'tasks',
    params: idParamsSchema,
    response: trashedSchema,
    summary: 'Move a comment to the trash (its author, or a project lead / workspace admin)',
  },
  restoreComment: {
    method: 'post',
    path: '/api/comments/:id/restore',
    tag: 'tasks',
    params: idParamsSchema,
    response: commentResponseSchema,
    summary: 'Bring a comment back from the trash',
  },
  timeLogs: {
    method: 'get',
    path: '/api/tasks/:id/time',
    tag: 'tasks',
    params: idParamsSchema,
    response: timeLogListSchema,
    summary: 'Time log entries',
  },
  logTime: {
    method: 'post',
    path: '/api/tasks/:id/time',
    tag: 'tasks',
    params: idParamsSchema,
    body: createTimeLogSchema,
    response: timeLogResponseSchema,
    status: 201,
    summary: 'Log time worked on a task',
  },
  workload: {
    method: 'get',
    path: '/api/workload',
    tag: 'tasks',
    query: workloadQuerySchema,
    response: workloadSchema,
    summary: 'Planned hours per day against capacity (default: the caller)',
  },
});
