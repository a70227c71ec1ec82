import type { AuditChange } from '@crewdeck/shared/audit';

/** Fields whose values never reach the journal, whatever a caller passes. */
const SECRET_FIELDS = new Set(['password', 'passwordHash', 'oneTimePassword', 'token', 'tokenHash']);

function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  // An empty list reads as "nothing", so creating a user without groups logs no change.
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return null;
  return value;
}

/** The fields of `after` that differ from `before`, as old → new, secrets masked. */
export function diffFields<T extends object>(
  before: Partial<T>,
  after: Partial<T>,
  fields: (keyof T & string)[],
): AuditChange[] {
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const from = normalize(before[field]);
    const to = normalize(after[field]);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes.push(SECRET_FIELDS.has(field) ? { field, from: '***', to: '***' } : { field, from, to });
  }
  return changes;
}

function show(value: unknown): string {
  if (value === null) return '—';
  return JSON.stringify(value);
}

/** "name: "Ann" → "Anna"; role: "Member" → "Lead"" */
export function describeChanges(changes: AuditChange[]): string {
  return changes.map((c) => `${c.field}: ${show(c.from)} → ${show(c.to)}`).join('; ');
}
