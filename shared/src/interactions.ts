// The interaction journal of the CRM (issue 13, section 4): calls, meetings, emails, messages and
// notes with a client, each with a quick result from the CRM settings ("taken into work",
// "wrong number"), so that logging a call takes two clicks. The server validates with these
// schemas; the web's typed calls and the OpenAPI document come from the endpoints at the end.
import { z } from 'zod';
import { settingKeySchema, userRefSchema } from './clients.ts';
import { dateTimeSchema, idParamsSchema, idSchema, okSchema, queryInstantSchema } from './common.ts';
import { defineEndpoints } from './endpoint.ts';
import { lineText, multiLineText } from './text.ts';

export const interactionLimits = {
  subjectMax: 200,
  notesMax: 10_000,
  followUpNoteMax: 500,
  /** Longest duration: a week, in minutes. */
  durationMax: 10_080,
  pageMax: 200,
} as const;

export const interactionKinds = ['call', 'meeting', 'email', 'message', 'note'] as const;
export const interactionKindSchema = z.enum(interactionKinds);
export type InteractionKind = z.infer<typeof interactionKindSchema>;

export const interactionDirections = ['inbound', 'outbound'] as const;
export const interactionDirectionSchema = z.enum(interactionDirections);
export type InteractionDirection = z.infer<typeof interactionDirectionSchema>;

/** Kinds that have a direction (a meeting or a note has none). */
export const directedKinds: readonly InteractionKind[] = ['call', 'email', 'message'];

/** A reminder to come back to the client; with `projectId` it also becomes a task there. */
export const followUpInputSchema = z.strictObject({
  /** When the manager is reminded (a `followUpDue` notification). */
  at: dateTimeSchema,
  note: lineText({ max: interactionLimits.followUpNoteMax }).optional(),
  /** A project to put a follow-up task in, assigned to the manager, due that day. */
  projectId: idSchema.optional(),
});
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

const editableFields = {
  kind: interactionKindSchema,
  /** When it happened (default: now). */
  occurredAt: dateTimeSchema,
  /** For calls, emails and messages. */
  direction: interactionDirectionSchema.nullable(),
  durationMinutes: z.number().int().min(0).max(interactionLimits.durationMax).nullable(),
  subject: lineText({ max: interactionLimits.subjectMax }),
  notes: multiLineText({ max: interactionLimits.notesMax }),
  /** A key of the CRM settings' `interactionResults`. */
  result: settingKeySchema.nullable(),
  /** The manager who had the interaction (default: the caller). */
  managerId: idSchema,
  /** A contact of the same client. */
  contactId: idSchema.nullable(),
  /** A deal the caller can see. */
  dealId: idSchema.nullable(),
  /** A task the caller can see. */
  taskId: idSchema.nullable(),
};

const noDirectionWithoutKind = (value: { kind?: InteractionKind; direction?: InteractionDirection | null }) =>
  !value.direction || !value.kind || directedKinds.includes(value.kind);
const directionMessage = { message: 'Only calls, emails and messages have a direction', path: ['direction'] };

/** `POST /api/interactions`: only `clientId` (and usually `result`) is needed. */
export const createInteractionSchema = z
  .strictObject({
    clientId: idSchema,
    ...editableFields,
    kind: interactionKindSchema.default('call'),
    followUp: followUpInputSchema.nullable(),
  })
  .partial({
    occurredAt: true,
    direction: true,
    durationMinutes: true,
    subject: true,
    notes: true,
    result: true,
    managerId: true,
    contactId: true,
    dealId: true,
    taskId: true,
    followUp: true,
  })
  .refine(noDirectionWithoutKind, directionMessage);
export type CreateInteraction = z.infer<typeof createInteractionSchema>;

/** `PATCH /api/interactions/:id`: the fields to change (`null` clears an optional one). */
export const updateInteractionSchema = z
  .strictObject({ ...editableFields, followUp: followUpInputSchema.nullable() })
  .partial()
  .refine(noDirectionWithoutKind, directionMessage);
export type UpdateInteraction = z.infer<typeof updateInteractionSchema>;

export const followUpSchema = z.object({
  at: dateTimeSchema,
  note: z.string(),
  projectId: idSchema.nullable(),
  /** The follow-up task, when one was created. */
  taskId: idSchema.nullable(),
  /** When the reminder was sent (null: still pending). */
  notifiedAt: dateTimeSchema.nullable(),
});

