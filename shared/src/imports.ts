// Import of clients and contacts from CSV or XLSX (issue 13 §9): upload a file, map its columns
// to client fields, preview the first rows with the same checks the server applies, choose per
// row what to do with likely duplicates, then run the job in the background and read its report.
import { z } from 'zod';
import { dateTimeSchema, idParamsSchema, idSchema } from './common.ts';
import { clientKindSchema, duplicateCandidateSchema } from './clients.ts';
import { defineEndpoints } from './endpoint.ts';

/** Client fields a column can feed; `custom.<key>` names a custom field, `ignore` drops the column. */
export const importFields = [
  'ignore',
  'name',
  'kind',
  'legalName',
  'legalForm',
  'phone',
  'email',
  'website',
  'address',
  'tags',
  'status',
  'source',
  /** The company a contact row belongs to (with `contactName`), or the client's name otherwise. */
  'company',
  'contactName',
  'contactPosition',
] as const;
export const importTargetSchema = z.union([
  z.enum(importFields),
  z.string().regex(/^custom\.[a-z][a-z0-9_]{0,39}$/, 'Use custom.<key>'),
]);
export type ImportTarget = z.infer<typeof importTargetSchema>;

/** What to do with a row that looks like an existing client. */
export const duplicateChoices = ['skip', 'merge', 'create'] as const;
export const duplicateChoiceSchema = z.enum(duplicateChoices);
export type DuplicateChoice = z.infer<typeof duplicateChoiceSchema>;

export const importLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 20_000,
  maxColumns: 100,
  previewRows: 20,
} as const;

/** One column → field per header, in the file's order. */
export const importMappingSchema = z.array(importTargetSchema).max(importLimits.maxColumns);

export const importSettingsSchema = z.strictObject({
  mapping: importMappingSchema,
  /** The kind of a row without a `kind` column (or with a value not recognized). */
  defaultKind: clientKindSchema.default('company'),
});
export type ImportSettings = z.infer<typeof importSettingsSchema>;

export const runImportSchema = importSettingsSchema.extend({
  /** For rows with likely duplicates, unless `choices` says otherwise. */
  onDuplicate: duplicateChoiceSchema.default('skip'),
  /** Per spreadsheet line (as in the preview): overrides `onDuplicate`. */
  choices: z.record(z.string().regex(/^\d{1,6}$/), duplicateChoiceSchema).default({}),
});
export type RunImport = z.infer<typeof runImportSchema>;

export const importStatuses = ['uploaded', 'running', 'done', 'failed'] as const;
export const importCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Contacts attached to companies (counted apart from clients). */
  contacts: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

export const importJobSchema = z.object({
  id: idSchema,
  filename: z.string(),
  format: z.enum(['csv', 'xlsx']),
  status: z.enum(importStatuses),
  headers: z.array(z.string()),
  /** Proposed from the headers after upload; the one used once the job runs. */
  mapping: importMappingSchema,
  rowCount: z.number().int(),
  processed: z.number().int(),
  counts: importCountsSchema,
  error: z.string().nullable(),
  createdAt: dateTimeSchema,
  startedAt: dateTimeSchema.nullable(),
  finishedAt: dateTimeSchema.nullable(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

export const importPreviewRowSchema = z.object({
  /** The spreadsheet line (the header is line 1). */
  line: z.number().int(),
  /** `client`: creates (or merges into) a client; `contact`: adds a contact to `name`'s company. */
  action: z.enum(['client', 'contact']),
  kind: clientKindSchema,
  name: z.string(),
  contactName: z.string(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  /** Field path → what is wrong (missing required, invalid value). */
  errors: z.record(z.string(), z.string()),
  duplicates: z.array(duplicateCandidateSchema),
});
export type ImportPreviewRow = z.infer<typeof importPreviewRowSchema>;

export const importOutcomes = ['created', 'updated', 'skipped', 'failed', 'contact'] as const;
export const importResultSchema = z.object({
  line: z.number().int(),
  outcome: z.enum(importOutcomes),
  name: z.string(),
  clientId: idSchema.nullable(),
  reason: z.string(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

const jobResponse = z.object({ job: importJobSchema });

export const importEndpoints = defineEndpoints({
  upload: {
    method: 'post',
    path: '/api/imports',
    tag: 'imports',
    response: jobResponse,
    status: 201,
    summary: 'Uploads a CSV or XLSX file (multipart/form-data, one part named `file`); proposes a column mapping',
  },
  get: {
    method: 'get',
    path: '/api/imports/:id',
    tag: 'imports',
    params: idParamsSchema,
    response: jobResponse,
    summary: 'An import job with its progress (poll while `running`)',
  },
  preview: {
    method: 'post',
    path: '/api/imports/:id/preview',
    tag: 'imports',
    params: idParamsSchema,
    body: importSettingsSchema,
    response: z.object({ rows: z.array(importPreviewRowSchema), total: z.number().int() }),
    summary: 'The first 20 rows under a mapping: required fields, invalid values and likely duplicates per row',
  },
  run: {
    method: 'post',
    path: '/api/imports/:id/run',
    tag: 'imports',
    params: idParamsSchema,
    body: runImportSchema,
    response: jobResponse,
    status: 202,
    summary: 'Starts the import in the background; answers at once (poll `GET /api/imports/:id`)',
  },
  results: {
    method: 'get',
    path: '/api/imports/:id/results',
    tag: 'imports',
    params: idParamsSchema,
    response: z.object({ results: z.array(importResultSchema) }),
    summary: 'What happened to each row (created, updated, skipped, failed, contact) and why',
  },
  report: {
    method: 'get',
    path: '/api/imports/:id/report',
    tag: 'imports',
    params: idParamsSchema,
    produces: 'csv',
    summary: 'The per-row report as CSV',
  },
});
