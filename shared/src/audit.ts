import { z } from 'zod';
import { lineText } from './text.ts';
import { defineEndpoints } from './endpoint.ts';
import { dateTimeSchema, idSchema, queryInstantSchema } from './common.ts';
import { limits } from './limits.ts';

/** Every journal action name. */
export const auditActions = [
  'system.bootstrap',
  'auth.login',
  'auth.loginFailed',
  'auth.logout',
  'auth.logoutAll',
  'auth.passwordChange',
  'auth.sessionEnded',
  'access.denied',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.resetPassword',
  'profile.update',
  'group.create',
  'group.update',
  'group.delete',
  'permissions.update',
  'folder.create',
  'folder.update',
  'folder.delete',
  'folder.recover',
  'folder.share',
  'document.create',
  'document.update',
  'document.delete',
  'document.recover',
  'document.share',
  'document.upload',
  'document.versionCreate',
  'document.restore',
  'document.editDropped',
  'project.create',
  'project.update',
  'project.memberAdd',
  'project.memberUpdate',
  'project.memberRemove',
  'project.delete',
  'project.restore',
  'milestone.create',
  'milestone.update',
  'milestone.delete',
  'milestone.restore',
  'task.create',
  'task.update',
  'task.delete',
  'task.restore',
  'task.comment',
  'comment.update',
  'comment.delete',
  'comment.restore',
  'task.logTime',
  'event.create',
  'event.update',
  'event.delete',
  'event.respond',
  'calendar.create',
  'calendar.update',
  'calendar.feedRotate',
  'google.connect',
  'google.disconnect',
  'schedule.update',
  'absence.request',
  'absence.decide',
  'absence.cancel',
  'crm.settings',
  'client.create',
  'client.update',
  'client.assign',
  'client.merge',
  'client.unmerge',
  'client.duplicateDismiss',
  'client.import',
  'client.export',
  'contact.create',
  'contact.update',
  'contact.delete',
  'deal.create',
  'deal.update',
  'deal.delete',
  'interaction.log',
  'interaction.update',
  'interaction.delete',
  'segment.save',
  'segment.delete',
  'campaign.send',
  'contact.unsubscribe',
] as const;
export const auditActionSchema = z.enum(auditActions);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** Whether the journaled attempt went through. */
export const auditOutcomeSchema = z.enum(['allowed', 'denied', 'failed']);
export type AuditOutcome = z.infer<typeof auditOutcomeSchema>;

/** One changed field, with secrets already removed. */
export const auditChangeSchema = z.object({
  /** Field name. */
  field: z.string(),
  /** Value before, or null. */
  from: z.unknown(),
  /** Value after, or null. */
  to: z.unknown(),
});
export type AuditChange = z.infer<typeof auditChangeSchema>;

/** A person as recorded at the time of the entry. */
export const auditPersonSchema = z.object({
  /** User id. */
  id: idSchema,
  /** Login at the time. */
  login: z.string(),
  /** Human code, e.g. `USR-12`. */
  code: z.string(),
});

/** One journal entry. Entries are never edited or deleted. */
export const auditEntrySchema = z.object({
  /** Entry id. */
  id: idSchema,
  /** Position in the chain, starting at 1. */
  seq: z.number().int().positive(),
  /** When it happened. */
  at: dateTimeSchema,
  /** What happened. */
  action: auditActionSchema,
  /** Whether it went through. */
  outcome: auditOutcomeSchema,
  /** Client IP address, or empty for system actions. */
  ip: z.string(),
  /** Who acted, or null for anonymous/system (the `user` filter matches it). */
  user: auditPersonSchema.nullable(),
  /** User the action concerned, or null. */
  affectedUser: auditPersonSchema.nullable(),
  /** Group the action concerned, or null. */
  affectedGroup: z.object({ id: idSchema, name: z.string() }).nullable(),
  /** Permission that allowed (or would have allowed) the action, or null. */
  permission: z.string().nullable(),
  /** Human code of the affected document, e.g. `USR-12`, or null. */
  code: z.string().nullable(),
  /** Readable summary: changed fields as old → new. */
  comment: z.string(),
  /** Structured changed fields. */
  changes: z.array(auditChangeSchema),
  /** Hash of the previous entry (64 zeros for the first). */
  prevHash: z.string(),
  /** SHA-256 over this entry's fields and `prevHash`. */
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Filters shared by the journal list and CSV export. */
export const auditFilterSchema = z.object({
  /** Acting user id. */
  user: idSchema.optional(),
  /** Affected user id. */
  affectedUser: idSchema.optional(),
  /** Action name. */
  action: auditActionSchema.optional(),
  /** Document code, e.g. `USR-12`. */
  code: lineText({ max: 32 }).optional(),
  /** Earliest time, inclusive. */
  from: queryInstantSchema.optional(),
  /** Latest time, exclusive. */
  to: queryInstantSchema.optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** `GET /api/audit` query: filters plus pagination (newest first). */
export const auditQuerySchema = auditFilterSchema.extend({
  /** Opaque cursor from a previous page's `next`. */
  cursor: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  /** Page size. */
  limit: z.coerce.number().int().min(1).max(limits.pageMax).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** `GET /api/audit` response. */
export const auditPageSchema = z.object({
  /** Entries, newest first. */
  items: z.array(auditEntrySchema),
  /** Cursor for the next page, or null at the end. */
  next: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** One problem found in the journal's chain. */
export const auditProblemSchema = z.object({
  /** Sequence number of the bad entry (for a gap: the missing one). */
  seq: z.number().int(),
  /** Why it is bad: its hash does not match its fields, it does not link to the entry before, or entries are missing. */
  reason: z.enum(['hash_mismatch', 'link_mismatch', 'sequence_gap']),
});

/** `GET /api/audit/verify` response. */
export const auditVerifySchema = z.object({
  /** True when every entry's hash and link are intact. */
  ok: z.boolean(),
  /** Entries that verified before the first problem (all of them when intact). */
  checked: z.number().int().nonnegative(),
  /** Entries examined in all. */
  total: z.number().int().nonnegative(),
  /** The first problem, when there is one. */
  brokenAt: auditProblemSchema.optional(),
  /** Every problem, in order (at most 1,000 are listed). */
  broken: z.array(auditProblemSchema),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;

export const auditEndpoints = defineEndpoints({
  list: {
    method: 'get',
    path: '/api/audit',
    tag: 'audit',
    query: auditQuerySchema,
    response: auditPageSchema,
    summary: 'Journal entries, newest first, filtered and paginated',
  },
  verify: {
    method: 'get',
    path: '/api/audit/verify',
    tag: 'audit',
    response: auditVerifySchema,
    summary: 'Recompute the hash chain and report where it broke',
  },
  exportCsv: {
    method: 'get',
    path: '/api/audit/export.csv',
    tag: 'audit',
    query: auditFilterSchema,
    produces: 'csv',
    summary: 'The journal as CSV, oldest first, with the same filters',
  },
});
