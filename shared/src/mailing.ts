// Mailing lists (issue 13 §8): saved segments over clients and contacts, the reachable people of
// a segment (an address on the channel and consent granted), their export, email campaigns sent
// in batches with progress, and the signed one-click unsubscribe link every message carries.
import { z } from 'zod';
import { dateTimeSchema, idParamsSchema, idSchema, okSchema } from './common.ts';
import { clientKindSchema, consentChannelSchema, settingKeySchema, userRefSchema } from './clients.ts';
import { defineEndpoints } from './endpoint.ts';
import { lineText, multiLineText } from './text.ts';

export const segmentAudiences = ['clients', 'contacts', 'both'] as const;

/** A segment's filter: client fields narrow the clients (and so their contacts); the rest test each person. */
export const segmentFiltersSchema = z.strictObject({
  /** Who the segment lists: the clients themselves, the contacts of companies, or both. */
  audience: z.enum(segmentAudiences).default('both'),
  kind: clientKindSchema.optional(),
  status: settingKeySchema.optional(),
  source: settingKeySchema.optional(),
  tag: lineText({ min: 1, max: 40 }).optional(),
  /** `me`, or a manager's id. */
  managerId: z.union([idSchema, z.literal('me')]).optional(),
  hasEmail: z.boolean().optional(),
  hasPhone: z.boolean().optional(),
  /** Only people who consented on this channel. */
  consent: consentChannelSchema.optional(),
});
export type SegmentFilters = z.infer<typeof segmentFiltersSchema>;

export const segmentInputSchema = z.strictObject({
  name: lineText({ min: 1, max: 120 }),
  filters: segmentFiltersSchema,
});
export type SegmentInput = z.infer<typeof segmentInputSchema>;

export const segmentSchema = z.object({
  id: idSchema,
  name: z.string(),
  filters: segmentFiltersSchema,
  createdBy: userRefSchema.nullable(),
  updatedAt: dateTimeSchema,
});
export type Segment = z.infer<typeof segmentSchema>;

/** How many people a filter matches (as the caller may see them), and how many can be reached per channel. */
export const segmentCountSchema = z.object({
  clients: z.number().int(),
  contacts: z.number().int(),
  reachable: z.object({ email: z.number().int(), sms: z.number().int() }),
});
export type SegmentCount = z.infer<typeof segmentCountSchema>;

export const reachableExportQuerySchema = z.object({
  channel: consentChannelSchema.default('email'),
  format: z.enum(['csv', 'xlsx']).default('csv'),
});

export const campaignInputSchema = z.strictObject({
  segmentId: idSchema,
  channel: consentChannelSchema.default('email'),
  subject: lineText({ min: 1, max: 200 }),
  /** Plain text; the HTML part (when asked for) is this text escaped, with paragraphs and line breaks. */
  text: multiLineText({ min: 1, max: 20_000, trim: true }),
  html: z.boolean().default(false),
});
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const campaignStatuses = ['sending', 'done', 'failed'] as const;
export const campaignSchema = z.object({
  id: idSchema,
  segmentId: idSchema,
  segmentName: z.string(),
  channel: consentChannelSchema,
  subject: z.string(),
  status: z.enum(campaignStatuses),
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  /** Withdrew consent (or lost their address) between the start and their batch: never sent to. */
  skipped: z.number().int(),
  error: z.string().nullable(),
  createdBy: userRefSchema.nullable(),
  createdAt: dateTimeSchema,
  finishedAt: dateTimeSchema.nullable(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const unsubscribeParamsSchema = z.object({ token: z.string().min(10).max(400) });
export const unsubscribeInfoSchema = z.object({
  channel: consentChannelSchema,
  /** The address, partly hidden (`a***@example.com`). */
  address: z.string(),
  /** Already unsubscribed. */
  done: z.boolean(),
});

export const mailingEndpoints = defineEndpoints({
  listSegments: {
    method: 'get',
    path: '/api/segments',
    tag: 'mailing',
    response: z.object({ segments: z.array(segmentSchema) }),
    summary: 'Saved segments (`mailing.manage`)',
  },
  createSegment: {
    method: 'post',
    path: '/api/segments',
    tag: 'mailing',
    body: segmentInputSchema,
    response: z.object({ segment: segmentSchema }),
    status: 201,
    summary: 'Saves a segment',
  },
  countSegment: {
    method: 'post',
    path: '/api/segments/count',
    tag: 'mailing',
    body: segmentFiltersSchema,
    response: segmentCountSchema,
    summary: 'Counts what a filter matches, as the caller may see it (the editor’s live count)',
  },
  updateSegment: {
    method: 'put',
    path: '/api/segments/:id',
    tag: 'mailing',
    params: idParamsSchema,
    body: segmentInputSchema,
    response: z.object({ segment: segmentSchema }),
    summary: 'Changes a segment',
  },
  deleteSegment: {
    method: 'delete',
    path: '/api/segments/:id',
    tag: 'mailing',
    params: idParamsSchema,
    response: okSchema,
    summary: 'Deletes a segment',
  },
  exportReachable: {
    method: 'get',
    path: '/api/segments/:id/export',
    tag: 'mailing',
    params: idParamsSchema,
    query: reachableExportQuerySchema,
    produces: 'file',
    summary: 'The reachable people of a segment on a channel (address and consent), as CSV or XLSX',
  },
  listCampaigns: {
    method: 'get',
    path: '/api/campaigns',
    tag: 'mailing',
    response: z.object({ campaigns: z.array(campaignSchema) }),
    summary: 'Recent campaigns with their progress',
  },
  createCampaign: {
    method: 'post',
    path: '/api/campaigns',
    tag: 'mailing',
    body: campaignInputSchema,
    response: z.object({ campaign: campaignSchema }),
    status: 202,
    summary: 'Sends an email campaign to a segment’s reachable people in batches (SMS: 400 without a provider)',
  },
  getCampaign: {
    method: 'get',
    path: '/api/campaigns/:id',
    tag: 'mailing',
    params: idParamsSchema,
    response: z.object({ campaign: campaignSchema }),
    summary: 'A campaign’s progress: sent, failed, skipped of total',
  },
  unsubscribeInfo: {
    method: 'get',
    path: '/api/unsubscribe/:token',
    tag: 'mailing',
    params: unsubscribeParamsSchema,
    response: unsubscribeInfoSchema,
    summary: 'What a signed unsubscribe link is for (changes nothing: link scanners open links)',
  },
  unsubscribe: {
    method: 'post',
    path: '/api/unsubscribe/:token',
    tag: 'mailing',
    params: unsubscribeParamsSchema,
    response: okSchema,
    summary: 'One-click unsubscribe (RFC 8058): withdraws the email consent; 404 for a forged token',
  },
});
