import type { CrmSettings } from '@crewdeck/shared/clients';
import type { ImportTarget } from '@crewdeck/shared/imports';

/** Header words (lower-cased, punctuation dropped) → field, in English and Russian as Excel exports have them. */
const headerWords: [ImportTarget, string[]][] = [
  [
    'contactName',
    [
      'contact',
      'contact name',
      'contact person',
      'person',
      'full name',
      'контакт',
      'контактное лицо',
      'фио',
      'имя контакта',
    ],
  ],
  ['contactPosition', ['position', 'title', 'job title', 'role', 'должность']],
  ['company', ['company', 'organization', 'organisation', 'account', 'компания', 'организация', 'контрагент']],
  ['name', ['name', 'client', 'client name', 'customer', 'название', 'наименование', 'клиент', 'имя']],
  ['legalName', ['legal name', 'full legal name', 'юридическое название', 'полное наименование', 'юр название']],
  ['legalForm', ['legal form', 'form', 'опф', 'правовая форма', 'организационно правовая форма']],
  ['kind', ['kind', 'type', 'client type', 'тип', 'вид', 'тип клиента']],
  [
    'phone',
    [
      'phone',
      'phone number',
      'telephone',
      'tel',
      'mobile',
      'cell',
      'work phone',
      'телефон',
      'тел',
      'мобильный',
      'мобильный телефон',
      'рабочий телефон',
    ],
  ],
  ['email', ['email', 'e mail', 'mail', 'email address', 'почта', 'электронная почта', 'эл почта', 'емейл']],
  ['website', ['website', 'web site', 'site', 'url', 'web', 'сайт', 'веб сайт']],
  ['address', ['address', 'адрес', 'юридический адрес', 'фактический адрес']],
  ['tags', ['tags', 'tag', 'labels', 'теги', 'метки', 'тег']],
  ['status', ['status', 'статус']],
  ['source', ['source', 'lead source', 'источник', 'откуда узнали']],
];

const normalize = (header: string) =>
  header
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * A first guess at the mapping from the headers: known English and Russian names, then custom
 * fields by key or label (so an `INN` column lands in a custom field `inn` when there is one).
 * Each field is proposed once (phones and emails may repeat); a `Company` column next to a
 * person's name column is the contact's company, alone it is the client's name.
 */
export function proposeMapping(headers: string[], settings: CrmSettings): ImportTarget[] {
  const custom = new Map<string, ImportTarget>();
  for (const def of settings.customFields) {
    custom.set(normalize(def.key), `custom.${def.key}`);
    custom.set(normalize(def.label), `custom.${def.key}`);
  }
  const used = new Set<ImportTarget>();
  const mapping = headers.map((header): ImportTarget => {
    const words = normalize(header);
    const known = headerWords.find(([, names]) => names.includes(words))?.[0] ?? custom.get(words);
    if (!known) return 'ignore';
    const repeatable = known === 'phone' || known === 'email';
    if (used.has(known) && !repeatable) return 'ignore';
    used.add(known);
    return known;
  });
  if (mapping.includes('company') && !mapping.includes('name') && !mapping.includes('contactName')) {
    mapping[mapping.indexOf('company')] = 'name';
  }
  return mapping;
}
