import type { CountryCode } from 'libphonenumber-js';
import type { ClientKind, CreateClient, CrmSettings, CustomFieldDef } from '@crewdeck/shared/clients';
import { duplicateKeys, type DuplicateCandidate as DuplicateCandidateRecord } from '@crewdeck/shared/duplicate-rules';
import { normalizeEmail, normalizePhone } from '@crewdeck/shared/search-keys';
import type { ClientDoc, StoredConsents, StoredEmail, StoredPhone } from './clients.model.ts';

/** The country a number without a country code belongs to (`DEFAULT_PHONE_COUNTRY`, default RU). */
export function defaultPhoneCountry(): CountryCode {
  const value = (process.env.DEFAULT_PHONE_COUNTRY ?? 'RU').trim().toUpperCase();
  return (/^[A-Z]{2}$/.test(value) ? value : 'RU') as CountryCode;
}

/** Phones as typed, each with its E.164 form (null when it does not parse). */
export function storePhones(phones: { value: string; kind: string }[], country = defaultPhoneCountry()): StoredPhone[] {
  return phones.map((p) => ({ value: p.value.trim(), kind: p.kind, e164: normalizePhone(p.value, country).e164 }));
}

/** Emails kept as typed but trimmed; compared lower-cased. */
export function storeEmails(emails: { value: string; kind: string }[]): StoredEmail[] {
  return emails.map((e) => ({ value: e.value.trim(), kind: e.kind }));
}

type ConsentInput = Partial<Record<'email' | 'sms', { granted: boolean; at: string; source: string } | null>>;

export function storeConsents(input: ConsentInput | undefined, before?: StoredConsents): StoredConsents {
  const pick = (channel: 'email' | 'sms') => {
    const given = input?.[channel];
    if (given === undefined) return before?.[channel] ?? null;
    return given ? { granted: given.granted, at: new Date(given.at), source: given.source } : null;
  };
  return { email: pick('email'), sms: pick('sms') };
}

/** The fields the duplicate rules compare, from a stored (or about to be stored) client. */
export function duplicateRecord(
  client: Pick<ClientDoc, 'kind' | 'name' | 'legalName' | 'phones' | 'emails' | 'website'>,
): DuplicateCandidateRecord {
  return {
    kind: client.kind,
    name: client.name,
    legalName: client.legalName || undefined,
    phones: client.phones.flatMap((p) => (p.e164 ? [p.e164] : [])),
    emails: client.emails.map((e) => normalizeEmail(e.value)),
    website: client.website || null,
  };
}

export const dupKeysOf = (client: Parameters<typeof duplicateRecord>[0]) => duplicateKeys(duplicateRecord(client));

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The required fields (per kind, from the settings) that `client` leaves empty, as field path →
 * message: the same check for forms, quick-create, import rows and the API.
 */
export function missingRequired(
  settings: CrmSettings,
  kind: ClientKind,
  client: Partial<Record<string, unknown>> & { custom?: Record<string, unknown> },
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const path of settings.required[kind]) {
    const value = path.startsWith('custom.') ? client.custom?.[path.slice(7)] : client[path];
    if (isEmpty(value)) fields[path] = 'Required';
  }
  return fields;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

function customValueError(def: CustomFieldDef, value: unknown): string | null {
  if (value === null || value === '') return null;
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? null : 'Must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'Must be a number';
    case 'date':
      return typeof value === 'string' && dayPattern.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : 'Must be a date (YYYY-MM-DD)';
    case 'select':
      return typeof value === 'string' && def.options.includes(value) ? null : 'Pick one of the choices';
  }
}

/**
 * Checks custom values against their definitions: unknown keys, wrong types, choices that are not
 * offered, and fields not defined for the client's kind are refused with their paths.
 */
export function customFieldErrors(
  settings: CrmSettings,
  kind: ClientKind,
  custom: Record<string, unknown>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  const defs = new Map(settings.customFields.map((d) => [d.key, d]));
  for (const [key, value] of Object.entries(custom)) {
    const def = defs.get(key);
    if (!def || !def.kinds.includes(kind)) {
      fields[`custom.${key}`] = 'No such field for this kind of client';
      continue;
    }
    const error = customValueError(def, value);
    if (error) fields[`custom.${key}`] = error;
  }
  return fields;
}

/** Status and source must be keys of the configured lists. */
export function listValueErrors(
  settings: CrmSettings,
  client: { status?: string; source?: string },
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (client.status && !settings.statuses.some((s) => s.key === client.status)) fields.status = 'Unknown status';
  if (client.source && !settings.sources.some((s) => s.key === client.source)) fields.source = 'Unknown source';
  return fields;
}

/** The stored fields of a client from its input: phones normalized, consents dated, duplicate keys. */
export function clientFieldsFrom(settings: CrmSettings, input: CreateClient, before?: { consent: StoredConsents }) {
  const base = {
    kind: input.kind,
    name: input.name.trim(),
    legalName: input.legalName?.trim() ?? '',
    legalForm: input.legalForm?.trim() ?? '',
    phones: storePhones(input.phones ?? []),
    emails: storeEmails(input.emails ?? []),
    website: input.website?.trim() ?? '',
    address: input.address ?? '',
    tags: [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))],
    status: input.status ?? settings.statuses[0]?.key ?? '',
    source: input.source ?? '',
    custom: Object.fromEntries(Object.entries(input.custom ?? {}).filter(([, v]) => v !== null && v !== '')),
    consent: storeConsents(input.consent, before?.consent),
  };
  return { ...base, dupKeys: dupKeysOf(base) };
}
export type ClientFields = ReturnType<typeof clientFieldsFrom>;
