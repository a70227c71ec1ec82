import type { Progress, StatusCategory, StatusDef } from '@crewdeck/shared/projects';
import { categoryOf, type TaskFacts } from '../tasks/task-status.ts';

const emptyProgress = (): Progress => ({
  done: { tasks: 0, hours: 0 },
  inProgress: { tasks: 0, hours: 0 },
  remaining: { tasks: 0, hours: 0 },
});

const bucketOf: Record<StatusCategory, keyof Progress> = { done: 'done', active: 'inProgress', todo: 'remaining' };

/** Done / in progress / remaining tasks and estimated hours of a project or milestone. */
export function computeProgress(tasks: readonly TaskFacts[], statuses: readonly StatusDef[]): Progress {
  const progress = emptyProgress();
  for (const task of tasks) {
    const bucket = progress[bucketOf[categoryOf(statuses, task.status)]];
    bucket.tasks += 1;
    bucket.hours += task.estimate ?? 0;
  }
  return progress;
}
