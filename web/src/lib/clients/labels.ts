// Translated names of the CRM's fixed vocabularies (kinds, phone kinds, duplicate reasons, …)
// and of the configurable lists while they still carry the default English labels: an Admin's
// own labels are shown as typed.
import {
  defaultCrmSettings,
  type ClientKind,
  type ClientVisibility,
  type DuplicateCandidate,
  type Labelled,
} from '@crewdeck/shared/clients';
import { m } from '../paraglide/messages.js';

export const KIND_LABELS: Record<ClientKind, () => string> = {
  company: m.cli_kind_company,
  person: m.cli_kind_person,
};

export const PHONE_KIND_LABELS: Record<string, () => string> = {
  work: m.cli_phone_work,
  mobile: m.cli_phone_mobile,
  home: m.cli_phone_home,
  fax: m.cli_phone_fax,
  other: m.cli_kind_other,
};

export const EMAIL_KIND_LABELS: Record<string, () => string> = {
  work: m.cli_phone_work,
  personal: m.cli_email_personal,
  other: m.cli_kind_other,
};

export const REASON_LABELS: Record<DuplicateCandidate['reasons'][number], () => string> = {
  phone: m.cli_reason_phone,
  email: m.cli_reason_email,
  name: m.cli_reason_name,
  domain: m.cli_reason_domain,
};

export const VISIBILITY_LABELS: Record<ClientVisibility, () => string> = {
  all: m.cli_vis_all,
  group: m.cli_vis_group,
  own: m.cli_vis_own,
};

export const CUSTOM_TYPE_LABELS: Record<string, () => string> = {
  text: m.cli_type_text,
  number: m.cli_type_number,
  date: m.cli_type_date,
  select: m.cli_type_select,
};

export const OUTCOME_LABELS: Record<string, () => string> = {
  open: m.cli_outcome_open,
  won: m.cli_outcome_won,
  lost: m.cli_outcome_lost,
};

/** Field names shown in the required-fields editor, the merge picker and error summaries. */
export const FIELD_LABELS: Record<string, () => string> = {
  kind: m.cli_f_kind,
  name: m.cli_f_name,
  legalName: m.cli_f_legal_name,
  legalForm: m.cli_f_legal_form,
  phones: m.cli_f_phones,
  emails: m.cli_f_emails,
  website: m.cli_f_website,
  address: m.cli_f_address,
  tags: m.cli_f_tags,
  status: m.cli_f_status,
  source: m.cli_f_source,
  managerId: m.cli_f_manager,
};

const DEFAULT_LABELS: Record<string, () => string> = {
  'statuses.prospect': m.cli_status_prospect,
  'statuses.active': m.cli_status_active,
  'statuses.inactive': m.cli_status_inactive,
  'sources.website': m.cli_source_website,
  'sources.referral': m.cli_source_referral,
  'sources.cold_call': m.cli_source_cold_call,
  'sources.event': m.cli_source_event,
  'sources.advertising': m.cli_source_advertising,
};

type ListName = 'statuses' | 'sources';

/** The label of `key` in a configurable list, translated while it is the default one. */
export function listLabel(list: Labelled[], name: ListName, key: string): string {
  const item = list.find((entry) => entry.key === key);
  if (!item) return key;
  const isDefault = defaultCrmSettings[name].some((d) => d.key === item.key && d.label === item.label);
  const translated = DEFAULT_LABELS[`${name}.${key}`];
  return isDefault && translated ? translated() : item.label;
}
