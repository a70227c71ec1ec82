// Duplicate detection for CRM clients (issue 13, section 6), without a database: which index keys
// a client contributes, which keys a new or edited client is looked up with, and, for a candidate
// the index returned, why the two are likely the same client. The server runs these on every
// path that creates or updates a client (forms, import, API, quick-create) and in the nightly
// sweep, so the rules live in one place. Phones and e-mails arrive already normalized (E.164 and
// `normalizeEmail`); names and websites arrive as typed.
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { domainOf, nameKey, nameTokens } from './search-keys.ts';

export const duplicateCandidateSchema = z.object({
  /** A company or a person: persons are compared word by word, with given names guarded. */
  kind: z.enum(['company', 'person']),
  /** The name as typed ("ООО «Ромашка»", "Иван Петров"). */
  name: z.string(),
  /** The registered name, when it differs from the name in use. */
  legalName: z.string().optional(),
  /** Phones in E.164. */
  phones: z.array(z.string()),
  /** E-mail addresses, normalized. */
  emails: z.array(z.string()),
  /** The website as typed, any form ("https://www.romashka.ru/", "romashka.ru"). */
  website: z.string().nullable().optional(),
});
export type DuplicateCandidate = z.infer<typeof duplicateCandidateSchema>;

export const duplicateReasonSchema = z.enum(['phone', 'email', 'name', 'domain']);
export type DuplicateReason = z.infer<typeof duplicateReasonSchema>;

/**
 * Mail providers anyone can have an address at: two clients writing from gmail.com share nothing.
 * Their domains never count as a client's domain.
 */
export const freeEmailDomains: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'mail.ru',
  'bk.ru',
  'list.ru',
  'inbox.ru',
  'internet.ru',
  'yandex.ru',
  'ya.ru',
  'yandex.com',
  'rambler.ru',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'yahoo.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  't-online.de',
  'proton.me',
  'protonmail.com',
  'zoho.com',
  'mail.com',
  'yahoo.co.uk',
]);

/** Shortest name (letters and digits, no spaces) that may match with a typo; shorter ones only match exactly. */
export const fuzzyNameMin = 8;

// Transliteration schemes disagree (й → y/i/j, х → h/kh, ц → c/ts, щ → shch/sch, ы → y/i, ё → yo/e), so
// "Severny Veter" and «Северный ветер» (severnyy veter) only meet after folding the variants.
function foldSpelling(word: string): string {
  return word
    .replace(/([bcdfghklmnprstvz])yo/g, '$1e')
    .replace(/shch|sch/g, 'sh')
    .replace(/kh/g, 'h')
    .replace(/ts|tz/g, 'c')
    .replace(/ks/g, 'x')
    .replace(/w/g, 'v')
    .replace(/[yj]/g, 'i')
    .replace(/([a-z])\1+/g, '$1');
}

/** A name's word in its own script and in folded Latin. */
interface Word {
  native: string;
  latin: string;
}

// Transliterating is most of the cost of comparing names, and a check compares one name with up to
// hundreds of candidates (an import, thousands): each distinct name is folded once. Bounded: the
// cache starts over past its size rather than growing with the base.
const foldedNames = new Map<string, readonly Word[]>();
const FOLDED_CACHE_MAX = 50_000;

/** A name as words: nameTokens (legal form, quotes, case, ё) with spelling variants folded. */
function nameWordsFolded(raw: string): readonly Word[] {
  const known = foldedNames.get(raw);
  if (known) return known;
  const words = nameTokens(raw).map((t) => ({ native: t.native, latin: foldSpelling(t.latin) }));
  if (foldedNames.size >= FOLDED_CACHE_MAX) foldedNames.clear();
  foldedNames.set(raw, words);
  return words;
}

/** The script a string is written in, to compare typos in the alphabet they were made in. */
function scriptOf(text: string): string {
  if (/^[\p{Script=Cyrillic}\p{N}]+$/u.test(text)) return 'cyrillic';
  if (/^[\p{Script=Arabic}\p{N}]+$/u.test(text)) return 'arabic';
  return 'latin';
}

/** The name compared as one string, spaces ignored ("Severniy Veter" vs "Severnyiveter"). */
const compact = (words: readonly Word[], form: keyof Word) => words.map((w) => w[form]).join('');

