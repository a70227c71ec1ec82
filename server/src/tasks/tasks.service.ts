import type { CreateTask, Task, TaskList, TaskListQuery, TaskResponse, UpdateTask } from '@crewdeck/shared/tasks';
import { diffFields } from '../audit/changes.ts';
import type { FeedPublisher } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { MilestonesRepository } from '../projects/milestones.repository.ts';
import type { ProjectDoc } from '../projects/projects.model.ts';
import { projectResource } from '../projects/projects.policy.ts';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import type { People } from '../users/people.ts';
import type { ActivityRepository } from './activity.repository.ts';
import type { PlanningService } from './planning.service.ts';
import type { PlannedWork } from './workload.ts';
import { isOverdue, parseDay, parseOptionalDay } from './task-dates.ts';
import { createdDrafts, updatedDrafts } from './task-feed.ts';
import { categoryOf } from './task-status.ts';
import type { TaskDoc } from './tasks.model.ts';
import { taskActions, taskResource } from './tasks.policy.ts';
import { presentTask } from './tasks.presenter.ts';
import type { NewTask, TaskChanges, TasksRepository } from './tasks.repository.ts';

export interface TasksServiceDeps {
  tasks: TasksRepository;
  activity: ActivityRepository;
  projects: ProjectsRepository;
  projectsService: ProjectsService;
  milestones: MilestonesRepository;
  people: People;
  access: AccessControl;
  publisher: FeedPublisher;
  planning: PlanningService;
}

/** References a create or edit points at; each must belong to the task's project. */
interface Refs {
  status?: string;
  assignees?: string[];
  watchers?: string[];
  milestoneId?: string | null;
  parentId?: string | null;
}

