// Search keys for the CRM (issue 13, first part): what a phone number, an e-mail address or a
// company name is reduced to so that one search box finds it however it was typed. Phones become
// E.164 (`libphonenumber-js`, default country from DEFAULT_PHONE_COUNTRY) and are found by any
// fragment of four or more digits, with or without the country code or a trunk prefix ("8 912…"
// and "+7 912…" are one number, which digit-only matching gets wrong). Company names lose their
// legal form and quotes and are transliterated, so «ООО «Ромашка»», "Romashka LLC" and "ромашка"
// share a key. Shared: the server indexes and queries with these, the web can show the same
// normalized form while someone types.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { transliterate } from 'transliteration';

/** Shortest run of digits a phone search matches on (shorter ones match too much). */
export const phoneFragmentMin = 4;

export interface NormalizedPhone {
  /** `+79123456789`, or null when the input is not a possible number. */
  e164: string | null;
  /** The national significant number (`9123456789`), or the bare digits when it did not parse. */
  national: string;
  /** Digit strings a fragment may be found in: with the country code, nationally, as typed. */
  digitForms: string[];
}

const digitsOf = (text: string) => text.replace(/\D+/g, '');

/**
 * Parses a phone number as people type it ("8 912 345-67-89", "+7 (912) 345 67 89",
 * "9123456789", "06 28 23 04 55"), reading numbers without a country code in `defaultCountry`.
 */
export function normalizePhone(raw: string, defaultCountry: string): NormalizedPhone {
  const country = defaultCountry.toUpperCase() as CountryCode;
  const parsed = parsePhoneNumberFromString(raw, country);
  const typed = digitsOf(raw);
  if (!parsed || !parsed.isPossible()) return { e164: null, national: typed, digitForms: typed ? [typed] : [] };
  const e164 = parsed.number;
  const national = parsed.nationalNumber;
  const forms = new Set([digitsOf(e164), national, typed].filter((d) => d.length > 0));
  return { e164, national, digitForms: [...forms] };
}

/** Every run of `phoneFragmentMin` digits in the forms: what an index holds so fragments never scan. */
export function phoneGrams(forms: readonly string[]): string[] {
  const grams = new Set<string>();
  for (const form of forms)
    for (let i = 0; i + phoneFragmentMin <= form.length; i++) grams.add(form.slice(i, i + phoneFragmentMin));
  return [...grams];
}

/**
 * A phone query: the digit strings that must appear in one of a number's forms. A query that is a
 * whole number in another format ("8 912 …") also tries its national form, so the trunk prefix
 * does not stop it matching "+7 912 …"; null when it has fewer than `phoneFragmentMin` digits.
 */
export function phoneQuery(raw: string, defaultCountry: string): string[] | null {
  const typed = digitsOf(raw);
  if (typed.length < phoneFragmentMin) return null;
  const parsed = normalizePhone(raw, defaultCountry);
  return [...new Set([typed, ...(parsed.e164 ? [parsed.national] : [])])];
}

/** Does a stored number (its digit forms) match a phone query? */
export function phoneMatches(forms: readonly string[], query: readonly string[]): boolean {
  return query.some((q) => forms.some((f) => f.includes(q)));
}

/** E-mail addresses compare without case and surrounding spaces. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

// Legal forms written before or after a company name, in Russian, Persian and the usual Latin
// ones; matched as whole words after transliteration, so "ООО" is "ooo" here.
const legalForms = new Set([
  'ooo',
  'oao',
  'zao',
  'pao',
  'ao',
  'ip',
  'nko',
  'gup',
  'mup',
  'llc',
  'ltd',
  'inc',
  'corp',
  'co',
  'gmbh',
  'ag',
  'llp',
  'plc',
  'sa',
  'sarl',
  'bv',
  'oy',
  'ab',
  // شرکت سهامی خاص (private joint-stock company), as the transliterator writes it.
  'shrkht',
  'shmy',
  'khs',
]);

/**
 * A company or person name reduced to its searchable words: transliterated to Latin, lower case,
 * without quotes, punctuation and legal forms. `ООО «Ромашка»`, `Romashka LLC` and `ромашка` all
 * give `romashka`.
 */
export function nameKey(raw: string): string {
  const latin = transliterate(raw.normalize('NFKC')).toLowerCase();
  const words = latin
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0);
  const meaningful = words.filter((w) => !legalForms.has(w));
  return (meaningful.length > 0 ? meaningful : words).join(' ');
}

/** Words of a name key, for prefix search ("рома" finds "romashka"). */
export function nameWords(raw: string): string[] {
  const key = nameKey(raw);
  return key ? [...new Set(key.split(' '))] : [];
}

/** The domain of a website or e-mail address, without `www.`: one of the duplicate signals. */
export function domainOf(raw: string): string | null {
  const text = raw.trim().toLowerCase();
  if (!text) return null;
  const host =
    text.includes('@') && !text.includes('/')
      ? text.split('@').pop()
      : text.replace(/^[a-z]+:\/\//, '').split(/[/?#:]/)[0];
  const domain = host?.replace(/^www\./, '') ?? '';
  return /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain) ? domain : null;
}
