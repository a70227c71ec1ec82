// What the search index stores for a record and what a query looks up, both derived from
// shared/search-keys so the two sides always agree. Terms carry a prefix per family (`w:` name
// word prefix, `p:` phone digit 4-gram, `e:` e-mail prefix, `d:` e-mail domain prefix) so a
// word can never match a phone gram. Prefixes are capped: a longer query word is looked up by
// its capped prefix and checked exactly on the fetched entries (`words`, `emails`, `digits`).
import {
  foldDigits,
  nameTokens,
  normalizeEmail,
  normalizePhone,
  phoneFragmentMin,
  phoneGrams,
  phoneQuery,
} from '@crewdeck/shared/search-keys';
import type { SearchDocument } from './search-index.ts';

/** Shortest word prefix indexed and looked up (one letter would match half the base). */
export const wordMin = 2;
/** Longest word prefix indexed; longer words are checked on the entries. */
export const wordCap = 12;
const emailMin = 3;
const emailCap = 24;
const domainMin = 2;
const domainCap = 16;

/** The stored, derived part of an index entry. */
export interface IndexedFields {
  terms: string[];
  /** Latin name words (for exact prefix checks beyond `wordCap`). */
  words: string[];
  /** Normalized e-mail addresses. */
  emails: string[];
  /** Digit forms of every phone (`phoneMatches` semantics). */
  digits: string[];
}

function prefixes(tag: string, text: string, min: number, cap: number): string[] {
  const out: string[] = [];
  for (let n = Math.min(min, text.length); n <= Math.min(cap, text.length); n++) out.push(tag + text.slice(0, n));
  return out;
}

const domainPart = (email: string) => email.slice(email.lastIndexOf('@') + 1);

/** Terms and check fields of a record; phones without a country code are read in `country`. */
export function indexedFields(doc: SearchDocument, country: string): IndexedFields {
  const words = [doc.title, ...doc.text].flatMap((t) => nameTokens(t).map((w) => w.latin));
  const emails = [...new Set(doc.emails.map(normalizeEmail).filter((e) => e.length > 0))];
  // The local part's words too ("ivan.petrov@…" is found by "petrov", "office12@…" by "office12").
  for (const e of emails) for (const t of nameTokens(e.slice(0, e.lastIndexOf('@')))) words.push(t.latin);
  const digits = [...new Set(doc.phones.flatMap((p) => normalizePhone(p, country).digitForms))];
  const uniqueWords = [...new Set(words)].filter((w) => w.length > 0);
  const terms = new Set<string>();
  for (const w of uniqueWords) for (const t of prefixes('w:', w, wordMin, wordCap)) terms.add(t);
  for (const e of emails) {
    for (const t of prefixes('e:', e, emailMin, emailCap)) terms.add(t);
    for (const t of prefixes('d:', domainPart(e), domainMin, domainCap)) terms.add(t);
  }
  for (const g of phoneGrams(digits)) terms.add(`p:${g}`);
  return { terms: [...terms], words: uniqueWords, emails, digits };
}

/**
 * One way a query may match: every term present (the index answers `anchor`, the store checks
 * the rest), then `check` on the entry for what the capped terms cannot tell.
 */
export interface QueryAlternative {
  anchor: string;
  rest: string[];
  check(entry: CheckedFields): boolean;
}

/** What a fetched entry is checked on (the query does not fetch `terms`). */
export type CheckedFields = Pick<IndexedFields, 'words' | 'emails' | 'digits'>;

/** A parsed query: alternatives (ORed), and the name key used for ranking. */
export interface ParsedQuery {
  alternatives: QueryAlternative[];
  nameKey: string;
}

// "8 (912) 345-67-89", "+7 912 345 67 89", "0049 30 1234": digits and the punctuation people
// put between them, nothing else.
const phoneLike = /^[\d\s()+\-./\u00a0]+$/u;
const digitCount = (text: string) => text.replace(/\D+/g, '').length;

/** The alternatives of a phone query: each digit string's grams, checked as a substring of a form. */
function phoneAlternatives(text: string, country: string): QueryAlternative[] {
  const forms = phoneQuery(text, country) ?? [];
  return forms.map((digits) => {
    const grams = phoneGrams([digits]).map((g) => `p:${g}`);
    // The subscriber's last digits are the most selective gram; the first ones are often a
    // country or area code shared by thousands of numbers.
    const anchor = grams[grams.length - 1];
    return {
      anchor,
      rest: grams.slice(0, -1),
      check: (entry) => entry.digits.some((f) => f.includes(digits)),
    };
  });
}

interface Requirement {
  term: string;
  check(entry: CheckedFields): boolean;
}

function emailRequirement(token: string): Requirement | null {
  const email = normalizeEmail(token);
  if (email.startsWith('@')) {
    const domain = email.slice(1);
    if (domain.length < domainMin) return null;
    return {
      term: `d:${domain.slice(0, domainCap)}`,
      check: (entry) => entry.emails.some((e) => domainPart(e).startsWith(domain)),
    };
  }
  if (email.length < emailMin) return null;
  return { term: `e:${email.slice(0, emailCap)}`, check: (entry) => entry.emails.some((e) => e.startsWith(email)) };
}

function wordRequirement(word: string): Requirement {
  return { term: `w:${word.slice(0, wordCap)}`, check: (entry) => entry.words.some((w) => w.startsWith(word)) };
}

function digitRequirement(digits: string): Requirement[] {
  return phoneGrams([digits]).map((g) => ({
    term: `p:${g}`,
    check: (entry) => entry.digits.some((f) => f.includes(digits)),
  }));
}

/** Words, e-mails and digit runs of a mixed query ("Ivan 6789", "petrov@", "ООО Ромашка"): all required. */
function mixedAlternative(text: string): { alternative: QueryAlternative | null; nameKey: string } {
  const tokens = text.split(/\s+/u).filter((t) => t.length > 0);
  const required: Requirement[] = [];
  const wordish: string[] = [];
  for (const token of tokens) {
    if (token.includes('@')) {
      const req = emailRequirement(token);
      if (req) required.push(req);
    } else if (/^\d+$/.test(token) && token.length >= phoneFragmentMin) required.push(...digitRequirement(token));
    else wordish.push(token);
  }
  // Legal forms are dropped from the words as a whole ("ООО Ромашка"), as when indexing.
  const words = [...new Set(nameTokens(wordish.join(' ')).map((t) => t.latin))].filter((w) => w.length >= wordMin);
  required.push(...words.map(wordRequirement));
  if (required.length === 0) return { alternative: null, nameKey: '' };
  // Longest term first: a longer prefix is shared by fewer entries.
  const sorted = [...required].sort((a, b) => b.term.length - a.term.length);
  const terms = [...new Set(sorted.map((r) => r.term))];
  return {
    alternative: { anchor: terms[0], rest: terms.slice(1), check: (entry) => required.every((r) => r.check(entry)) },
    nameKey: words.join(' '),
  };
}

/** Parses what was typed into index lookups; no alternatives when nothing is long enough to look up. */
export function parseQuery(raw: string, country: string): ParsedQuery {
  const text = foldDigits(raw.normalize('NFKC')).trim();
  if (phoneLike.test(text) && digitCount(text) >= phoneFragmentMin)
    return { alternatives: phoneAlternatives(text, country), nameKey: '' };
  const { alternative, nameKey } = mixedAlternative(text);
  return { alternatives: alternative ? [alternative] : [], nameKey };
}