const audited: (keyof TaskChanges & string)[] = [
  'title',
  'description',
  'status',
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
const unique = (list: Iterable<string>) => [...new Set(list)];

/** Tasks and subtasks: codes from the project prefix, optimistic concurrency by `version`. */
export class TasksService {
  readonly #d: TasksServiceDeps;

  constructor(deps: TasksServiceDeps) {
    this.#d = deps;
  }

  async list(ctx: AuthedContext, projectId: string, query: TaskListQuery): Promise<TaskList> {
    const project = await this.#d.projectsService.loadFor(ctx, 'project.read', projectId);
    const docs = await this.#d.tasks.list({
      projectId,
      assignee: query.assignee,
      milestoneId: query.milestone,
      label: query.label,
      status: query.status,
      parentId: query.parentId,
    });
    const now = new Date();
    const filtered =
      query.overdue === undefined
        ? docs
        : docs.filter(
            (t) => isOverdue(t.dueDate, categoryOf(project.statuses, t.status), now) === (query.overdue === 'true'),
          );
    return {
      items: await this.present(ctx, project, filtered),
      abilities: this.#d.access.abilities(ctx.actor, ['task.create'], projectResource(project)),
    };
  }

  async get(ctx: AuthedContext, id: string): Promise<TaskResponse> {
    const { task, project } = await this.loadFor(ctx, 'project.read', id);
    return { task: (await this.present(ctx, project, [task]))[0] };
  }

  async create(ctx: AuthedContext, projectId: string, input: CreateTask): Promise<TaskResponse> {
    const project = await this.#d.projectsService.loadFor(ctx, 'task.create', projectId);
    const assignees = unique(input.assignees ?? []);
    await this.#checkRefs(project, { ...input, assignees });
    const draft: Omit<NewTask, 'number' | 'code'> = {
      projectId,
      parentId: input.parentId ?? null,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? project.statuses[0].key,
      priority: input.priority ?? 'normal',
      assignees,
      watchers: unique([ctx.actor.id, ...assignees]),
      estimate: input.estimate ?? null,
      startDate: input.startDate ? parseDay(input.startDate) : null,
      dueDate: input.dueDate ? parseDay(input.dueDate) : null,
      milestoneId: input.milestoneId ?? null,
      labels: unique(input.labels ?? []),
      billable: input.billable ?? false,
      hourlyRate: input.hourlyRate ?? null,
      createdBy: ctx.actor.id,
    };
    if (!input.force)
      await this.#d.planning.assertCapacity(ctx, null, {
        ...draft,
        id: '',
        createdAt: new Date(),
        done: categoryOf(project.statuses, draft.status) === 'done',
      });
    const created = await this.#d.publisher.publish(ctx, async (session) => {
      const number = await this.#d.projects.nextNumber(projectId, 'taskSeq', session);
      const task = await this.#d.tasks.create({ ...draft, number, code: `${project.code}-${number}` }, session);
      const changes = diffFields<TaskChanges>({}, draft, audited);
      return {
        result: task,
        audit: { action: 'task.create', permission: 'task.create', code: task.code, changes },
        feed: createdDrafts(task, ctx.actor.id),
      };
    });
    return { task: (await this.present(ctx, project, [created]))[0] };
  }

  async update(ctx: AuthedContext, id: string, patch: UpdateTask): Promise<TaskResponse> {
    const { task, project } = await this.loadFor(ctx, 'task.update', id);
    if (task.version !== patch.version) throw this.#stale(task.version);
    const changes = this.#changes(task, patch);
    await this.#checkRefs(project, {
      status: changes.status,
      assignees: changes.assignees,
      watchers: changes.watchers,
      milestoneId: changes.milestoneId,
    });
    if (Object.keys(changes).length === 0) return { task: (await this.present(ctx, project, [task]))[0] };
    if (!patch.force && this.#affectsWorkload(changes)) await this.#checkCapacity(ctx, project, task, changes);
    const updated = await this.#d.publisher.publish(ctx, async (session) => {
      const next = await this.#d.tasks.updateVersioned(id, patch.version, changes, session);
      if (!next) throw await this.#staleOrGone(id);
      return {
        result: next,
        audit: {
          action: 'task.update',
          permission: 'task.update',
          code: task.code,
          changes: diffFields<TaskChanges>(this.#plain(task), this.#plain(next), audited),
        },
        feed: updatedDrafts(task, next, ctx.actor.id),
      };
    });
    return { task: (await this.present(ctx, project, [updated]))[0] };
  }

  async delete(ctx: AuthedContext, id: string): Promise<{ ok: true }> {
    const { task, project } = await this.loadFor(ctx, 'task.delete', id);
    const subtasks = await this.#d.tasks.subtasksOf(id);
    const all = [task, ...subtasks];
    // Logged time is billed; deleting it would silently change invoices.
    if (all.some((t) => t.loggedHours > 0))
      throw new ConflictError('Time was logged on this task; mark it done instead', { id: 'Has logged time' });
    const ids = all.map((t) => String(t._id));
    await this.#d.publisher.publish(ctx, async (session) => {
      await this.#d.tasks.deleteMany(ids, session);
      await this.#d.activity.deleteCommentsOf(ids, session);
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
        feed: all.map((t) => ({
          type: 'task.deleted' as const,
          projectId: String(project._id),
          resource: { kind: 'task' as const, id: String(t._id), code: t.code },
          data: { title: t.title },
          audience: t.assignees.map(String),
        })),
      };
    });
    return { ok: true };
  }

  /** Loads a task with its project and authorizes `action` on it. */
  async loadFor(
    ctx: AuthedContext,
    action: 'project.read' | (typeof taskActions)[number],
    id: string,
  ): Promise<{ task: TaskDoc; project: ProjectDoc }> {
    const task = await this.#d.tasks.findById(id);
    if (!task) throw new NotFoundError('Task');
    const project = await this.#d.projectsService.loadFor(ctx, 'project.read', String(task.projectId), 'Task');
    if (action !== 'project.read')
      await this.#d.access.authorize(ctx, action, taskResource(task, project), { code: task.code });
    return { task, project };
  }

  async present(ctx: AuthedContext, project: ProjectDoc, docs: TaskDoc[]): Promise<Task[]> {
    const names = await this.#d.people.names(docs.flatMap((t) => [...t.assignees.map(String), String(t.createdBy)]));
    const counts = await this.#d.tasks.subtaskCounts(docs.filter((t) => !t.parentId).map((t) => String(t._id)));
    const now = new Date();
    return docs.map((t) =>
      presentTask(t, names, {
        overdue: isOverdue(t.dueDate, categoryOf(project.statuses, t.status), now),
        subtaskCount: counts.get(String(t._id)) ?? 0,
        abilities: this.#d.access.abilities(ctx.actor, taskActions, taskResource(t, project)),
      }),
    );
  }

  /** The fields of `patch` that differ from `task`, in stored form. */
  #changes(task: TaskDoc, patch: UpdateTask): TaskChanges {
    const next: TaskChanges = {};
    const { version: _v, force: _f, assignees, watchers, startDate, dueDate, milestoneId, labels, ...plain } = patch;
    Object.assign(next, plain);
    if (assignees) next.assignees = unique(assignees);
    if (labels) next.labels = unique(labels);
    if (startDate !== undefined) next.startDate = parseOptionalDay(startDate);
    if (dueDate !== undefined) next.dueDate = parseOptionalDay(dueDate);
    if (milestoneId !== undefined) next.milestoneId = milestoneId;
    const nextAssignees = next.assignees ?? task.assignees.map(String);
    // Assignees and the creator always watch; an explicit list may add others.
    if (watchers || next.assignees)
      next.watchers = unique([...(watchers ?? task.watchers.map(String)), ...nextAssignees, String(task.createdBy)]);
    const before = this.#plain(task);
    for (const key of Object.keys(next) as (keyof TaskChanges)[]) {
      if (JSON.stringify(next[key]) === JSON.stringify(before[key])) delete next[key];
    }
    return next;
  }

  /** A task's editable fields with ids as strings, for comparing and journaling. */
  #plain(task: TaskDoc): TaskChanges {
    return {
      title: task.title,
      description: task.description,
      status: task.status,
      priority: task.priority,
      assignees: task.assignees.map(String),
      watchers: task.watchers.map(String),
      estimate: task.estimate,
      startDate: task.startDate,
      dueDate: task.dueDate,
      milestoneId: task.milestoneId ? String(task.milestoneId) : null,
      labels: task.labels,
      billable: task.billable,
      hourlyRate: task.hourlyRate,
    };
  }

  #affectsWorkload(changes: TaskChanges): boolean {
    return ['assignees', 'estimate', 'startDate', 'dueDate', 'status'].some((k) => k in changes);
  }

  async #checkCapacity(ctx: AuthedContext, project: ProjectDoc, task: TaskDoc, changes: TaskChanges): Promise<void> {
    const done = (status: string) => categoryOf(project.statuses, status) === 'done';
    const before: PlannedWork = {
      id: String(task._id),
      assignees: task.assignees.map(String),
      estimate: task.estimate,
      startDate: task.startDate,
      dueDate: task.dueDate,
      createdAt: task.createdAt,
      done: done(task.status),
    };
    const after: PlannedWork = {
      ...before,
      assignees: changes.assignees ?? before.assignees,
      estimate: changes.estimate === undefined ? before.estimate : changes.estimate,
      startDate: changes.startDate === undefined ? before.startDate : changes.startDate,
      dueDate: changes.dueDate === undefined ? before.dueDate : changes.dueDate,
      done: done(changes.status ?? task.status),
    };
    await this.#d.planning.assertCapacity(ctx, before, after);
  }

  async #checkRefs(project: ProjectDoc, refs: Refs): Promise<void> {
    const fields: Record<string, string> = {};
    const members = new Set(project.members.map((m) => String(m.userId)));
    if (refs.status !== undefined && !project.statuses.some((s) => s.key === refs.status))
      fields.status = 'Not a status of this project';
    if (refs.assignees?.some((u) => !members.has(u))) fields.assignees = 'Every assignee must be a project member';
    if (refs.watchers?.some((u) => !members.has(u))) fields.watchers = 'Every watcher must be a project member';
    if (refs.milestoneId) {
      const milestone = await this.#d.milestones.findById(refs.milestoneId);
      if (!milestone || !milestone.projectId.equals(project._id))
        fields.milestoneId = 'Not a milestone of this project';
    }
    if (refs.parentId) {
      const parent = await this.#d.tasks.findById(refs.parentId);
      if (!parent || !parent.projectId.equals(project._id)) fields.parentId = 'Not a task of this project';
      else if (parent.parentId) fields.parentId = 'Subtasks cannot have subtasks';
    }
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  }

  #stale(current: number): ConflictError {
    return new ConflictError('The task changed since you loaded it; reload and try again', {
      version: `Current version is ${current}`,
    });
  }

  async #staleOrGone(id: string): Promise<Error> {
    const current = await this.#d.tasks.findById(id);
    return current ? this.#stale(current.version) : new NotFoundError('Task');
  }
}