export const interactionSchema = z.object({
  id: idSchema,
  kind: interactionKindSchema,
  clientId: idSchema,
  clientName: z.string(),
  occurredAt: dateTimeSchema,
  direction: interactionDirectionSchema.nullable(),
  durationMinutes: z.number().int().nullable(),
  subject: z.string(),
  notes: z.string(),
  result: z.string().nullable(),
  /** The result's label from the settings (the key when it was removed since). */
  resultLabel: z.string().nullable(),
  manager: userRefSchema,
  author: userRefSchema,
  contact: z.object({ id: idSchema, name: z.string() }).nullable(),
  dealId: idSchema.nullable(),
  taskId: idSchema.nullable(),
  followUp: followUpSchema.nullable(),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
  abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type Interaction = z.infer<typeof interactionSchema>;

export const interactionResponseSchema = z.object({ interaction: interactionSchema });

/** Filters of the journal; `managerId` absent means everyone's (as in 1C). */
export const interactionListQuerySchema = z.object({
  /** `me`, or a manager's id. */
  managerId: z.union([idSchema, z.literal('me')]).optional(),
  clientId: idSchema.optional(),
  kind: interactionKindSchema.optional(),
  result: settingKeySchema.optional(),
  /** From this instant on (a date means its start, UTC). */
  from: queryInstantSchema.optional(),
  /** Before this instant (a date means its start, UTC). */
  to: queryInstantSchema.optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(interactionLimits.pageMax).default(50),
});
export type InteractionListQuery = z.infer<typeof interactionListQuerySchema>;

/** `GET /api/interactions/export`: the journal's filters (no paging) and the file format. */
export const interactionExportQuerySchema = interactionListQuerySchema
  .omit({ offset: true, limit: true })
  .extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type InteractionExportQuery = z.infer<typeof interactionExportQuerySchema>;

export const interactionListSchema = z.object({
  interactions: z.array(interactionSchema),
  total: z.number().int(),
});
export type InteractionList = z.infer<typeof interactionListSchema>;

export const interactionSummaryQuerySchema = interactionListQuerySchema.pick({ managerId: true, from: true, to: true });
export type InteractionSummaryQuery = z.infer<typeof interactionSummaryQuerySchema>;

/** Counts for reports and KPIs, over what the caller may see. */
export const interactionSummarySchema = z.object({
  total: z.number().int(),
  byKind: z.record(interactionKindSchema, z.number().int()),
  /** One row per result key met (`null`: logged without a result). */
  byResult: z.array(z.object({ result: z.string().nullable(), label: z.string().nullable(), count: z.number().int() })),
});
export type InteractionSummary = z.infer<typeof interactionSummarySchema>;

export const interactionEndpoints = defineEndpoints({
  create: {
    method: 'post',
    path: '/api/interactions',
    tag: 'interactions',
    body: createInteractionSchema,
    response: interactionResponseSchema,
    status: 201,
    summary: 'Logs a call, meeting, email, message or note with a client (`interaction.log`)',
  },
  list: {
    method: 'get',
    path: '/api/interactions',
    tag: 'interactions',
    query: interactionListQuerySchema,
    response: interactionListSchema,
    summary: 'The journal, newest first, over the clients the caller may see',
  },
  exportList: {
    method: 'get',
    path: '/api/interactions/export',
    tag: 'interactions',
    query: interactionExportQuerySchema,
    produces: 'file',
    summary: 'The same journal as a CSV or XLSX download (`client.export`)',
  },
  summary: {
    method: 'get',
    path: '/api/interactions/summary',
    tag: 'interactions',
    query: interactionSummaryQuerySchema,
    response: interactionSummarySchema,
    summary: 'Counts by kind and by result (reports, KPIs)',
  },
  update: {
    method: 'patch',
    path: '/api/interactions/:id',
    tag: 'interactions',
    params: idParamsSchema,
    body: updateInteractionSchema,
    response: interactionResponseSchema,
    summary: 'Edits an interaction (its author, or `client.assign`)',
  },
  remove: {
    method: 'delete',
    path: '/api/interactions/:id',
    tag: 'interactions',
    params: idParamsSchema,
    response: okSchema,
    summary: 'Deletes an interaction (its author, or `client.assign`)',
  },
});
