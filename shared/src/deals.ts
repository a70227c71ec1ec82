// Deals of the CRM (issue 13): a pipeline of configurable stages (the CRM settings'
// `dealStages`), each deal linked to a client and a responsible manager, with an amount in
// integer minor units of one of the configured currencies. The kanban board, the client page and
// the KPIs (issue 14, through the summary) read these.
import { z } from 'zod';
import { dateTimeSchema, idParamsSchema, idSchema, okSchema } from './common.ts';
import { dealStageDefSchema, settingKeySchema, userRefSchema } from './clients.ts';
import { defineEndpoints } from './endpoint.ts';
import { lineText, queryText } from './text.ts';

export const dealLimits = {
  titleMax: 200,
  reasonMax: 300,
  /** Largest amount in minor units: safe for integers in JavaScript. */
  amountMax: Number.MAX_SAFE_INTEGER,
  listMax: 1000,
} as const;

export const dealOutcomes = ['open', 'won', 'lost'] as const;
export const dealOutcomeSchema = z.enum(dealOutcomes);
export type DealOutcome = z.infer<typeof dealOutcomeSchema>;

/** Money in integer minor units (kopecks, cents): never floats, so sums are exact. */
export const minorAmountSchema = z.number().int('Use whole minor units (e.g. cents)').min(0).max(dealLimits.amountMax);

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'Use an ISO 4217 code such as USD');
/** A calendar date, `YYYY-MM-DD`. */
export const dealDateSchema = z.iso.date();

const dealFields = {
  title: lineText({ min: 1, max: dealLimits.titleMax }),
  clientId: idSchema,
  /** A contact person of the client. */
  contactId: idSchema.nullable().optional(),
  /** The responsible manager; the client's manager when absent (else the caller). */
  managerId: idSchema.optional(),
  amount: minorAmountSchema.default(0),
  /** One of the settings' currencies; the first when absent. */
  currency: currencySchema.optional(),
  expectedCloseDate: dealDateSchema.nullable().optional(),
  /** 0–100; the stage's default when absent. */
  probability: z.number().int().min(0).max(100).optional(),
  /** A stage key of the settings; the first open stage when absent. */
  stage: settingKeySchema.optional(),
  /** Why the deal was lost (required when the stage's outcome is `lost`). */
  reason: lineText({ max: dealLimits.reasonMax }).optional(),
};

/** `POST /api/deals` body. */
export const createDealSchema = z.strictObject(dealFields);
export type CreateDeal = z.infer<typeof createDealSchema>;

/** `PATCH /api/deals/:id` body: the fields to change and the version they were read at. */
export const updateDealSchema = z
  .strictObject(dealFields)
  .omit({ amount: true })
  .partial()
  .extend({
    amount: minorAmountSchema.optional(),
    /** The `version` the caller loaded; 409 with `current` when the deal changed since. */
    version: z.number().int().min(0),
  });
export type UpdateDeal = z.infer<typeof updateDealSchema>;

/** `POST /api/deals/:id/move`: the kanban drop (stage and place in it). */
export const moveDealSchema = z.strictObject({
  stage: settingKeySchema,
  /** Put the deal before this one of the target stage; at the end when absent or null. */
  beforeId: idSchema.nullable().optional(),
  /** Or: the 0-based index in the target stage (ignored with `beforeId`). */
  position: z.number().int().min(0).max(100_000).optional(),
  reason: lineText({ max: dealLimits.reasonMax }).optional(),
  version: z.number().int().min(0),
});
export type MoveDeal = z.infer<typeof moveDealSchema>;

