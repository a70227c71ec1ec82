// The CRM's clients and their contacts (issue 13): a client is a company or a person with a
// responsible manager; companies have contacts. What an Admin configures (required fields per
// kind, custom fields, statuses, sources, who sees which clients, deal stages, quick results of
// interactions) is one settings document, shared here so the web draws the same forms the
// server checks.
import { z } from 'zod';
import { idParamsSchema, idSchema, dateTimeSchema, okSchema } from './common.ts';
import { defineEndpoints } from './endpoint.ts';
import { roles, type Role } from './permissions.ts';
import { lineText, multiLineText, queryText } from './text.ts';

export const clientKinds = ['company', 'person'] as const;
export const clientKindSchema = z.enum(clientKinds);
export type ClientKind = z.infer<typeof clientKindSchema>;

export const phoneKinds = ['work', 'mobile', 'home', 'fax', 'other'] as const;
export const phoneKindSchema = z.enum(phoneKinds);

/** A phone as typed (kept for display); the server adds its E.164 form when it can parse it. */
export const phoneInputSchema = z.strictObject({
  value: lineText({ min: 1, max: 40 }),
  kind: phoneKindSchema.default('work'),
});
export const phoneSchema = phoneInputSchema.extend({ e164: z.string().nullable() });
export type Phone = z.infer<typeof phoneSchema>;

export const emailKinds = ['work', 'personal', 'other'] as const;

export const emailInputSchema = z.strictObject({
  value: z.email('Not an email address').max(254),
  kind: z.enum(emailKinds).default('work'),
});
export type EmailAddress = z.infer<typeof emailInputSchema>;

/** Consent to be contacted on a channel: when and how it was given or withdrawn. */
export const consentSchema = z.strictObject({
  granted: z.boolean(),
  at: dateTimeSchema,
  source: lineText({ min: 1, max: 120 }),
});
export type Consent = z.infer<typeof consentSchema>;
export const consentChannels = ['email', 'sms'] as const;
export const consentChannelSchema = z.enum(consentChannels);
export type ConsentChannel = z.infer<typeof consentChannelSchema>;
const consentsSchema = z.strictObject({ email: consentSchema.nullable(), sms: consentSchema.nullable() });

/** A stable key for configurable lists and custom fields: `lowercase_with_digits`. */
export const settingKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Use lowercase letters, digits and _');

export const customFieldTypes = ['text', 'number', 'date', 'select'] as const;
export const customFieldDefSchema = z.strictObject({
  key: settingKeySchema,
  label: lineText({ min: 1, max: 80 }),
  type: z.enum(customFieldTypes),
  /** The choices of a `select` field. */
  options: z
    .array(lineText({ min: 1, max: 80 }))
    .max(50)
    .default([]),
  /** Which kinds of client carry the field. */
  kinds: z.array(clientKindSchema).min(1).default(['company', 'person']),
});
export type CustomFieldDef = z.infer<typeof customFieldDefSchema>;

/** A custom field's value: text, number or `YYYY-MM-DD` (checked against its definition by the server). */
export const customValueSchema = z.union([z.string().max(1000), z.number().finite(), z.null()]);
export const customValuesSchema = z.record(settingKeySchema, customValueSchema);

/** Fields an Admin may make required; `custom.<key>` names a custom field. */
export const requirableFields = [
  'legalName',
  'legalForm',
  'phones',
  'emails',
  'website',
  'address',
  'tags',
  'status',
  'source',
  'managerId',
] as const;
export const requiredFieldSchema = z.union([
  z.enum(requirableFields),
  z.string().regex(/^custom\.[a-z][a-z0-9_]{0,39}$/, 'Use custom.<key>'),
]);

/** Who sees which clients, per role: all of them, their groups' (by the manager's groups), or only their own. */
export const clientVisibilities = ['all', 'group', 'own'] as const;
export const clientVisibilitySchema = z.enum(clientVisibilities);
export type ClientVisibility = z.infer<typeof clientVisibilitySchema>;

const labelled = z.strictObject({ key: settingKeySchema, label: lineText({ min: 1, max: 80 }) });
export type Labelled = z.infer<typeof labelled>;

/** A deal stage; `won`/`lost` stages close the deal. */
export const dealStageDefSchema = labelled.extend({
  outcome: z.enum(['open', 'won', 'lost']).default('open'),
  /** Default probability (0–100) for deals entering the stage. */
  probability: z.number().int().min(0).max(100).default(10),
});
export type DealStageDef = z.infer<typeof dealStageDefSchema>;

