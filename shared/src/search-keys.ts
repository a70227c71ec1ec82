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
  /** The extension ("доб. 12", "ext. 12"), when one was written. */
  ext?: string;
}

// Decimal digits of other scripts that people paste from phones and documents: Arabic-Indic
// (٠١٢), Persian (۰۱۲), Devanagari, Bengali and full-width ones. Each block is ten consecutive
// code points from its zero; `\D` in a JS regex only knows ASCII, so they are folded first.
const digitZeros = [0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0e50, 0xff10];

/** Replaces non-ASCII decimal digits with ASCII ones, leaving everything else as it is. */
export function foldDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    const zero = digitZeros.find((z) => code >= z && code <= z + 9);
    return zero === undefined ? ch : String(code - zero);
  });
}

const digitsOf = (text: string) => foldDigits(text).replace(/\D+/g, '');

// Writing conventions that confuse the parser or the digit forms: NBSP and other odd spaces (and
// libphonenumber rejects a leading space), and the German "+49 (0)30", whose "(0)" is a trunk
// prefix that is never dialled after the country code.
function cleanPhoneText(raw: string): string {
  return foldDigits(raw)
    .replace(/[\s\u00a0\u2007\u202f]+/gu, ' ')
    .replace(/(\+\s*\d{1,3}\s*)\(0\)/u, '$1')
    .trim();
}

const withoutExt = (digits: string, ext: string | undefined) =>
  ext && digits.endsWith(ext) ? digits.slice(0, -ext.length) : digits;

type Parsed = NonNullable<ReturnType<typeof parsePhoneNumberFromString>>;

// Which reading of the text to believe. A valid number in the default country first; then the
// same digits read as international, because "00 98 912…" and "0049 30…" use the 00 exit code that
// the parser only knows for some countries, and "49 30 123456" is often typed without its plus.
// Only when nothing is valid does a merely possible number count (new ranges, short extensions).
function parsePhone(text: string, country: CountryCode): Parsed | undefined {
  const local = parsePhoneNumberFromString(text, country);
  if (local?.isValid()) return local;
  const digits = digitsOf(text.replace(/(?:доб|ext|extension|x|#)\.?\s*\d+\s*$/iu, ''));
  const international = digits.startsWith('00') ? digits.slice(2) : text.trimStart().startsWith('+') ? '' : digits;
  const retry = international ? parsePhoneNumberFromString(`+${international}`) : undefined;
  if (retry?.isValid()) return retry;
  return local?.isPossible() ? local : undefined;
}

/**
 * Parses a phone number as people type it ("8 912 345-67-89", "+7 (912) 345 67 89",
 * "9123456789", "06 28 23 04 55", "۰۹۱۲ ۳۴۵ ۶۷۸۹", "тел. … доб. 12"), reading numbers without a
 * country code in `defaultCountry`. The extension is kept apart, never glued to the number.
 */
export function normalizePhone(raw: string, defaultCountry: string): NormalizedPhone {
  const country = defaultCountry.toUpperCase() as CountryCode;
  const text = cleanPhoneText(raw);
  const parsed = parsePhone(text, country);
  const typed = digitsOf(text);
  if (!parsed) return { e164: null, national: typed, digitForms: typed ? [typed] : [] };
  const e164 = parsed.number;
  const national = parsed.nationalNumber;
  const ext = parsed.ext ?? undefined;
  // What was typed, without its extension digits, so "…67-89 доб. 12" still ends in "6789".
  const typedNumber = withoutExt(typed, ext);
  // The national format with its trunk prefix ("89123456789", "030123456", "09123456789"), so a
  // fragment typed the local way finds a number stored in international form.
  const trunk = withoutExt(digitsOf(parsed.formatNational()), ext);
  const forms = new Set([digitsOf(e164), national, trunk, typedNumber].filter((d) => d.length > 0));
  return { e164, national, digitForms: [...forms], ...(ext ? { ext } : {}) };
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
 * whole number in another format ("8 912 …") also tries its E.164 digits and national form, so the
 * trunk prefix does not stop it matching "+7 912 …"; a fragment typed after the 00 exit code
 * ("0049 30") also tries itself without it. Null when it has fewer than `phoneFragmentMin` digits.
 */
export function phoneQuery(raw: string, defaultCountry: string): string[] | null {
  const parsed = normalizePhone(raw, defaultCountry);
  const typed = digitsOf(cleanPhoneText(raw));
  if (typed.length < phoneFragmentMin) return null;
  const whole = parsed.e164 ? [digitsOf(parsed.e164), parsed.national] : [];
  const typedNumber = withoutExt(typed, parsed.ext);
  const afterExit = typed.startsWith('00') && typed.length - 2 >= phoneFragmentMin ? [typed.slice(2)] : [];
  return [...new Set([typedNumber, ...whole, ...afterExit])];
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

// Apostrophes stand for the soft sign in transliterations ("Ol'ga", "Natal’ya"): part of the word,
// not a break between two.
const withoutApostrophes = (text: string) => text.replace(/['’ʼ`´]/gu, '');

/**
 * A company or person name reduced to its searchable words: transliterated to Latin, lower case,
 * without quotes, punctuation and legal forms. `ООО «Ромашка»`, `Romashka LLC` and `ромашка` all
 * give `romashka`.
 */
export function nameKey(raw: string): string {
  // ё is written е more often than not; fold it before the transliterator turns it into "yo".
  const latin = transliterate(
    withoutApostrophes(raw.normalize('NFKC')).replace(/ё/gu, 'е').replace(/Ё/gu, 'Е'),
  ).toLowerCase();
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

/** One word of a name in its own script (lower case, ё → е) and in folded-to-Latin form. */
export interface NameToken {
  native: string;
  latin: string;
}

/**
 * A name as words kept in their own script next to their Latin form, without quotes, punctuation
 * and legal forms. Duplicate rules count a typo in the script it was made in: one wrong Cyrillic
 * letter may be two Latin ones (ж → zh).
 */
export function nameTokens(raw: string): NameToken[] {
  const words = withoutApostrophes(raw.normalize('NFKC'))
    .toLowerCase()
    .replace(/ё/gu, 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  const tokens = words
    .map((native) => ({
      native,
      latin: transliterate(native)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ''),
    }))
    .filter((t) => t.latin.length > 0 || t.native.length > 0);
  const meaningful = tokens.filter((t) => !legalForms.has(t.latin));
  return meaningful.length > 0 ? meaningful : tokens;
}
