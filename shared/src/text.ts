import { z } from 'zod';

/**
 * Text policy, decided once at the edge. Every accepted string is well-formed UTF-16 (a lone
 * surrogate cannot be stored as UTF-8: the database would hand back U+FFFD instead) and free
 * of NUL. Single-line text (names, titles, labels, logins) also refuses every other control
 * character and the bidi embedding/override/isolate controls, which only serve to make a name
 * display as something else. Marks that real text needs stay allowed: ZWNJ/ZWJ (Persian),
 * LRM/RLM, combining marks, emoji.
 */

/** NUL and the C0/C1 control characters other than tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- the text policy refuses these control characters, so it has to match them
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** All control characters, and U+202A–U+202E, U+2066–U+2069. */
// eslint-disable-next-line no-control-regex -- the text policy refuses these control characters, so it has to match them
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

export const textMessages = {
  illFormed: 'Contains characters that are not valid text',
  control: 'Contains control characters',
} as const;

/** True when `value` has no lone surrogate and no NUL: what every input string must be. */
export function isAcceptableText(value: string): boolean {
  return value.isWellFormed() && !value.includes('\u0000');
}

function refineText(schema: z.ZodString, forbidden: RegExp): z.ZodString {
  return schema
    .refine((value) => value.isWellFormed(), { message: textMessages.illFormed, abort: true })
    .refine((value) => !forbidden.test(value), { message: textMessages.control });
}

/** One line of text (a name, title, label, login), trimmed, with the given length bounds. */
export function lineText(bounds: { min?: number; max: number }): z.ZodString {
  const base = z
    .string()
    .trim()
    .min(bounds.min ?? 0)
    .max(bounds.max);
  return refineText(base, SINGLE_LINE_FORBIDDEN);
}

/** Multi-line text (a description, comment or note): line breaks and tabs allowed, never trimmed inside. */
export function multiLineText(bounds: { min?: number; max: number; trim?: boolean }): z.ZodString {
  const base = bounds.trim ? z.string().trim() : z.string();
  return refineText(base.min(bounds.min ?? 0).max(bounds.max), MULTI_LINE_FORBIDDEN);
}

/** A search or filter term from a query string: one line, NUL and control characters refused. */
export function queryText(max: number): z.ZodString {
  return lineText({ min: 1, max });
}