/** A quick result of an interaction ("taken into work", "wrong number"), one click when logging. */
export const interactionResultDefSchema = labelled;

export const crmSettingsSchema = z.strictObject({
  visibility: z.strictObject(
    Object.fromEntries(roles.map((role) => [role, clientVisibilitySchema])) as Record<
      Role,
      typeof clientVisibilitySchema
    >,
  ),
  required: z.strictObject({
    company: z.array(requiredFieldSchema).max(40),
    person: z.array(requiredFieldSchema).max(40),
  }),
  customFields: z.array(customFieldDefSchema).max(50),
  statuses: z.array(labelled).min(1).max(30),
  sources: z.array(labelled).max(50),
  dealStages: z.array(dealStageDefSchema).min(2).max(20),
  interactionResults: z.array(interactionResultDefSchema).min(1).max(20),
  /** A client with no interaction for this many days is stale (data-quality report). */
  staleDays: z.number().int().min(1).max(3650),
  /** Currencies deals may use (ISO 4217), the first is the default. */
  currencies: z
    .array(z.string().regex(/^[A-Z]{3}$/))
    .min(1)
    .max(20),
});
export type CrmSettings = z.infer<typeof crmSettingsSchema>;

/** What a new workspace starts with (English keys; labels are translated by the web when they are the defaults). */
export const defaultCrmSettings: CrmSettings = {
  visibility: { Owner: 'all', Admin: 'all', Lead: 'group', Member: 'own', Tester: 'own', External: 'own' },
  required: { company: [], person: [] },
  customFields: [],
  statuses: [
    { key: 'prospect', label: 'Prospect' },
    { key: 'active', label: 'Active' },
    { key: 'inactive', label: 'Inactive' },
  ],
  sources: [
    { key: 'website', label: 'Website' },
    { key: 'referral', label: 'Referral' },
    { key: 'cold_call', label: 'Cold call' },
    { key: 'event', label: 'Event' },
    { key: 'advertising', label: 'Advertising' },
  ],
  dealStages: [
    { key: 'new', label: 'New', outcome: 'open', probability: 10 },
    { key: 'qualified', label: 'Qualified', outcome: 'open', probability: 30 },
    { key: 'proposal', label: 'Proposal', outcome: 'open', probability: 60 },
    { key: 'negotiation', label: 'Negotiation', outcome: 'open', probability: 80 },
    { key: 'won', label: 'Won', outcome: 'won', probability: 100 },
    { key: 'lost', label: 'Lost', outcome: 'lost', probability: 0 },
  ],
  interactionResults: [
    { key: 'taken_into_work', label: 'Taken into work' },
    { key: 'completed', label: 'Completed' },
    { key: 'call_back', label: 'Call back' },
    { key: 'no_answer', label: 'No answer' },
    { key: 'wrong_number', label: 'Wrong number' },
  ],
  staleDays: 30,
  currencies: ['RUB', 'USD', 'EUR', 'IRR'],
};

export const userRefSchema = z.object({ id: idSchema, name: z.string() });
export type UserRef = z.infer<typeof userRefSchema>;

const clientFields = {
  kind: clientKindSchema,
  name: lineText({ min: 1, max: 200 }),
  legalName: lineText({ max: 300 }).optional(),
  /** ООО, LLC, GmbH, ИП … as typed. */
  legalForm: lineText({ max: 40 }).optional(),
  phones: z.array(phoneInputSchema).max(20).optional(),
  emails: z.array(emailInputSchema).max(20).optional(),
  website: lineText({ max: 300 }).optional(),
  address: multiLineText({ max: 1000, trim: true }).optional(),
  tags: z
    .array(lineText({ min: 1, max: 40 }))
    .max(30)
    .optional(),
  status: settingKeySchema.optional(),
  source: settingKeySchema.optional(),
  /** The responsible manager; the creator when absent. */
  managerId: idSchema.nullable().optional(),
  custom: customValuesSchema.optional(),
  consent: z.strictObject({ email: consentSchema.nullable(), sms: consentSchema.nullable() }).partial().optional(),
};

/** Skips the duplicate check; the reason is journaled. */
const forceFields = {
  force: z.boolean().optional(),
  forceReason: lineText({ max: 300 }).optional(),
};

