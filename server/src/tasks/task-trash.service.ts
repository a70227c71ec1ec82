import type { TaskResponse } from '@crewdeck/shared/tasks';
import type { Trashed } from '@crewdeck/shared/projects';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import { restorable, restoreUntil } from '../projects/trash.ts';
import type { ActivityRepository } from './activity.repository.ts';
import type { TaskDoc } from './tasks.model.ts';
import { taskResource } from './tasks.policy.ts';
import type { TasksRepository } from './tasks.repository.ts';
import type { TasksService } from './tasks.service.ts';

export interface TaskTrashDeps {
  tasks: TasksRepository;
  activity: ActivityRepository;
  tasksService: TasksService;
  projectsService: ProjectsService;
  access: AccessControl;
  publisher: FeedPublisher;
}

/** Deleting tasks (to the trash, with their subtasks and comments) and restoring them. */
export class TaskTrashService {
  readonly #d: TaskTrashDeps;

  constructor(deps: TaskTrashDeps) {
    this.#d = deps;
  }

  async remove(ctx: AuthedContext, id: string): Promise<Trashed> {
    const { task } = await this.#d.tasksService.loadFor(ctx, 'task.delete', id);
    const subtasks = await this.#d.tasks.subtasksOf(id);
    const all = [task, ...subtasks];
    // Logged time is billed; deleting it would silently change invoices.
    if (all.some((t) => t.loggedHours > 0))
      throw new ConflictError('Time was logged on this task; mark it done instead', { id: 'Has logged time' });
    const ids = all.map((t) => String(t._id));
    const at = new Date();
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.tasks.trash(
        id,
        ids.filter((x) => x !== id),
        ctx.actor.id,
        at,
        session,
      );
      await this.#d.activity.trashCommentsOf({ taskIds: ids }, id, ctx.actor.id, at, session);
      const note = subtasks.length > 0 ? `with subtasks ${subtasks.map((t) => t.code).join(', ')}` : undefined;
      return {
        result: undefined,
        audit: {
          action: 'task.delete',
          permission: 'task.delete',
          code: task.code,
          changes: [{ field: 'title', from: task.title, to: null }],
          note,
        },
        feed: all.map((t) => this.#entry('task.deleted', t)),
      };
    });
    return { ok: true, restoreUntil: restoreUntil(at).toISOString() };
  }

  async restore(ctx: AuthedContext, id: string): Promise<TaskResponse> {
    const task = await this.#d.tasks.findTrashed(id);
    if (!task || !restorable(task)) throw new NotFoundError('Task');
    const project = await this.#d.projectsService.loadFor(ctx, 'project.read', String(task.projectId), 'Task');
    await this.#d.access.authorize(ctx, 'task.delete', taskResource(task, project), { code: task.code });
    if (task.trashedWith)
      throw new ConflictError('It was deleted together with its parent task; restore that one', {
        id: 'Deleted with another task',
      });
    if (task.parentId && !(await this.#d.tasks.findById(String(task.parentId))))
      throw new ConflictError('Its parent task is in the trash; restore the parent first', {
        parentId: 'Parent is deleted',
      });
    const restored = await this.#d.publisher.publish(ctx, async (session) => {
      const along = await this.#d.tasks.trashedWith(id, session);
      const back = await this.#d.tasks.restore(id, session);
      if (!back) throw new NotFoundError('Task');
      await this.#d.tasks.restoreWith(id, session);
      await this.#d.activity.restoreCommentsWith(id, session);
      // The project's statuses may have changed meanwhile: a status it lost falls back to the first.
      const keys = new Set(project.statuses.map((s) => s.key));
      const lost = [back, ...along].filter((t) => !keys.has(t.status)).map((t) => String(t._id));
      if (lost.length > 0) await this.#d.tasks.resetStatus(lost, project.statuses[0].key, session);
      const fresh = (await this.#d.tasks.findById(id, session)) ?? back;
      return {
        result: fresh,
        audit: {
          action: 'task.restore',
          permission: 'task.delete',
          code: task.code,
          changes: [{ field: 'title', from: null, to: task.title }],
          note: along.length > 0 ? `with subtasks ${along.map((t) => t.code).join(', ')}` : undefined,
        },
        feed: [back, ...along].map((t) => this.#entry('task.restored', t)),
      };
    });
    return { task: (await this.#d.tasksService.present(ctx, project, [restored]))[0] };
  }

  #entry(type: 'task.deleted' | 'task.restored', t: TaskDoc) {
    return {
      type,
      projectId: String(t.projectId),
      resource: { kind: 'task' as const, id: String(t._id), code: t.code },
      data: { title: t.title, parentId: t.parentId ? String(t.parentId) : null },
      audience: t.assignees.map(String),
    };
  }
}
