// An open task form as a draft: what it started from (the base), what the person typed, and
// which fields each side changed. Saving sends only the person's changed fields with their
// base values, so the server merges them with saves made meanwhile (PATCH with `base`); a
// live update never touches the draft, it is only described ("changed by Mark: Estimate 4 h").
import type { Task, UpdateTask } from '@crewdeck/shared/tasks';

/** Fields the edit form shows, as the form holds them (inputs bind strings). */
export interface TaskFormValues {
  title: string;
  description: string;
  priority: Task['priority'];
  assignees: string[];
  estimate: string;
  startDate: string;
  dueDate: string;
  milestoneId: string;
  labels: string;
  billable: boolean;
  hourlyRate: string;
}
export type DraftField = keyof TaskFormValues;

type ApiValues = Required<Pick<UpdateTask, Exclude<DraftField, 'hourlyRate'>>> & {
  hourlyRate?: number | null;
};

export const draftFields: DraftField[] = [
  'title',
  'description',
  'priority',
  'assignees',
  'estimate',
  'startDate',
  'dueDate',
  'milestoneId',
  'labels',
  'billable',
  'hourlyRate',
];

export function formValues(task: Task): TaskFormValues {
  return {
    title: task.title,
    description: task.description,
    priority: task.priority,
    assignees: task.assignees.map((person) => person.id),
    estimate: task.estimate === null ? '' : String(task.estimate),
    startDate: task.startDate ?? '',
    dueDate: task.dueDate ?? '',
    milestoneId: task.milestoneId ?? '',
    labels: task.labels.join(', '),
    billable: task.billable,
    hourlyRate: task.hourlyRate === null || task.hourlyRate === undefined ? '' : String(task.hourlyRate),
  };
}

const parseLabels = (text: string): string[] =>
  text
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean);

/** The form's values as the API takes them. */
export function apiValues(values: TaskFormValues): ApiValues {
  return {
    title: values.title.trim(),
    description: values.description,
    priority: values.priority,
    assignees: values.assignees,
    estimate: values.estimate === '' ? null : Number(values.estimate),
    startDate: values.startDate || null,
    dueDate: values.dueDate || null,
    milestoneId: values.milestoneId || null,
    labels: parseLabels(values.labels),
    billable: values.billable,
    hourlyRate: values.hourlyRate === '' ? null : Number(values.hourlyRate),
  };
}

/** Lists compare as sets (order of assignees or labels is not a change). */
function same(field: DraftField, a: unknown, b: unknown): boolean {
  const norm = (value: unknown) =>
    Array.isArray(value) ? JSON.stringify([...value].map(String).sort()) : JSON.stringify(value ?? null);
  return field === 'title' ? String(a).trim() === String(b).trim() : norm(a) === norm(b);
}

/** Fields whose value differs between two form states. */
export function changedFields(from: TaskFormValues, to: TaskFormValues, fields = draftFields): DraftField[] {
  const a = apiValues(from);
  const b = apiValues(to);
  return fields.filter((field) => !same(field, a[field], b[field]));
}

/**
 * The PATCH body for a draft: the person's changed fields and, for each, its value in the
 * base, so only someone else's change to the same field is a conflict. Rates are left out
 * for people who may not see billing. Null when nothing changed.
 */
export function draftPatch(base: Task, values: TaskFormValues, billing: boolean): UpdateTask | null {
  const fields = changedFields(formValues(base), values).filter((field) => billing || field !== 'hourlyRate');
  if (fields.length === 0) return null;
  const mine = apiValues(values);
  const theirs = apiValues(formValues(base));
  const patch: Record<string, unknown> = {};
  const baseValues: Record<string, unknown> = {};
  for (const field of fields) {
    patch[field] = mine[field];
    baseValues[field] = theirs[field];
  }
  return { ...patch, base: { version: base.version, values: baseValues } } as UpdateTask;
}

/** The task the server sent with a 409 conflict (`error.current.task`), if any. */
export function conflictCurrent(body: unknown): Task | null {
  if (typeof body !== 'object' || body === null) return null;
  const error = (body as { error?: { current?: { task?: Task } } }).error;
  return error?.current?.task ?? null;
}
