// List-view filters, kept in the URL (`?assignee=…&milestone=…&label=…&overdue=true`) so a
// filtered list can be shared. Filtering runs on the live task list, so it stays current.
import type { Task } from '@crewdeck/shared/tasks';

export type TaskFilter = { assignee: string; milestone: string; label: string; overdue: boolean };

export function filterFromUrl(params: Pick<URLSearchParams, 'get'>): TaskFilter {
  return {
    assignee: params.get('assignee') ?? '',
    milestone: params.get('milestone') ?? '',
    label: params.get('label') ?? '',
    overdue: params.get('overdue') === 'true',
  };
}

export function filterToSearch(filter: TaskFilter): string {
  const params = new URLSearchParams();
  if (filter.assignee) params.set('assignee', filter.assignee);
  if (filter.milestone) params.set('milestone', filter.milestone);
  if (filter.label) params.set('label', filter.label);
  if (filter.overdue) params.set('overdue', 'true');
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `none` as milestone selects tasks without a milestone. */
export function applyFilter(tasks: Task[], filter: TaskFilter): Task[] {
  return tasks.filter((task) => {
    if (filter.assignee && !task.assignees.some((person) => person.id === filter.assignee)) return false;
    if (filter.milestone === 'none' && task.milestoneId !== null) return false;
    if (filter.milestone && filter.milestone !== 'none' && task.milestoneId !== filter.milestone) return false;
    if (filter.label && !task.labels.includes(filter.label)) return false;
    if (filter.overdue && !task.overdue) return false;
    return true;
  });
}

export function allLabels(tasks: Task[]): string[] {
  return [...new Set(tasks.flatMap((task) => task.labels))].sort((a, b) => a.localeCompare(b));
}
