import type {
  ClientKind,
  ContactInput,
  CreateClient,
  CrmSettings,
  Labelled,
  UpdateClient,
} from '@crewdeck/shared/clients';
import { contactInputSchema, createClientSchema } from '@crewdeck/shared/clients';
import type { ImportTarget } from '@crewdeck/shared/imports';
import type { z } from 'zod';
import type { ClientDoc } from '../clients/clients.model.ts';
import { clientFieldsFrom, customFieldErrors, listValueErrors, missingRequired } from '../clients/client-fields.ts';

/** One data row read under a mapping: a client, or a contact of the company named in the row. */
export interface ImportRow {
  line: number;
  action: 'client' | 'contact';
  /** The client (for `contact` rows: the company, with only its name from the row). */
  client: CreateClient;
  contact: ContactInput | null;
  /** Field path → what is wrong; a row with errors is reported failed, never half-imported. */
  errors: Record<string, string>;
}

const kindWords: Record<string, ClientKind> = {
  company: 'company',
  organization: 'company',
  organisation: 'company',
  business: 'company',
  компания: 'company',
  организация: 'company',
  'юр лицо': 'company',
  юрлицо: 'company',
  'юридическое лицо': 'company',
  person: 'person',
  individual: 'person',
  человек: 'person',
  'физ лицо': 'person',
  физлицо: 'person',
  'физическое лицо': 'person',
};

const split = (value: string) =>
  value
    .split(/[;,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);

/** A configured status or source by key or label, case-insensitively; unknown values stay (and fail the row). */
function listKey(list: Labelled[], value: string): string {
  const lower = value.toLowerCase();
  return list.find((item) => item.key === lower || item.label.toLowerCase() === lower)?.key ?? value;
}

/** `31.12.2026` (as Russian spreadsheets write dates) or `2026-12-31` → `2026-12-31`. */
function dayOf(value: string): string {
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  if (dotted) return `${dotted[3]}-${dotted[2].padStart(2, '0')}-${dotted[1].padStart(2, '0')}`;
  return value.slice(0, 10);
}

function customValue(settings: CrmSettings, key: string, value: string): string | number {
  const def = settings.customFields.find((d) => d.key === key);
  if (def?.type === 'number') {
    const number = Number(value.replace(/\s/g, '').replace(',', '.'));
    return Number.isFinite(number) ? number : value;
  }
  if (def?.type === 'date') return dayOf(value);
  return value;
}

/** Each column's values by field (phones and emails may come from several columns). */
function cellsByField(mapping: ImportTarget[], row: string[]): Map<ImportTarget, string[]> {
  const out = new Map<ImportTarget, string[]>();
  mapping.forEach((target, i) => {
    const value = row[i]?.trim() ?? '';
    if (target === 'ignore' || !value) return;
    out.set(target, [...(out.get(target) ?? []), value]);
  });
  return out;
}

const issuesOf = (error: z.ZodError, prefix = '') =>
  Object.fromEntries(error.issues.map((issue) => [prefix + issue.path.join('.'), issue.message]));

/**
 * Reads one row into a client (or a contact of a company), then checks it the way the clients
 * service will: the schema, required fields per kind, custom fields, status and source.
 */
export function readRow(
  settings: CrmSettings,
  mapping: ImportTarget[],
  row: string[],
  line: number,
  defaultKind: ClientKind,
): ImportRow {
  const cells = cellsByField(mapping, row);
  const one = (field: ImportTarget) => cells.get(field)?.[0] ?? '';
  const many = (field: ImportTarget) => (cells.get(field) ?? []).flatMap(split);
  const company = one('company');
  const contactName = one('contactName') || (company ? one('name') : '');
  const clientName = company || one('name');
  const phones = many('phone').map((value) => ({ value, kind: 'work' as const }));
  const emails = many('email').map((value) => ({ value: value.toLowerCase(), kind: 'work' as const }));
  if (contactName) {
    const contact = { name: contactName, position: one('contactPosition') || undefined, phones, emails };
    const client: CreateClient = { kind: 'company', name: clientName };
    const parsed = contactInputSchema.safeParse(contact);
    const errors = parsed.success ? {} : issuesOf(parsed.error, 'contact.');
    if (!clientName) errors.company = 'Required';
    return { line, action: 'contact', client, contact: parsed.success ? parsed.data : null, errors };
  }
  const custom = Object.fromEntries(
    [...cells].flatMap(([target, values]) =>
      target.startsWith('custom.') ? [[target.slice(7), customValue(settings, target.slice(7), values[0])]] : [],
    ),
  );
  const draft = {
    kind:
      kindWords[
        one('kind')
          .toLowerCase()
          .replace(/[.\-_]/g, ' ')
          .trim()
      ] ?? defaultKind,
    name: clientName,
    legalName: one('legalName') || undefined,
    legalForm: one('legalForm') || undefined,
    phones: phones.length ? phones : undefined,
    emails: emails.length ? emails : undefined,
    website: one('website') || undefined,
    address: one('address') || undefined,
    tags: many('tags').length ? many('tags') : undefined,
    status: one('status') ? listKey(settings.statuses, one('status')) : undefined,
    source: one('source') ? listKey(settings.sources, one('source')) : undefined,
    custom: Object.keys(custom).length ? custom : undefined,
  };
  return { line, action: 'client', contact: null, ...checkClient(settings, draft) };
}

function checkClient(settings: CrmSettings, draft: Record<string, unknown> & { kind: ClientKind; name: string }) {
  const parsed = createClientSchema.safeParse(draft);
  if (!parsed.success) {
    const errors = issuesOf(parsed.error);
    if (!draft.name) errors.name = 'Required';
    return { client: { kind: draft.kind, name: draft.name } as CreateClient, errors };
  }
  const fields = clientFieldsFrom(settings, parsed.data);
  const errors = {
    ...missingRequired(settings, fields.kind, { ...fields, managerId: 'set' }),
    ...customFieldErrors(settings, fields.kind, fields.custom),
    ...listValueErrors(settings, fields),
  };
  return { client: parsed.data, errors };
}

/**
 * The row's non-empty fields, to update an existing client with. Phones, emails and tags are
 * added to the client's own; the name and kind stay the existing client's (it was matched by them).
 */
export function mergeInput(existing: ClientDoc, row: CreateClient): UpdateClient {
  const { kind: _kind, name: _name, managerId: _managerId, force: _force, forceReason: _reason, ...fields } = row;
  const out: UpdateClient = Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)),
  );
  const typed = <T extends { value: string; kind: string }>(list: T[]) =>
    list.map((x) => ({ value: x.value, kind: x.kind as 'work' }));
  const unite = <T extends { value: string; kind: 'work' }>(mine: T[], theirs: T[] | undefined) => {
    const have = new Set(mine.map((x) => x.value.toLowerCase()));
    return [...mine, ...(theirs ?? []).filter((x) => !have.has(x.value.toLowerCase()))];
  };
  if (row.phones) out.phones = unite(typed(existing.phones), typed(row.phones));
  if (row.emails) out.emails = unite(typed(existing.emails), typed(row.emails));
  if (row.tags) out.tags = [...new Set([...existing.tags, ...row.tags])];
  if (row.custom) out.custom = { ...existing.custom, ...row.custom };
  return out;
}
