// The web app's translations: every message exists in English, Russian and Persian with the same
// parameters and no empty text, plurals carry each language's forms, and no component shows
// hard-coded English (text between tags or in a label-like attribute) instead of a message.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const web = path.resolve(import.meta.dirname, '../../web');
const locales = ['en', 'ru', 'fa'] as const;
type Locale = (typeof locales)[number];

type Variant = { declarations: string[]; selectors: string[]; match: Record<string, string> };
type Message = string | Variant[];

function load(locale: Locale): Record<string, Message> {
  const raw: unknown = JSON.parse(readFileSync(path.join(web, 'messages', `${locale}.json`), 'utf8'));
  if (typeof raw !== 'object' || raw === null) throw new Error(`${locale}.json is not an object`);
  const entries = Object.entries(raw).filter(([key]) => key !== '$schema');
  return Object.fromEntries(entries) as Record<string, Message>;
}

const messages = Object.fromEntries(locales.map((locale) => [locale, load(locale)])) as Record<
  Locale,
  Record<string, Message>
>;

/** `{name}` placeholders of a pattern (escaped `\{` does not count). */
function placeholders(pattern: string): string[] {
  return [...pattern.matchAll(/(?<!\\)\{(\w+)\}/g)].map((match) => match[1]);
}

/** The inputs a message takes: placeholders of a plain message, `input x` of a variant one. */
function inputs(message: Message): string[] {
  if (typeof message === 'string') return [...new Set(placeholders(message))].sort();
  return message
    .flatMap((variant) => variant.declarations)
    .filter((declaration) => declaration.startsWith('input '))
    .map((declaration) => declaration.slice('input '.length).trim())
    .sort();
}

/** Every text a message can produce. */
function texts(message: Message): string[] {
  return typeof message === 'string' ? [message] : message.flatMap((variant) => Object.values(variant.match));
}

const pluralForms: Record<Locale, string[]> = { en: ['one', 'other'], ru: ['one', 'few', 'many'], fa: ['other'] };

describe('web messages', () => {
  it('has the same keys in every language', () => {
    const all = new Set(locales.flatMap((locale) => Object.keys(messages[locale])));
    const missing = locales.flatMap((locale) =>
      [...all].filter((key) => !(key in messages[locale])).map((key) => `${locale}: ${key}`),
    );
    expect(missing).toEqual([]);
    expect(all.size).toBeGreaterThan(100);
  });

  it('gives each message the same parameters in every language', () => {
    const differ = Object.keys(messages.en).flatMap((key) => {
      const expected = inputs(messages.en[key]).join(',');
      return locales
        .filter((locale) => key in messages[locale] && inputs(messages[locale][key]).join(',') !== expected)
        .map((locale) => `${key} (${locale}: ${inputs(messages[locale][key]).join(',')} vs en: ${expected})`);
    });
    expect(differ).toEqual([]);
  });

  it('has no empty message and no placeholder that is not an input', () => {
    const problems = locales.flatMap((locale) =>
      Object.entries(messages[locale]).flatMap(([key, message]) => {
        const found: string[] = [];
        if (texts(message).length === 0 || texts(message).some((text) => text.trim() === ''))
          found.push(`${locale}: ${key} is empty`);
        if (typeof message !== 'string') {
          const known = new Set(
            message
              .flatMap((variant) => variant.declarations)
              .map((declaration) => /^(?:input|local)\s+(\w+)/.exec(declaration)?.[1]),
          );
          for (const name of texts(message).flatMap(placeholders))
            if (!known.has(name)) found.push(`${locale}: ${key} uses undeclared {${name}}`);
        }
        return found;
      }),
    );
    expect(problems).toEqual([]);
  });

  it("gives every plural the language's forms", () => {
    const problems = locales.flatMap((locale) =>
      Object.entries(messages[locale]).flatMap(([key, message]) => {
        if (typeof message === 'string') return [];
        const selected = new Set(
          message.flatMap((variant) => Object.keys(variant.match).map((match) => match.split('=')[1])),
        );
        return pluralForms[locale]
          .filter((form) => !selected.has(form))
          .map((form) => `${locale}: ${key} lacks ${form}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('uses Persian and Russian script where English has words', () => {
    // A message copied over untranslated is caught here (codes, names and symbols are exempt).
    const untranslated = Object.keys(messages.en).filter((key) => {
      const english = texts(messages.en[key]).join(' ');
      if (!/[A-Za-z]{3,}/.test(english.replace(/\{\w+\}/g, ''))) return false;
      return (['ru', 'fa'] as const).some((locale) => texts(messages[locale][key]).join(' ') === english);
    });
    expect(untranslated.filter((key) => !['app_name', 'page_title', 'audit_col_ip'].includes(key))).toEqual([]);
  });
});

// ---- Hard-coded English in components ---------------------------------------------------------

function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'paraglide' ? [] : svelteFiles(full);
    return entry.name.endsWith('.svelte') ? [full] : [];
  });
}

/** Removes `{…}` expressions (nested braces and quoted strings included). */
function withoutExpressions(source: string): string {
  let out = '';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (depth === 0) {
      if (char === '{') depth = 1;
      else out += char;
      continue;
    }
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '{') depth++;
    else if (char === '}') depth--;
    if (depth === 0) out += ' ';
  }
  return out;
}

/** Literal text a person reads: text between tags and label-like attributes with words. */
export function hardCodedText(source: string): string[] {
  const markup = withoutExpressions(
    source
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<!--[\s\S]*?-->/g, ''),
  );
  const found: string[] = [];
  const attribute = /\s(?:aria-label|aria-valuetext|title|placeholder|alt|label)="([^"]*)"/g;
  for (const match of markup.matchAll(attribute)) if (/[A-Za-z]{3,}/.test(match[1])) found.push(match[1].trim());
  const text = markup.replace(/<[^>]*>/g, '\n');
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (/[A-Za-z]{3,}/.test(trimmed)) found.push(trimmed);
  }
  return found;
}

// Not words for a person to read: an example code, an IPv6 prefix.
const allowed = new Set(['USR-12', '::ffff:']);

describe('web components', () => {
  it('finds hard-coded text (the detector itself)', () => {
    const sample = `<script>const a = 'Hello there';</script>
      <h1>{m.title()}</h1><p>Nothing here yet</p><button aria-label="Close">✕</button>
      <span>{count > 1 ? 'items' : 'item'}</span><style>.a { color: red; }</style>`;
    expect(hardCodedText(sample)).toEqual(['Close', 'Nothing here yet']);
  });

  it('show no hard-coded English: every text comes from the messages', () => {
    const files = svelteFiles(path.join(web, 'src'));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) =>
      hardCodedText(readFileSync(file, 'utf8'))
        .filter((text) => !allowed.has(text))
        .map((text) => `${path.relative(web, file)}: ${text}`),
    );
    expect(offenders).toEqual([]);
  });
});
