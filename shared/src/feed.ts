import { z } from 'zod';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, idSchema } from './common.ts';
import { limits } from './limits.ts';

/** Changes in projects: visible to whoever may read the project. */
export const projectFeedTypes = [
  'project.created',
  'project.updated',
  'project.deleted',
  'project.restored',
  'member.added',
  'member.removed',
  'member.roleChanged',
  'milestone.created',
  'milestone.updated',
  'milestone.deleted',
  'milestone.restored',
  'task.created',
  'task.updated',
  'task.assigned',
  'task.unassigned',
  'task.status',
  'task.dueDate',
  'task.milestone',
  'task.deleted',
  'task.restored',
  'comment.added',
  'comment.updated',
  'comment.deleted',
  'comment.restored',
  'time.logged',
  'task.behindSchedule',
] as const;

/**
 * Changes in the document library: visible to the users who could view the document when the
 * entry was published. Never one per keystroke: versions are what edits produce.
 */
export const libraryFeedTypes = [
  'document.created',
  'document.shared',
  'document.versionSaved',
  'document.restored',
  'document.deleted',
  'document.recovered',
  'folder.deleted',
  'folder.recovered',
  // Calendar entries travel the same way: to the people who may see the event (or absence) when
  // it was published, and only to them (busy-only viewers get no entry at all).
  'calendar.event.created',
  'calendar.event.updated',
  'calendar.event.deleted',
  'calendar.event.responded',
  'absence.requested',
  'absence.decided',
  // CRM entries reach the responsible manager and the leads who may see the client.
  'client.created',
  'client.assigned',
  'deal.created',
  'deal.updated',
  'deal.deleted',
  'deal.stageChanged',
  'deal.won',
  'deal.lost',
  'interaction.logged',
] as const;

/** Every kind of change the feed carries. */
export const feedTypes = [...projectFeedTypes, ...libraryFeedTypes] as const;
export const feedTypeSchema = z.enum(feedTypes);
export type FeedType = z.infer<typeof feedTypeSchema>;
export const projectFeedTypeSchema = z.enum(projectFeedTypes);
export type ProjectFeedType = z.infer<typeof projectFeedTypeSchema>;
export const libraryFeedTypeSchema = z.enum(libraryFeedTypes);
export type LibraryFeedType = z.infer<typeof libraryFeedTypeSchema>;

/** What a project entry is about. */
export const projectFeedResourceSchema = z.object({
  /** Resource kind. */
  kind: z.enum(['project', 'milestone', 'task']),
  /** Resource id. */
  id: idSchema,
  /** Human code, e.g. `WEB-42`. */
  code: z.string(),
});
export type ProjectFeedResource = z.infer<typeof projectFeedResourceSchema>;

/** What a library entry is about. */
export const libraryFeedResourceSchema = z.object({
  /**
   * Resource kind: a library document or folder (the web opens `/library/<id>`), a calendar
   * event (`/calendar?event=<id>`) or an absence (`/calendar/absences`).
   */
  kind: z.enum(['document', 'folder', 'event', 'absence', 'client', 'deal', 'interaction']),
  /** Resource id. */
  id: idSchema,
  /** Human code, e.g. `DOC-7` (empty for folders, which have none). */
  code: z.string(),
});
export type LibraryFeedResource = z.infer<typeof libraryFeedResourceSchema>;

/** What a feed entry is about. */
export const feedResourceSchema = z.union([projectFeedResourceSchema, libraryFeedResourceSchema]);
export type FeedResource = z.infer<typeof feedResourceSchema>;

/** Fields every entry has, whatever it is about. */
const feedEntryBase = {
  /** Workspace-wide sequence number, strictly increasing (project and library entries share it). */
  seq: z.number().int().positive(),
  /** When it happened. */
  at: dateTimeSchema,
  /** Who made the change (null for the system, e.g. an automatic version). */
  actor: z.object({ id: idSchema, name: z.string() }).nullable(),
  /** Type-specific details, e.g. `{ from, to }` for `task.status`, `{ title }` for `document.*`. */
  data: z.record(z.string(), z.unknown()),
};

/** An entry about a project, milestone or task; visibility follows project membership. */
export const projectFeedEntrySchema = z.object({
  ...feedEntryBase,
  /** Kind of change. */
  type: projectFeedTypeSchema,
  /** Project the change belongs to. */
  projectId: idSchema,
  /** The changed resource. */
  resource: projectFeedResourceSchema,
});
export type ProjectFeedEntry = z.infer<typeof projectFeedEntrySchema>;

/**
 * An entry about a library document. It belongs to no project; it reaches the users who could
 * view the document (`can(user, 'doc.view', document)`) when it was published.
 */
export const libraryFeedEntrySchema = z.object({
  ...feedEntryBase,
  /** Kind of change. */
  type: libraryFeedTypeSchema,
  /** Always null: library entries belong to no project. */
  projectId: z.null(),
  /** The changed document. */
  resource: libraryFeedResourceSchema,
});
export type LibraryFeedEntry = z.infer<typeof libraryFeedEntrySchema>;

/**
 * One feed entry, as stored and as sent in the `feed` Socket.IO event. `seq` grows by one
 * per entry across the workspace; a client keeps the highest it has seen and resumes from it.
 * `projectId === null` tells a library entry from a project entry.
 */
export const feedEntrySchema = z.union([projectFeedEntrySchema, libraryFeedEntrySchema]);
export type FeedEntry = z.infer<typeof feedEntrySchema>;

/** `GET /api/feed` query. */
export const feedQuerySchema = z.strictObject({
  /** Entries with a larger seq (oldest first), for catching up. */
  after: z.coerce.number().int().nonnegative().optional(),
  /** Entries with a smaller seq (newest first), for scrolling back. */
  before: z.coerce.number().int().positive().optional(),
  /** One project only (library entries are left out). */
  projectId: idSchema.optional(),
  /** `true`: "My assignments" — only entries concerning the caller. */
  mine: z.enum(['true', 'false']).optional(),
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(limits.feedPageMax).optional(),
});
export type FeedQuery = z.infer<typeof feedQuerySchema>;

/** `GET /api/feed` response. */
export const feedPageSchema = z.object({
  /** Entries the caller may read: of readable projects, and library entries they are in the audience of. */
  items: z.array(feedEntrySchema),
  /** Highest seq in the workspace now (a resume point when `items` is empty). */
  latestSeq: z.number().int().nonnegative(),
});
export type FeedPage = z.infer<typeof feedPageSchema>;

export const feedEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/feed',
    tag: 'feed',
    query: feedQuerySchema,
    response: feedPageSchema,
    summary:
      'Feed entries of readable projects: `after` pages forward from a seq, `before` backward; `mine=true` is "My assignments"',
  },
});