/** `POST /api/clients` body (also quick-create and each import row). */
export const createClientSchema = z.strictObject({ ...clientFields, ...forceFields });
export type CreateClient = z.infer<typeof createClientSchema>;

/** `PATCH /api/clients/:id` body: the fields to change (`null` clears an optional one). */
export const updateClientSchema = z
  .strictObject(clientFields)
  .omit({ managerId: true })
  .partial()
  .extend({
    ...forceFields,
    /** `null` clears them (the status falls back to the first of the list). */
    status: settingKeySchema.nullable().optional(),
    source: settingKeySchema.nullable().optional(),
  });
export type UpdateClient = z.infer<typeof updateClientSchema>;

export const clientSchema = z.object({
  id: idSchema,
  /** Document code, e.g. `CLI-12`. */
  code: z.string(),
  kind: clientKindSchema,
  name: z.string(),
  legalName: z.string(),
  legalForm: z.string(),
  phones: z.array(phoneSchema),
  emails: z.array(emailInputSchema),
  website: z.string(),
  address: z.string(),
  tags: z.array(z.string()),
  status: z.string(),
  source: z.string(),
  manager: userRefSchema.nullable(),
  custom: z.record(z.string(), customValueSchema),
  consent: consentsSchema,
  contactCount: z.number().int(),
  lastInteractionAt: dateTimeSchema.nullable(),
  createdAt: dateTimeSchema,
  updatedAt: dateTimeSchema,
  /** Set while the client is merged into another (undo restores it). */
  mergedInto: idSchema.nullable(),
  abilities: z.object({ update: z.boolean(), assign: z.boolean(), merge: z.boolean() }),
});
export type Client = z.infer<typeof clientSchema>;

export const clientResponseSchema = z.object({ client: clientSchema });

