import type { FeedPublisher } from '../feed/feed.publisher.ts';
import { systemContext } from '../http/context.ts';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import { categoryOf } from '../tasks/task-status.ts';
import type { TasksRepository } from '../tasks/tasks.repository.ts';
import type { Availability } from './availability.ts';
import { behindSchedule } from './behind-schedule.ts';

export interface BehindSweepDeps {
  tasks: TasksRepository;
  projects: ProjectsRepository;
  availability: Availability;
  publisher: FeedPublisher;
}

/**
 * Re-checks every open, estimated, dated and assigned task against its assignees' remaining
 * working hours. When the shortfall changes, the task's flag is updated; when it grows past zero
 * or changes, a `task.behindSchedule` entry ("WEB-42 is 6 h behind schedule") goes to the project
 * feed with a notification to the assignees and the project's leads — once per change, since an
 * unchanged shortfall publishes nothing. Returns how many tasks changed.
 */
export async function sweepBehindSchedule(deps: BehindSweepDeps, now = new Date()): Promise<number> {
  const tasks = await deps.tasks.scheduled();
  const projects = await deps.projects.findByIds([...new Set(tasks.map((t) => String(t.projectId)))]);
  const byId = new Map(projects.map((p) => [String(p._id), p]));
  let changed = 0;
  for (const task of tasks) {
    const project = byId.get(String(task.projectId));
    if (!project) continue;
    const done = categoryOf(project.statuses, task.status) === 'done';
    const assignees = task.assignees.map(String);
    const hours = await behindSchedule(deps.availability, { ...task, assignees, done }, now);
    if (hours === (task.behindBy ?? 0)) continue;
    changed += 1;
    const id = String(task._id);
    const leads = project.members.filter((m) => m.role === 'lead').map((m) => String(m.userId));
    const ref = { id, code: task.code, title: task.title };
    await deps.publisher.publish(systemContext, async (session) => {
      await deps.tasks.setBehindBy(id, hours, session);
      return {
        result: undefined,
        audit: null,
        feed:
          hours > 0
            ? [
                {
                  type: 'task.behindSchedule' as const,
                  projectId: String(task.projectId),
                  resource: { kind: 'task' as const, id, code: task.code },
                  data: { title: task.title, hours, dueDate: task.dueDate?.toISOString().slice(0, 10) ?? null },
                  audience: assignees,
                  notify: [
                    {
                      kind: 'behindSchedule' as const,
                      userIds: [...new Set([...assignees, ...leads])],
                      task: ref,
                      data: { hours },
                    },
                  ],
                },
              ]
            : [],
      };
    });
  }
  return changed;
}
