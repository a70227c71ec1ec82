import { z } from 'zod';
import { dateTimeSchema, idSchema } from './common.ts';
import { limits } from './limits.ts';

/** Every kind of change the feed carries. */
export const feedTypes = [
  'project.created',
  'project.updated',
  'member.added',
  'member.removed',
  'member.roleChanged',
  'milestone.created',
  'milestone.updated',
  'task.created',
  'task.updated',
  'task.assigned',
  'task.unassigned',
  'task.status',
  'task.dueDate',
  'task.milestone',
  'task.deleted',
  'comment.added',
  'time.logged',
] as const;
export const feedTypeSchema = z.enum(feedTypes);
export type FeedType = z.infer<typeof feedTypeSchema>;

/** What a feed entry is about. */
export const feedResourceSchema = z.object({
  /** Resource kind. */
  kind: z.enum(['project', 'milestone', 'task']),
  /** Resource id. */
  id: idSchema,
  /** Human code, e.g. `WEB-42`. */
  code: z.string(),
});
export type FeedResource = z.infer<typeof feedResourceSchema>;

/**
 * One feed entry, as stored and as sent in the `feed` Socket.IO event. `seq` grows by one
 * per entry across the workspace; a client keeps the highest it has seen and resumes from it.
 */
export const feedEntrySchema = z.object({
  /** Workspace-wide sequence number, strictly increasing. */
  seq: z.number().int().positive(),
  /** Kind of change. */
  type: feedTypeSchema,
  /** When it happened. */
  at: dateTimeSchema,
  /** Who made the change (null for the system). */
  actor: z.object({ id: idSchema, name: z.string() }).nullable(),
  /** Project the change belongs to; visibility follows project membership. */
  projectId: idSchema,
  /** The changed resource. */
  resource: feedResourceSchema,
  /** Type-specific details, e.g. `{ from, to }` for `task.status`, `{ userIds }` for `task.assigned`. */
  data: z.record(z.string(), z.unknown()),
});
export type FeedEntry = z.infer<typeof feedEntrySchema>;

/** `GET /api/feed` query. */
export const feedQuerySchema = z.strictObject({
  /** Entries with a larger seq (oldest first), for catching up. */
  after: z.coerce.number().int().nonnegative().optional(),
  /** Entries with a smaller seq (newest first), for scrolling back. */
  before: z.coerce.number().int().positive().optional(),
  /** One project only. */
  projectId: idSchema.optional(),
  /** `true`: "My assignments" — only entries concerning the caller. */
  mine: z.enum(['true', 'false']).optional(),
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(limits.feedPageMax).optional(),
});
export type FeedQuery = z.infer<typeof feedQuerySchema>;

/** `GET /api/feed` response. */
export const feedPageSchema = z.object({
  /** Entries the caller may read. */
  items: z.array(feedEntrySchema),
  /** Highest seq in the workspace now (a resume point when `items` is empty). */
  latestSeq: z.number().int().nonnegative(),
});
export type FeedPage = z.infer<typeof feedPageSchema>;