export const clientListQuerySchema = z.object({
  q: queryText(200).optional(),
  kind: clientKindSchema.optional(),
  status: settingKeySchema.optional(),
  source: settingKeySchema.optional(),
  tag: lineText({ min: 1, max: 40 }).optional(),
  /** `me`, or a manager's id. */
  managerId: z.union([idSchema, z.literal('me')]).optional(),
  sort: z.enum(['name', 'createdAt', 'updatedAt', 'lastInteractionAt']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ClientListQuery = z.infer<typeof clientListQuerySchema>;

export const clientListSchema = z.object({ clients: z.array(clientSchema), total: z.number().int() });

export const assignClientsSchema = z.strictObject({
  clientIds: z.array(idSchema).min(1).max(500),
  managerId: idSchema,
});

/** A likely duplicate, sent with a 409 so the user can open it or create anyway. */
export const duplicateCandidateSchema = z.object({
  id: idSchema,
  /** Empty when the caller may not see that client (`hidden`): then only its manager is shown. */
  name: z.string(),
  hidden: z.boolean(),
  kind: clientKindSchema,
  /** Why it looks like the same client. */
  reasons: z.array(z.enum(['phone', 'email', 'name', 'domain'])),
  manager: userRefSchema.nullable(),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;

export const contactInputSchema = z.strictObject({
  name: lineText({ min: 1, max: 200 }),
  position: lineText({ max: 120 }).optional(),
  phones: z.array(phoneInputSchema).max(20).optional(),
  emails: z.array(emailInputSchema).max(20).optional(),
  note: multiLineText({ max: 2000, trim: true }).optional(),
  consent: z.strictObject({ email: consentSchema.nullable(), sms: consentSchema.nullable() }).partial().optional(),
});
export type ContactInput = z.infer<typeof contactInputSchema>;

export const contactSchema = z.object({
  id: idSchema,
  clientId: idSchema,
  name: z.string(),
  position: z.string(),
  phones: z.array(phoneSchema),
  emails: z.array(emailInputSchema),
  note: z.string(),
  consent: consentsSchema,
  createdAt: dateTimeSchema,
});
export type Contact = z.infer<typeof contactSchema>;

export const clientContactParamsSchema = z.object({ id: idSchema, contactId: idSchema });

/** Merge: the client kept, the one absorbed, and for each field whose value to keep. */
export const mergeClientsSchema = z.strictObject({
  keepId: idSchema,
  mergeId: idSchema,
  /** Field → which side's value wins (`keep` when absent); phones, emails and tags are united. */
  pick: z.record(z.string(), z.enum(['keep', 'merge'])).default({}),
});
export const mergeRecordSchema = z.object({
  id: idSchema,
  keptId: idSchema,
  mergedId: idSchema,
  keptName: z.string(),
  mergedName: z.string(),
  at: dateTimeSchema,
  by: userRefSchema.nullable(),
  undoUntil: dateTimeSchema,
  undoneAt: dateTimeSchema.nullable(),
  moved: z.record(z.string(), z.number().int()),
});
export type MergeRecord = z.infer<typeof mergeRecordSchema>;

export const duplicatePairSchema = z.object({
  id: idSchema,
  a: duplicateCandidateSchema,
  b: duplicateCandidateSchema,
  reasons: z.array(z.enum(['phone', 'email', 'name', 'domain'])),
  foundAt: dateTimeSchema,
});
export type DuplicatePair = z.infer<typeof duplicatePairSchema>;

export const dataQualityRowSchema = z.object({
  manager: userRefSchema.nullable(),
  clients: z.number().int(),
  missingRequired: z.number().int(),
  invalidPhones: z.number().int(),
  invalidEmails: z.number().int(),
  stale: z.number().int(),
  duplicates: z.number().int(),
});
export const dataQualitySchema = z.object({
  staleDays: z.number().int(),
  rows: z.array(dataQualityRowSchema),
  totals: dataQualityRowSchema.omit({ manager: true }),
});
export type DataQuality = z.infer<typeof dataQualitySchema>;

export const dataQualityIssuesQuerySchema = z.object({
  managerId: z.union([idSchema, z.literal('none')]).optional(),
  issue: z.enum(['missingRequired', 'invalidPhones', 'invalidEmails', 'stale']),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A task or library document linked to a client (shown on the client page to those who may open it). */
export const clientAttachmentKindSchema = z.enum(['task', 'document']);
export const clientAttachmentInputSchema = z.strictObject({ kind: clientAttachmentKindSchema, id: idSchema });
export const clientAttachmentParamsSchema = z.object({
  id: idSchema,
  kind: clientAttachmentKindSchema,
  refId: idSchema,
});
export const clientAttachmentsSchema = z.object({
  tasks: z.array(
    z.object({
      id: idSchema,
      code: z.string(),
      title: z.string(),
      status: z.string(),
      projectId: idSchema,
      dueDate: z.string().nullable(),
      /** Linked by hand, or the follow-up task of a logged interaction. */
      via: z.enum(['link', 'interaction']),
    }),
  ),
  documents: z.array(z.object({ id: idSchema, code: z.string(), title: z.string() })),
  /** Links the caller may not open are counted, not shown. */
  hidden: z.number().int(),
});
export type ClientAttachments = z.infer<typeof clientAttachmentsSchema>;

export const clientEndpoints = defineEndpoints({
  getSettings: {
    method: 'get',
    path: '/api/crm/settings',
    tag: 'clients',
    response: z.object({ settings: crmSettingsSchema, abilities: z.object({ update: z.boolean() }) }),
    summary: 'CRM settings: visibility per role, required fields, custom fields, statuses, stages',
  },
  putSettings: {
    method: 'put',
    path: '/api/crm/settings',
    tag: 'clients',
    body: crmSettingsSchema,
    response: z.object({ settings: crmSettingsSchema, abilities: z.object({ update: z.boolean() }) }),
    summary: 'Replaces the CRM settings (`crm.settings`)',
  },
  list: {
    method: 'get',
    path: '/api/clients',
    tag: 'clients',
    query: clientListQuerySchema,
    response: clientListSchema,
    summary: 'Clients the caller may see (visibility per role), filtered and sorted',
  },
  exportList: {
    method: 'get',
    path: '/api/clients/export',
    tag: 'clients',
    query: clientListQuerySchema.extend({ format: z.enum(['csv', 'xlsx']).default('csv') }),
    produces: 'file',
    summary: 'The same list as a CSV or XLSX download (`client.export`)',
  },
  create: {
    method: 'post',
    path: '/api/clients',
    tag: 'clients',
    body: createClientSchema,
    response: clientResponseSchema,
    status: 201,
    summary: 'Creates a client; 409 with `duplicates` unless `force`, 400 for missing required fields',
  },
  get: {
    method: 'get',
    path: '/api/clients/:id',
    tag: 'clients',
    params: idParamsSchema,
    response: clientResponseSchema,
    summary: 'One client',
  },
  update: {
    method: 'patch',
    path: '/api/clients/:id',
    tag: 'clients',
    params: idParamsSchema,
    body: updateClientSchema,
    response: clientResponseSchema,
    summary: 'Changes a client; the same required-field and duplicate checks as creating',
  },
  assign: {
    method: 'post',
    path: '/api/clients/assign',
    tag: 'clients',
    body: assignClientsSchema,
    response: z.object({ clients: z.array(clientSchema) }),
    summary: 'Reassigns clients to a responsible manager (journaled; both managers notified)',
  },
  listContacts: {
    method: 'get',
    path: '/api/clients/:id/contacts',
    tag: 'clients',
    params: idParamsSchema,
    response: z.object({ contacts: z.array(contactSchema) }),
    summary: 'A client’s contacts',
  },
  createContact: {
    method: 'post',
    path: '/api/clients/:id/contacts',
    tag: 'clients',
    params: idParamsSchema,
    body: contactInputSchema,
    response: z.object({ contact: contactSchema }),
    status: 201,
    summary: 'Adds a contact person to a client',
  },
  updateContact: {
    method: 'patch',
    path: '/api/clients/:id/contacts/:contactId',
    tag: 'clients',
    params: clientContactParamsSchema,
    body: contactInputSchema.partial(),
    response: z.object({ contact: contactSchema }),
    summary: 'Changes a contact',
  },
  deleteContact: {
    method: 'delete',
    path: '/api/clients/:id/contacts/:contactId',
    tag: 'clients',
    params: clientContactParamsSchema,
    response: okSchema,
    summary: 'Removes a contact',
  },
  attachments: {
    method: 'get',
    path: '/api/clients/:id/attachments',
    tag: 'clients',
    params: idParamsSchema,
    response: clientAttachmentsSchema,
    summary: 'Tasks and documents linked to the client that the caller may open',
  },
  attach: {
    method: 'post',
    path: '/api/clients/:id/attachments',
    tag: 'clients',
    params: idParamsSchema,
    body: clientAttachmentInputSchema,
    response: clientAttachmentsSchema,
    summary: 'Links a task or a library document (which the caller may open) to the client',
  },
  detach: {
    method: 'delete',
    path: '/api/clients/:id/attachments/:kind/:refId',
    tag: 'clients',
    params: clientAttachmentParamsSchema,
    response: clientAttachmentsSchema,
    summary: 'Removes a linked task or document from the client',
  },
  duplicates: {
    method: 'get',
    path: '/api/clients/duplicates',
    tag: 'clients',
    response: z.object({ pairs: z.array(duplicatePairSchema) }),
    summary: 'The review queue of likely duplicates found by the nightly sweep',
  },
  dismissDuplicate: {
    method: 'post',
    path: '/api/clients/duplicates/:id/dismiss',
    tag: 'clients',
    params: idParamsSchema,
    response: okSchema,
    summary: '“Not a duplicate”: remembered, never proposed again',
  },
  merge: {
    method: 'post',
    path: '/api/clients/merge',
    tag: 'clients',
    body: mergeClientsSchema,
    response: z.object({ client: clientSchema, merge: mergeRecordSchema }),
    summary: 'Merges two clients, moving everything linked; undoable for 30 days',
  },
  listMerges: {
    method: 'get',
    path: '/api/clients/merges',
    tag: 'clients',
    response: z.object({ merges: z.array(mergeRecordSchema) }),
    summary: 'Recent merges, with whether they can still be undone',
  },
  undoMerge: {
    method: 'post',
    path: '/api/clients/merges/:id/undo',
    tag: 'clients',
    params: idParamsSchema,
    response: z.object({ merge: mergeRecordSchema }),
    summary: 'Undoes a merge (within 30 days): both clients and their links as they were',
  },
  dataQuality: {
    method: 'get',
    path: '/api/clients/quality',
    tag: 'clients',
    response: dataQualitySchema,
    summary: 'Data quality per manager: missing required fields, invalid phones/emails, stale, duplicates',
  },
  dataQualityIssues: {
    method: 'get',
    path: '/api/clients/quality/issues',
    tag: 'clients',
    query: dataQualityIssuesQuerySchema,
    response: z.object({ clients: z.array(clientSchema) }),
    summary: 'The clients behind one data-quality count',
  },
});
