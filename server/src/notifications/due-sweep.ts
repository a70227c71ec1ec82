import { limits } from '@crewdeck/shared/limits';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import { isOverdue, startOfDay } from '../tasks/task-dates.ts';
import { categoryOf } from '../tasks/task-status.ts';
import type { TasksRepository } from '../tasks/tasks.repository.ts';
import type { NotificationsService } from './notifications.service.ts';

export interface DueSweepDeps {
  tasks: TasksRepository;
  projects: ProjectsRepository;
  notifications: NotificationsService;
}

const DAY = 86_400_000;

/**
 * Raises "due soon" and "overdue" notifications to assignees of open tasks. Idempotent: the
 * notification's dedupe key allows one per task, person and kind, so every instance may run it.
 * Returns how many were raised.
 */
export async function sweepDueDates(deps: DueSweepDeps, now = new Date()): Promise<number> {
  // A due day counts as "soon" while it lies within `dueSoonHours` of now (today, and tomorrow by default).
  const horizon = new Date(startOfDay(now).getTime() + Math.max(1, Math.ceil(limits.dueSoonHours / 24)) * DAY + DAY);
  const tasks = await deps.tasks.dueBefore(horizon);
  const projects = await deps.projects.findByIds([...new Set(tasks.map((t) => String(t.projectId)))]);
  const statuses = new Map(projects.map((p) => [String(p._id), p.statuses]));
  let raised = 0;
  for (const task of tasks) {
    const category = categoryOf(statuses.get(String(task.projectId)) ?? [], task.status);
    if (category === 'done') continue;
    const kind = isOverdue(task.dueDate, category, now) ? 'overdue' : 'dueSoon';
    const ref = { id: String(task._id), code: task.code, title: task.title };
    for (const userId of task.assignees.map(String)) {
      if (await deps.notifications.alreadySent(kind, ref.id, userId)) continue;
      const data = { dueDate: task.dueDate?.toISOString().slice(0, 10) ?? null };
      if (
        await deps.notifications.raise({
          kind,
          userId,
          actor: null,
          projectId: String(task.projectId),
          task: ref,
          data,
        })
      )
        raised += 1;
    }
  }
  return raised;
}
