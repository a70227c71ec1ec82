// List-view filters, search and sort, kept in the URL
// (`?q=…&assignee=…&milestone=…&label=…&overdue=true&sort=due&dir=desc`) so a filtered, sorted
// list can be shared and the back button works. They run on the live task list, so it stays current.
import type { StatusDef } from '@crewdeck/shared/projects';
import type { Priority, Task } from '@crewdeck/shared/tasks';

/** The columns the list sorts by. */
export const sortKeys = [
  'task',
  'title',
  'status',
  'priority',
  'assignees',
  'due',
  'estimate',
  'logged',
  'milestone',
] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';

export type TaskFilter = {
  /** Text search over code, title, description and labels. */
  q: string;
  assignee: string;
  milestone: string;
  label: string;
  overdue: boolean;
  /** '' keeps the project's own order (parents with their subtasks). */
  sort: SortKey | '';
  dir: SortDir;
};

const isSortKey = (value: string | null): value is SortKey => sortKeys.some((key) => key === value);

export function filterFromUrl(params: Pick<URLSearchParams, 'get'>): TaskFilter {
  const sort = params.get('sort');
  return {
    q: params.get('q') ?? '',
    assignee: params.get('assignee') ?? '',
    milestone: params.get('milestone') ?? '',
    label: params.get('label') ?? '',
    overdue: params.get('overdue') === 'true',
    sort: isSortKey(sort) ? sort : '',
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

export function filterToSearch(filter: TaskFilter): string {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q);
  if (filter.assignee) params.set('assignee', filter.assignee);
  if (filter.milestone) params.set('milestone', filter.milestone);
  if (filter.label) params.set('label', filter.label);
  if (filter.overdue) params.set('overdue', 'true');
  if (filter.sort) {
    params.set('sort', filter.sort);
    if (filter.dir === 'desc') params.set('dir', 'desc');
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** True when anything narrows the list (sorting does not). */
export function isFiltered(filter: TaskFilter): boolean {
  return Boolean(filter.q.trim() || filter.assignee || filter.milestone || filter.label || filter.overdue);
}

/** Case-insensitive in any script: `ё`/`Ё`, `İ`, Persian letters compare as people expect. */
const fold = (text: string, locale?: string) => text.toLocaleLowerCase(locale).normalize('NFC');

export function matchesSearch(task: Task, query: string, locale?: string): boolean {
  const words = fold(query, locale).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold([task.code, task.title, task.description, ...task.labels].join('\n'), locale);
  return words.every((word) => haystack.includes(word));
}

/** `none` as milestone selects tasks without a milestone. */
export function applyFilter(tasks: Task[], filter: TaskFilter, locale?: string): Task[] {
  return tasks.filter((task) => {
    if (filter.assignee && !task.assignees.some((person) => person.id === filter.assignee)) return false;
    if (filter.milestone === 'none' && task.milestoneId !== null) return false;
    if (filter.milestone && filter.milestone !== 'none' && task.milestoneId !== filter.milestone) return false;
    if (filter.label && !task.labels.includes(filter.label)) return false;
    if (filter.overdue && !task.overdue) return false;
    return matchesSearch(task, filter.q, locale);
  });
}

export function allLabels(tasks: Task[]): string[] {
  return [...new Set(tasks.flatMap((task) => task.labels))].sort((a, b) => a.localeCompare(b));
}

const priorityRank: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** What sorting needs beyond the tasks: the workflow, milestone titles and the language's collation. */
export type SortContext = {
  statuses: StatusDef[];
  milestoneTitle: (id: string) => string | undefined;
  compare: (a: string, b: string) => number;
};

type SortValue = number | string | null;

function sortValue(task: Task, key: SortKey, context: SortContext): SortValue {
  switch (key) {
    case 'task':
      return Number(task.code.slice(task.code.lastIndexOf('-') + 1));
    case 'title':
      return task.title;
    case 'status': {
      const at = context.statuses.findIndex((status) => status.key === task.status);
      return at === -1 ? context.statuses.length : at;
    }
    case 'priority':
      return priorityRank[task.priority];
    case 'assignees':
      return task.assignees.length > 0
        ? task.assignees
            .map((person) => person.name)
            .sort(context.compare)
            .join(', ')
        : null;
    case 'due':
      return task.dueDate;
    case 'estimate':
      return task.estimate;
    case 'logged':
      return task.loggedHours;
    case 'milestone':
      return task.milestoneId ? (context.milestoneTitle(task.milestoneId) ?? null) : null;
  }
}

/** ISO days sort by their characters; names by the language's collation. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareValues(a: number | string, b: number | string, compareText: (a: string, b: string) => number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : compareText(String(a), String(b));
}

/**
 * The tasks ordered by `key`: empty values (no due date, no assignee, no milestone, no estimate)
 * always last, whichever the direction; ties keep the code order so the list does not jump.
 */
export function sortTasks(tasks: Task[], key: SortKey, dir: SortDir, context: SortContext): Task[] {
  const sign = dir === 'desc' ? -1 : 1;
  const byCode = (a: Task, b: Task) =>
    (sortValue(a, 'task', context) as number) - (sortValue(b, 'task', context) as number);
  const rows = tasks.map((task) => ({ task, value: sortValue(task, key, context) }));
  rows.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value === b.value) return byCode(a.task, b.task);
      return a.value === null ? 1 : -1;
    }
    const order = compareValues(a.value, b.value, key === 'due' ? byCodeUnits : context.compare);
    return order !== 0 ? sign * order : byCode(a.task, b.task);
  });
  return rows.map((row) => row.task);
}
