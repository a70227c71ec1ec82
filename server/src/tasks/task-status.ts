import type { StatusCategory, StatusDef } from '@crewdeck/shared/projects';

/** The fields of a task that progress and overdue counts need. */
export interface TaskFacts {
  projectId: string;
  milestoneId: string | null;
  status: string;
  estimate: number | null;
  dueDate: Date | null;
  assignees: string[];
}

/** Status key → category; unknown keys count as not started. */
export function categoryOf(statuses: readonly StatusDef[], key: string): StatusCategory {
  return statuses.find((s) => s.key === key)?.category ?? 'todo';
}
