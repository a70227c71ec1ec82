import { isAcceptableText, textMessages } from '@crewdeck/shared/text';
import { ValidationError } from './errors.ts';

/**
 * The edge half of the text policy (`shared/src/text.ts`): before any schema runs, every
 * string and key in a request's params, query and JSON body must be well-formed and free of
 * NUL, so nothing the database would store differently (or refuse) gets through, whatever
 * schema a route uses. Answers 400 naming the first offending field (paths as zod writes them).
 */
export function assertAcceptableInput(value: unknown): void {
  const bad = findUnacceptable(value);
  if (bad !== null) {
    throw new ValidationError({ [bad || '_']: textMessages.illFormed }, 'The request contains invalid text');
  }
}

/** Iterative, so a deeply nested body cannot overflow the stack. */
function findUnacceptable(root: unknown): string | null {
  const pending: Array<[unknown, string]> = [[root, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (!isAcceptableText(value)) return path;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, inner] of Object.entries(value)) {
      const innerPath = path ? `${path}.${key}` : key;
      if (!isAcceptableText(key)) return path;
      pending.push([inner, innerPath]);
    }
  }
  return null;
}