// Given names people share: "Иван Петров" and "Илья Петров" are two people, so a difference in
// one of these is never a typo. Folded as above.
const givenNames: ReadonlySet<string> = new Set(
  [
    'aleksandr',
    'aleksandra',
    'aleksey',
    'anatoliy',
    'andrey',
    'anna',
    'anton',
    'arseniy',
    'artem',
    'boris',
    'daniil',
    'darya',
    'denis',
    'dmitriy',
    'egor',
    'ekaterina',
    'elena',
    'evgeniy',
    'evgeniya',
    'galina',
    'grigoriy',
    'igor',
    'ilya',
    'irina',
    'ivan',
    'kirill',
    'konstantin',
    'kseniya',
    'larisa',
    'lyudmila',
    'maksim',
    'margarita',
    'mariya',
    'marina',
    'mihail',
    'nadezhda',
    'natalya',
    'nikita',
    'nikolay',
    'oleg',
    'olga',
    'pavel',
    'petr',
    'polina',
    'roman',
    'ruslan',
    'sergey',
    'sofiya',
    'stanislav',
    'svetlana',
    'tatyana',
    'timur',
    'valentina',
    'valeriy',
    'vasiliy',
    'vera',
    'viktor',
    'viktoriya',
    'vladimir',
    'vladislav',
    'yuliya',
    'yuriy',
    'ali',
    'reza',
    'mohammad',
    'hossein',
    'mehdi',
    'maryam',
    'fatemeh',
    'zahra',
    'john',
    'james',
    'michael',
    'david',
    'mary',
    'sarah',
    'anne',
    'peter',
  ].map(foldSpelling),
);

/** Digits written in a name ("Ромашка 1", "Стройтрест-12"): a different number is a different firm. */
const numbersOf = (words: readonly Word[]) => {
  let numbers = numbersCache.get(words);
  if (numbers === undefined) {
    numbers = words
      .flatMap((w) => w.latin.match(/\d+/g) ?? [])
      .sort()
      .join(' ');
    numbersCache.set(words, numbers);
  }
  return numbers;
};
// Keyed by the (cached, so stable) word lists of nameWordsFolded.
const numbersCache = new WeakMap<readonly Word[], string>();

/** How many edits a name of this length may differ by and still be a typo of the other. */
function allowedEdits(length: number): number {
  if (length < fuzzyNameMin) return 0;
  return length < 16 ? 1 : 2;
}

/** How many edits two strings may differ by; given the strings, as the rules count lengths differently. */
type Allowance = (a: string, b: string) => number;

/** Within the edits allowed, in Latin or, when both are in the same script, in that script. */
function closeEnough(latin: [string, string], native: [string, string], allowance: Allowance): boolean {
  if (distance(...latin) <= allowance(...latin)) return true;
  return sameNonLatinScript(...native) && distance(...native) <= allowance(...native);
}

/** Both written in one script other than Latin, where a typo can be counted in that script. */
function sameNonLatinScript(a: string, b: string): boolean {
  const script = scriptOf(a);
  return script !== 'latin' && script === scriptOf(b);
}

/** When one word of a company name changed: the whole name's allowance, capped at a quarter of that word. */
const wordAllowance = (whole: [string, string], p: string, q: string) =>
  Math.min(companyAllowance(...whole), Math.max(1, Math.floor(Math.min(p.length, q.length) / 4)));

// A person's word counts the longer of the two: the given name must agree as well, and surnames
// are short ("Кузнецов" / "Кузнецв"). A company name counts the shorter ("Ромашка" / "Ромашкин").
const personAllowance: Allowance = (a, b) => allowedEdits(Math.max(a.length, b.length));
const companyAllowance: Allowance = (a, b) => allowedEdits(Math.min(a.length, b.length));

/** Two words are one word with a typo (or the same word in another script or spelling). */
function sameWord(a: Word, b: Word): boolean {
  if (a.latin === b.latin) return true;
  if (givenNames.has(a.latin) || givenNames.has(b.latin)) return false;
  return closeEnough([a.latin, b.latin], [a.native, b.native], personAllowance);
}

// Persons: the same words in any order ("Петров Иван"), allowing a typo in a long word (a surname)
// but not in a given name, and allowing a patronymic on one side only ("Иван Иванович Петров").
function similarPersonNames(a: readonly Word[], b: readonly Word[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length < 2 || long.length - short.length > 1) return false;
  const unused = [...long];
  for (const word of short) {
    const at = unused.findIndex((other) => sameWord(word, other));
    if (at < 0) return false;
    unused.splice(at, 1);
  }
  // The one extra word may only be a patronymic, never another surname or given name.
  return unused.every((word) => /(ovich|evich|ich|ovna|evna|ichna|inichna)$/.test(word.latin));
}

