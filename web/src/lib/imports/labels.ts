// Translated names of import fields, duplicate choices and row outcomes.
import type { CustomFieldDef } from '@crewdeck/shared/clients';
import { importFields, type DuplicateChoice, type ImportResult, type ImportTarget } from '@crewdeck/shared/imports';
import { m } from '../paraglide/messages.js';

const fieldLabels: Record<(typeof importFields)[number], () => string> = {
  ignore: m.imp_f_ignore,
  name: m.imp_f_name,
  kind: m.imp_f_kind,
  legalName: m.imp_f_legalName,
  legalForm: m.imp_f_legalForm,
  phone: m.imp_f_phone,
  email: m.imp_f_email,
  website: m.imp_f_website,
  address: m.imp_f_address,
  tags: m.imp_f_tags,
  status: m.imp_f_status,
  source: m.imp_f_source,
  company: m.imp_f_company,
  contactName: m.imp_f_contactName,
  contactPosition: m.imp_f_contactPosition,
};

export type FieldOption = { value: ImportTarget; label: string };

/** Every target a column can be mapped to: the fixed fields, then the custom fields. */
export function fieldOptions(custom: CustomFieldDef[]): FieldOption[] {
  return [
    ...importFields.map((value) => ({ value, label: fieldLabels[value]() })),
    ...custom.map((def) => ({
      value: `custom.${def.key}` as ImportTarget,
      label: m.imp_f_custom({ label: def.label }),
    })),
  ];
}

export const CHOICE_LABELS: Record<DuplicateChoice, () => string> = {
  skip: m.imp_choice_skip,
  merge: m.imp_choice_merge,
  create: m.imp_choice_create,
};

export const OUTCOME_LABELS: Record<ImportResult['outcome'], () => string> = {
  created: m.imp_outcome_created,
  updated: m.imp_outcome_updated,
  skipped: m.imp_outcome_skipped,
  failed: m.imp_outcome_failed,
  contact: m.imp_outcome_contact,
};
