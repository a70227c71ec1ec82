import type { z } from 'zod';

/**
 * Short human sentences for zod's generic issues ("Title can be at most 300 characters.")
 * instead of its developer wording ("Too big: expected string to have <=300 characters").
 * Only zod's own default messages are replaced: a message a schema chose stays as written.
 */

type Issue = z.core.$ZodIssue;

/** zod's default (English) wording starts with one of these. */
const DEFAULT_PREFIXES = ['Too small:', 'Too big:', 'Invalid input:', 'Invalid option:'];

/** `dueDate` → `Due date`, `milestoneId` → `Milestone`, `groups.0` → `Groups item`. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const keys = path.map(String);
  let last = keys.at(-1);
  let suffix = '';
  while (last !== undefined && /^\d+$/.test(last)) {
    suffix = ' item';
    keys.pop();
    last = keys.at(-1);
  }
  if (last === undefined || last === '') return suffix ? 'Each item' : 'This value';
  const words = last
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  const text = words || last;
  return text.charAt(0).toUpperCase() + text.slice(1) + suffix;
}

const units: Record<string, [string, string]> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
  file: ['byte', 'bytes'],
};

function count(n: number | bigint, origin: string): string {
  const [one, many] = units[origin] ?? ['', ''];
  return `${n} ${Number(n) === 1 ? one : many}`;
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, label: string): string | null {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin in units) {
    if (small && Number(limit) === 1 && issue.origin === 'string') return `${label} is required.`;
    if (small && Number(limit) === 1) return `${label} needs at least one item.`;
    const verb = issue.origin === 'string' ? 'be' : 'have';
    return small
      ? `${label} must ${verb} at least ${count(limit, issue.origin)}.`
      : `${label} can ${verb} at most ${count(limit, issue.origin)}.`;
  }
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    if (small) return issue.inclusive ? `${label} must be at least ${limit}.` : `${label} must be more than ${limit}.`;
    return issue.inclusive ? `${label} can be at most ${limit}.` : `${label} must be less than ${limit}.`;
  }
  return null;
}

const typeNames: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
  null: 'empty',
};

function typeMessage(issue: Extract<Issue, { code: 'invalid_type' }>, label: string): string {
  // zod reports a missing value as "received undefined".
  if (issue.message.endsWith('received undefined')) return `${label} is required.`;
  const expected = typeNames[issue.expected];
  return expected ? `${label} must be ${expected}.` : `${label} has the wrong type.`;
}

/** The message shown next to the field of `issue`. */
export function issueMessage(issue: Issue): string {
  if (!DEFAULT_PREFIXES.some((prefix) => issue.message.startsWith(prefix))) return issue.message;
  const label = fieldLabel(issue.path);
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue, label) ?? issue.message;
    case 'invalid_type':
      return typeMessage(issue, label);
    case 'invalid_value':
      return `${label} must be one of: ${issue.values.map(String).join(', ')}.`;
    default:
      return issue.message;
  }
}