// Companies: a typo allowed in long names, never when a whole word is added or dropped
// ("Ромашка" / "Ромашка Плюс", "Стройсервис" / "Стройсервис М"). When one word of several differs,
// the edits must also be few for that word: "Кристалл Девелопмент" and "Хрусталь Девелопмент"
// are two edits apart in a long name but two firms. Otherwise the names compare as one string,
// spaces ignored ("Severniy Veter" / "Severnyiveter").
function similarCompanyNames(a: readonly Word[], b: readonly Word[]): boolean {
  const [la, lb] = [compact(a, 'latin'), compact(b, 'latin')];
  if (la === lb) return true;
  const setA = new Set(a.map((w) => w.latin));
  const setB = new Set(b.map((w) => w.latin));
  const aInB = [...setA].every((w) => setB.has(w));
  const bInA = [...setB].every((w) => setA.has(w));
  if (aInB !== bInA) return false;
  const whole: [string, string] = [compact(a, 'native'), compact(b, 'native')];
  const differing = a.length === b.length ? a.flatMap((w, i) => (w.latin === b[i].latin ? [] : [i])) : [];
  if (differing.length !== 1) return closeEnough([la, lb], whole, companyAllowance);
  const [x, y] = [a[differing[0]], b[differing[0]]];
  if (distance(x.latin, y.latin) <= wordAllowance([la, lb], x.latin, y.latin)) return true;
  if (!sameNonLatinScript(x.native, y.native)) return false;
  return distance(x.native, y.native) <= wordAllowance(whole, x.native, y.native);
}

/** Are these two names (as typed) one client's name written differently? */
export function similarNames(kind: DuplicateCandidate['kind'], a: string, b: string): boolean {
  const [wa, wb] = [nameWordsFolded(a), nameWordsFolded(b)];
  if (wa.length === 0 || wb.length === 0) return false;
  if (numbersOf(wa) !== numbersOf(wb)) return false;
  if (kind === 'person') return similarPersonNames(wa, wb);
  return similarCompanyNames(wa, wb);
}

/** The names a client goes by: its name and its legal name. */
const namesOf = (c: DuplicateCandidate) => [c.name, ...(c.legalName ? [c.legalName] : [])];

/** The domains that identify a client: its website's, and for companies their own mail domain. */
export function clientDomains(c: DuplicateCandidate): string[] {
  const known = domainsCache.get(c);
  if (known) return known;
  const fromMail = c.kind === 'company' ? c.emails.map(domainOf) : [];
  const domains = [c.website ? domainOf(c.website) : null, ...fromMail];
  const result = [...new Set(domains.filter((d): d is string => d !== null && !freeEmailDomains.has(d)))];
  domainsCache.set(c, result);
  return result;
}
// A record is compared with many others (a check, an import batch): its domains are read once.
const domainsCache = new WeakMap<DuplicateCandidate, string[]>();

// Blocking keys for similar names: the folded words, and the first and last four letters of the
// compact name. One typo in a name of `fuzzyNameMin` letters or more leaves one end intact, so
// a typo'd name still meets its original in the index.
function nameBlockingKeys(kind: DuplicateCandidate['kind'], raw: string): string[] {
  const words = nameWordsFolded(raw).map((w) => w.latin);
  const whole = words.join('');
  const keys = words.filter((w) => w.length >= 3 && !givenNames.has(w)).map((w) => `w:${kind}:${w}`);
  if (whole.length >= fuzzyNameMin) keys.push(`np:${kind}:${whole.slice(0, 4)}`, `ns:${kind}:${whole.slice(-4)}`);
  return keys;
}

/**
 * The index keys a client contributes: `p:` phones, `e:` e-mails, `n:` name keys (name and legal
 * name), `d:` domains, and name blocking keys (`w:`, `np:`, `ns:`) that bring similar names together.
 */
export function duplicateKeys(c: DuplicateCandidate): string[] {
  const keys = [
    ...c.phones.map((p) => `p:${p}`),
    ...c.emails.map((e) => `e:${e}`),
    ...namesOf(c).flatMap((n) => {
      const key = nameKey(n);
      return key ? [`n:${key}`, ...nameBlockingKeys(c.kind, n)] : [];
    }),
    ...clientDomains(c).map((d) => `d:${d}`),
  ];
  return [...new Set(keys)];
}

/**
 * The keys to query the index with for a new or edited client. The same as its own keys: every
 * rule in `duplicateReasons` is symmetric, and each one leaves a key both records share.
 */
export function duplicateLookupKeys(c: DuplicateCandidate): string[] {
  return duplicateKeys(c);
}

const shares = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

/**
 * Why two clients are likely one: the same phone or e-mail, a similar name (any of their names),
 * or the same website or company mail domain. Empty when they look distinct. A person and a
 * company are compared on phones and e-mails only (a sole trader may be entered as either).
 */
export function duplicateReasons(a: DuplicateCandidate, b: DuplicateCandidate): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (shares(a.phones, b.phones)) reasons.push('phone');
  if (shares(a.emails, b.emails)) reasons.push('email');
  if (a.kind !== b.kind) return reasons;
  if (namesOf(a).some((na) => namesOf(b).some((nb) => similarNames(a.kind, na, nb)))) reasons.push('name');
  if (shares(clientDomains(a), clientDomains(b))) reasons.push('domain');
  return reasons;
}
