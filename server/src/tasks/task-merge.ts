import type { TaskEditField, UpdateTask } from '@crewdeck/shared/tasks';
import { parseOptionalDay } from './task-dates.ts';
import type { TaskChanges } from './tasks.repository.ts';

/** The editable fields a patch sends, as the API names them. */
export function sentFields(patch: UpdateTask): TaskEditField[] {
  return (Object.keys(patch) as (keyof UpdateTask)[]).filter(
    (k): k is TaskEditField => k !== 'version' && k !== 'base' && k !== 'force' && patch[k] !== undefined,
  );
}

/** Lists compare as sets; days as stored days. */
function comparable(field: TaskEditField, value: unknown): string {
  if (value === undefined) return 'undefined';
  if (field === 'startDate' || field === 'dueDate')
    return JSON.stringify(typeof value === 'string' ? parseOptionalDay(value) : value);
  if (Array.isArray(value)) return JSON.stringify([...new Set(value.map(String))].sort());
  return JSON.stringify(value);
}

export interface MergeOutcome {
  /** Fields to apply: nobody changed them since the base. */
  apply: TaskEditField[];
  /** Fields someone else changed since the base to a value other than the user's. */
  conflicts: TaskEditField[];
}

/**
 * Three-way merge of one edit: `base` is what the user's form started from, `current` the task
 * as stored now, `patch` the user's values. A field still at its base value takes the user's
 * value; a field someone else already set to the user's value needs nothing; any other is a conflict.
 */
export function mergeEdit(current: TaskChanges, patch: UpdateTask): MergeOutcome {
  const outcome: MergeOutcome = { apply: [], conflicts: [] };
  const base = patch.base?.values ?? {};
  for (const field of sentFields(patch)) {
    const now = comparable(field, current[field]);
    if (now === comparable(field, patch[field])) continue;
    if (now === comparable(field, base[field])) outcome.apply.push(field);
    else outcome.conflicts.push(field);
  }
  return outcome;
}

/** The patch with only `fields` kept (and its `force`). */
export function pickFields(patch: UpdateTask, fields: readonly TaskEditField[]): UpdateTask {
  const picked: Record<string, unknown> = { force: patch.force };
  for (const field of fields) picked[field] = patch[field];
  return picked as UpdateTask;
}
