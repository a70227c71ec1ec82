// A client as the form edits it (every value a string, rows for phones and emails) and the
// request body built from it: empty optional values are left out on create and cleared on edit.
import type { Client, CreateClient, CrmSettings, UpdateClient } from '@crewdeck/shared/clients';
import { phoneKinds } from '@crewdeck/shared/clients';

export type PhoneKind = (typeof phoneKinds)[number];
export type EmailKind = 'work' | 'personal' | 'other';
export type PhoneRow = { value: string; kind: PhoneKind };
export type EmailRow = { value: string; kind: EmailKind };

export type ClientDraft = {
  kind: 'company' | 'person';
  name: string;
  legalName: string;
  legalForm: string;
  phones: PhoneRow[];
  emails: EmailRow[];
  website: string;
  address: string;
  /** Comma-separated, as typed. */
  tags: string;
  status: string;
  source: string;
  /** '' = nobody; only sent when the person may assign. */
  managerId: string;
  custom: Record<string, string>;
};

export function emptyDraft(settings: CrmSettings, meId: string): ClientDraft {
  return {
    kind: 'company',
    name: '',
    legalName: '',
    legalForm: '',
    phones: [{ value: '', kind: 'work' }],
    emails: [{ value: '', kind: 'work' }],
    website: '',
    address: '',
    tags: '',
    status: settings.statuses[0]?.key ?? '',
    source: '',
    managerId: meId,
    custom: {},
  };
}

export function draftOf(client: Client): ClientDraft {
  return {
    kind: client.kind,
    name: client.name,
    legalName: client.legalName,
    legalForm: client.legalForm,
    phones: client.phones.map((p) => ({ value: p.value, kind: p.kind })),
    emails: client.emails.map((e) => ({ value: e.value, kind: e.kind })),
    website: client.website,
    address: client.address,
    tags: client.tags.join(', '),
    status: client.status,
    source: client.source,
    managerId: client.manager?.id ?? '',
    custom: Object.fromEntries(
      Object.entries(client.custom).map(([key, value]) => [key, value === null ? '' : String(value)]),
    ),
  };
}

const splitTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

/** Custom values of the fields the kind carries, typed by their definitions ('' → null). */
function customOf(draft: ClientDraft, settings: CrmSettings): Record<string, string | number | null> {
  const values: Record<string, string | number | null> = {};
  for (const def of settings.customFields) {
    if (!def.kinds.includes(draft.kind)) continue;
    const text = (draft.custom[def.key] ?? '').trim();
    if (text === '') values[def.key] = null;
    else values[def.key] = def.type === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return values;
}

/** The fields both create and update send. */
function commonBody(draft: ClientDraft, settings: CrmSettings) {
  return {
    kind: draft.kind,
    name: draft.name.trim(),
    legalName: draft.legalName.trim(),
    legalForm: draft.legalForm.trim(),
    phones: draft.phones.filter((p) => p.value.trim()).map((p) => ({ value: p.value.trim(), kind: p.kind })),
    emails: draft.emails.filter((e) => e.value.trim()).map((e) => ({ value: e.value.trim(), kind: e.kind })),
    website: draft.website.trim(),
    address: draft.address.trim(),
    tags: splitTags(draft.tags),
    source: draft.source || undefined,
    status: draft.status || undefined,
    custom: customOf(draft, settings),
  };
}

export function createBody(draft: ClientDraft, settings: CrmSettings, canAssign: boolean): CreateClient {
  const body = commonBody(draft, settings);
  const custom = Object.fromEntries(Object.entries(body.custom).filter(([, v]) => v !== null));
  return {
    ...body,
    custom,
    ...(canAssign ? { managerId: draft.managerId || null } : {}),
  };
}

/** An emptied source or status is sent as `null`, which clears it (absent would keep the old one). */
export function updateBody(draft: ClientDraft, settings: CrmSettings): UpdateClient {
  return { ...commonBody(draft, settings), source: draft.source || null, status: draft.status || null };
}
