import mongoose from 'mongoose';
import type { CalendarTaskItem } from '@crewdeck/shared/calendar';
import type { Actor } from '../http/context.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import { MilestoneModel, type MilestoneDoc } from '../projects/milestones.model.ts';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import { projectResource } from '../projects/projects.policy.ts';
import { live } from '../projects/trash.ts';
import { categoryOf } from '../tasks/task-status.ts';
import { TaskModel, type TaskDoc } from '../tasks/tasks.model.ts';

/**
 * Task due dates and milestones on the calendar: read-only items linking to the task. A person's
 * calendar shows the tasks assigned to them and the milestones of their projects, limited to the
 * projects the viewer may read.
 */
export class TaskItems {
  readonly #projects: ProjectsRepository;
  readonly #access: AccessControl;

  constructor(deps: { projects: ProjectsRepository; access: AccessControl }) {
    this.#projects = deps.projects;
    this.#access = deps.access;
  }

  async forUser(viewer: Actor, userId: string, from: Date, to: Date): Promise<CalendarTaskItem[]> {
    const projects = (await this.#projects.list({ memberId: userId, includeArchived: false })).filter((p) =>
      this.#access.can(viewer, 'project.read', projectResource(p)),
    );
    if (projects.length === 0) return [];
    const byId = new Map(projects.map((p) => [String(p._id), p]));
    const ids = projects.map((p) => p._id);
    // Due dates are days (midnight UTC): widen by a day so the viewer's zone does not drop one.
    const range = { $gte: new Date(from.getTime() - 86_400_000), $lt: new Date(to.getTime() + 86_400_000) };
    const [tasks, milestones] = await Promise.all([
      TaskModel.find({
        projectId: { $in: ids },
        assignees: new mongoose.Types.ObjectId(userId),
        dueDate: range,
        ...live,
      }).lean<TaskDoc[]>(),
      MilestoneModel.find({ projectId: { $in: ids }, dueDate: range, ...live }).lean<MilestoneDoc[]>(),
    ]);
    const items: CalendarTaskItem[] = [];
    for (const t of tasks) {
      const project = byId.get(String(t.projectId));
      if (!project || !t.dueDate) continue;
      items.push({
        kind: 'task',
        id: String(t._id),
        projectId: String(t.projectId),
        code: t.code,
        title: t.title,
        day: t.dueDate.toISOString().slice(0, 10),
        done: categoryOf(project.statuses, t.status) === 'done',
      });
    }
    for (const m of milestones) {
      if (!m.dueDate) continue;
      items.push({
        kind: 'milestone',
        id: String(m._id),
        projectId: String(m.projectId),
        code: byId.get(String(m.projectId))?.code ?? '',
        title: m.title,
        day: m.dueDate.toISOString().slice(0, 10),
        done: m.status === 'completed' || m.status === 'canceled',
      });
    }
    return items.sort((a, b) => a.day.localeCompare(b.day));
  }
}