export const dealSchema = z.object({
  id: idSchema,
  title: z.string(),
  client: z.object({ id: idSchema, name: z.string() }),
  contactId: idSchema.nullable(),
  manager: userRefSchema.nullable(),
  /** Minor units of `currency`. */
  amount: z.number().int(),
  currency: z.string(),
  expectedCloseDate: dealDateSchema.nullable(),
  probability: z.number().int(),
  stage: z.string(),
  outcome: dealOutcomeSchema,
  /** When it was won or lost. */
  closedAt: dateTimeSchema.nullable(),
  /** Why it was lost. */
  closedReason: z.string(),
  /** Order within the stage (ascending). */
  position: z.number(),
  /** Increases with every change; send it back with edits and moves. */
  version: z.number().int(),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
  abilities: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type Deal = z.infer<typeof dealSchema>;

export const dealResponseSchema = z.object({ deal: dealSchema });

export const dealListQuerySchema = z.object({
  clientId: idSchema.optional(),
  /** `me`, or a manager's id. */
  managerId: z.union([idSchema, z.literal('me')]).optional(),
  stage: settingKeySchema.optional(),
  outcome: dealOutcomeSchema.optional(),
  q: queryText(200).optional(),
  limit: z.coerce.number().int().min(1).max(dealLimits.listMax).default(500),
});
export type DealListQuery = z.infer<typeof dealListQuerySchema>;

/** `GET /api/deals/export`: the list's filters (no page size) and the file format. */
export const dealExportQuerySchema = dealListQuerySchema
  .omit({ limit: true })
  .extend({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type DealExportQuery = z.infer<typeof dealExportQuerySchema>;

export const dealListSchema = z.object({
  deals: z.array(dealSchema),
  /** The pipeline as configured now, in board order. */
  stages: z.array(dealStageDefSchema),
  currencies: z.array(z.string()),
  /** Whether the caller may create deals at all (on some client). */
  canCreate: z.boolean(),
});
export type DealList = z.infer<typeof dealListSchema>;

export const dealSummaryQuerySchema = z.object({
  /** First day counted (`YYYY-MM-DD`, UTC), inclusive. */
  from: dealDateSchema,
  /** Last day counted, inclusive. */
  to: dealDateSchema,
  managerId: z.union([idSchema, z.literal('me')]).optional(),
});
export type DealSummaryQuery = z.infer<typeof dealSummaryQuerySchema>;

/** Deals won (or lost) in a period, per currency: amounts never mix currencies. */
export const currencyTotalSchema = z.object({
  currency: z.string(),
  count: z.number().int(),
  amount: z.number().int(),
});
export type CurrencyTotal = z.infer<typeof currencyTotalSchema>;

export const dealSummarySchema = z.object({
  won: z.object({ count: z.number().int(), byCurrency: z.array(currencyTotalSchema) }),
  lost: z.object({ count: z.number().int() }),
});
export type DealSummary = z.infer<typeof dealSummarySchema>;

export const dealEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/deals',
    tag: 'deals',
    query: dealListQuerySchema,
    response: dealListSchema,
    summary: 'Deals of clients the caller may see, by stage and position',
  },
  exportList: {
    method: 'get',
    path: '/api/deals/export',
    tag: 'deals',
    query: dealExportQuerySchema,
    produces: 'file',
    summary: 'The same list as a CSV or XLSX download (`client.export`)',
  },
  summary: {
    method: 'get',
    path: '/api/deals/summary',
    tag: 'deals',
    query: dealSummaryQuerySchema,
    response: dealSummarySchema,
    summary: 'Deals won (count and sum per currency) and lost in a period, of visible clients',
  },
  create: {
    method: 'post',
    path: '/api/deals',
    tag: 'deals',
    body: createDealSchema,
    response: dealResponseSchema,
    status: 201,
    summary: 'Creates a deal on a client (`deal.write` on the client)',
  },
  get: {
    method: 'get',
    path: '/api/deals/:id',
    tag: 'deals',
    params: idParamsSchema,
    response: dealResponseSchema,
    summary: 'One deal',
  },
  update: {
    method: 'patch',
    path: '/api/deals/:id',
    tag: 'deals',
    params: idParamsSchema,
    body: updateDealSchema,
    response: dealResponseSchema,
    summary: 'Changes a deal; 409 with `current` when `version` is stale',
  },
  move: {
    method: 'post',
    path: '/api/deals/:id/move',
    tag: 'deals',
    params: idParamsSchema,
    body: moveDealSchema,
    response: dealResponseSchema,
    summary: 'Moves a deal on the board (stage and place); a won/lost stage closes it',
  },
  remove: {
    method: 'delete',
    path: '/api/deals/:id',
    tag: 'deals',
    params: idParamsSchema,
    response: okSchema,
    summary: 'Deletes a deal (journaled with its values)',
  },
});
