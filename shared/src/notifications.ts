import { z } from 'zod';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, idParamsSchema, idSchema } from './common.ts';
import { limits } from './limits.ts';

/** Why a person is notified. */
export const notificationKinds = [
  'assigned',
  'mentioned',
  'dueSoon',
  'overdue',
  'statusChanged',
  'behindSchedule',
  'eventInvited',
  'eventChanged',
  'eventCancelled',
  'eventReminder',
  'eventResponded',
  'absenceRequested',
  'absenceDecided',
  'googleReconnect',
  'clientAssigned',
  'clientUnassigned',
  'dealWon',
  'dealLost',
  'followUpDue',
] as const;
export const notificationKindSchema = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/** What a notification that is not about a task concerns. */
export const notificationSubjectKindSchema = z.enum(['event', 'absence', 'google', 'client', 'deal', 'interaction']);
export type NotificationSubjectKind = z.infer<typeof notificationSubjectKindSchema>;

/** One notification for the signed-in user. */
export const notificationSchema = z.object({
  /** Notification id. */
  id: idSchema,
  /** Why it was sent. */
  kind: notificationKindSchema,
  /** Read by its recipient. */
  read: z.boolean(),
  /** When it was raised. */
  at: dateTimeSchema,
  /** Who caused it (null for the due-date sweep). */
  actor: z.object({ id: idSchema, name: z.string() }).nullable(),
  /** Project of the task (null for calendar notifications). */
  projectId: idSchema.nullable(),
  /** The task concerned (null for calendar notifications). */
  task: z.object({ id: idSchema, code: z.string(), title: z.string() }).nullable(),
  /**
   * What a notification that is not about a task concerns: a calendar event (opens the calendar on
   * it), an absence request, or the Google connection. Null for task notifications.
   */
  subject: z.object({ kind: notificationSubjectKindSchema, id: z.string(), title: z.string() }).nullable(),
  /** Kind-specific details, e.g. `{ from, to }` for a status change. */
  data: z.record(z.string(), z.unknown()),
});
export type Notification = z.infer<typeof notificationSchema>;

/** `GET /api/notifications` query. */
export const notificationListQuerySchema = z.strictObject({
  /** `true`: unread only. */
  unread: z.enum(['true', 'false']).optional(),
  /** Older than this id (paging). */
  before: idSchema.optional(),
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(limits.feedPageMax).optional(),
});
export type NotificationListQuery = z.infer<typeof notificationListQuerySchema>;

/** `GET /api/notifications` response. */
export const notificationListSchema = z.object({
  /** Newest first. */
  items: z.array(notificationSchema),
  /** Unread count over all notifications. */
  unread: z.number().int().nonnegative(),
});
export type NotificationList = z.infer<typeof notificationListSchema>;

/** Answer to marking read; `notification` is absent for "mark all". */
export const markReadResponseSchema = z.object({
  /** Unread count afterwards. */
  unread: z.number().int().nonnegative(),
  /** How many changed. */
  updated: z.number().int().nonnegative(),
});
export type MarkReadResponse = z.infer<typeof markReadResponseSchema>;

/** The `notification` Socket.IO event. */
export const notificationEventSchema = z.object({
  /** The new notification. */
  notification: notificationSchema,
  /** Unread count including it. */
  unread: z.number().int().nonnegative(),
});
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

export const notificationEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/notifications',
    tag: 'notifications',
    query: notificationListQuerySchema,
    response: notificationListSchema,
    summary: 'The caller’s notifications, newest first, with the unread count',
  },
  markRead: {
    method: 'post',
    path: '/api/notifications/:id/read',
    tag: 'notifications',
    params: idParamsSchema,
    response: markReadResponseSchema,
    summary: 'Mark one notification read',
  },
  markAllRead: {
    method: 'post',
    path: '/api/notifications/read-all',
    tag: 'notifications',
    response: markReadResponseSchema,
    summary: 'Mark every notification read',
  },
});
