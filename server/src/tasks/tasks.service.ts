import type { ClientSession } from 'mongoose';
import { dueBeforeStartMessage } from '@crewdeck/shared/projects';
import type {
  CreateTask,
  Task,
  TaskEditField,
  TaskList,
  TaskListQuery,
  TaskResponse,
  UpdateTask,
} from '@crewdeck/shared/tasks';
import { diffFields } from '../audit/changes.ts';
import type { FeedPublisher, Published } from '../feed/feed.publisher.ts';
import type { AuthedContext } from '../http/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { AccessControl } from '../permissions/access-control.ts';
import type { MilestonesRepository } from '../projects/milestones.repository.ts';
import type { ProjectDoc } from '../projects/projects.model.ts';
import { projectResource } from '../projects/projects.policy.ts';
import type { ProjectsRepository } from '../projects/projects.repository.ts';
import type { ProjectsService } from '../projects/projects.service.ts';
import type { People } from '../users/people.ts';
import type { PlanningService } from './planning.service.ts';
import type { PlannedWork } from './workload.ts';
import { mergeEdit, pickFields } from './task-merge.ts';
import { isOverdue, parseDay, parseOptionalDay } from './task-dates.ts';
import { createdDrafts, updatedDrafts } from './task-feed.ts';
import { categoryOf } from './task-status.ts';
import type { TaskDoc } from './tasks.model.ts';
import { taskActions, taskResource } from './tasks.policy.ts';
import { presentTask } from './tasks.presenter.ts';
import type { NewTask, TaskChanges, TasksRepository } from './tasks.repository.ts';

export interface TasksServiceDeps {
  tasks: TasksRepository;
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

/** A merged edit met fields someone else changed; turned into the 409 outside the transaction. */
class EditConflict extends Error {
  readonly task: TaskDoc;
  readonly fields: TaskEditField[];

  constructor(task: TaskDoc, fields: TaskEditField[]) {
    super('edit conflict');
    this.task = task;
    this.fields = fields;
  }
}

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
    await this.#assertRateAllowed(
      ctx,
      { assignees: input.assignees ?? [], createdBy: ctx.actor.id },
      project,
      input.hourlyRate,
    );
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
    this.#assertDatesInOrder({ startDate: null, dueDate: null }, draft);
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
    await this.#assertRateAllowed(ctx, task, project, patch.hourlyRate);
    if (!patch.base && task.version !== patch.version) throw this.#stale(task.version);
    // A base newer than the task was never seen by anyone: refuse it rather than merge against it.
    if (patch.base && patch.base.version > task.version) throw this.#stale(task.version);
    const changes = this.#changes(task, patch);
    await this.#checkRefs(project, {
      status: changes.status,
      assignees: changes.assignees,
      watchers: changes.watchers,
      milestoneId: changes.milestoneId,
    });
    this.#assertDatesInOrder(task, changes);
    if (Object.keys(changes).length === 0) return { task: (await this.present(ctx, project, [task]))[0] };
    if (!patch.force && this.#affectsWorkload(changes)) await this.#checkCapacity(ctx, project, task, changes);
    try {
      const updated = await this.#d.publisher.publish(ctx, (session) => this.#save(ctx, id, patch, session));
      return { task: (await this.present(ctx, project, [updated]))[0] };
    } catch (error) {
      if (!(error instanceof EditConflict)) throw error;
      const current = (await this.present(ctx, project, [error.task]))[0];
      const fields = Object.fromEntries(error.fields.map((f) => [f, 'Changed by someone else since you opened it']));
      throw new ConflictError('Someone else changed the same fields; choose which values to keep', fields, {
        task: current,
      });
    }
  }

  /**
   * The write of an edit, under the publisher's lock and in its transaction. With a `base` the
   * edit is merged with the task as stored now (read in the transaction, so no save in between
   * is lost); without one `version` must still be current.
   */
  async #save(ctx: AuthedContext, id: string, patch: UpdateTask, session: ClientSession): Promise<Published<TaskDoc>> {
    const fresh = await this.#d.tasks.findById(id, session);
    if (!fresh) throw new NotFoundError('Task');
    let effective = patch;
    if (patch.base) {
      if (patch.base.version > fresh.version) throw this.#stale(fresh.version);
      const merged = mergeEdit(this.#plain(fresh), patch);
      if (merged.conflicts.length > 0) throw new EditConflict(fresh, merged.conflicts);
      effective = pickFields(patch, merged.apply);
    } else if (fresh.version !== patch.version) throw this.#stale(fresh.version);
    const changes = this.#changes(fresh, effective);
    this.#assertDatesInOrder(fresh, changes);
    if (Object.keys(changes).length === 0) return { result: fresh, audit: null, feed: [] };
    const next = await this.#d.tasks.updateVersioned(id, fresh.version, changes, ctx.actor.id, session);
    if (!next) throw await this.#staleOrGone(id);
    return {
      result: next,
      audit: {
        action: 'task.update',
        permission: 'task.update',
        code: fresh.code,
        changes: diffFields<TaskChanges>(this.#plain(fresh), this.#plain(next), audited),
      },
      feed: updatedDrafts(fresh, next, ctx.actor.id),
    };
  }

  /** Rates follow billing: setting one needs `billing.read` on the task's project. */
  async #assertRateAllowed(
    ctx: AuthedContext,
    task: { assignees: readonly unknown[]; createdBy: unknown; code?: string },
    project: ProjectDoc,
    rate: number | null | undefined,
  ): Promise<void> {
    if (rate === undefined) return;
    await this.#d.access.authorize(ctx, 'billing.read', taskResource(task, project), {
      code: task.code ?? project.code,
    });
  }

  /** A due day before the first day is refused, whichever of the two the edit changes. */
  #assertDatesInOrder(task: Pick<TaskDoc, 'startDate' | 'dueDate'>, changes: TaskChanges): void {
    const start = changes.startDate === undefined ? task.startDate : changes.startDate;
    const due = changes.dueDate === undefined ? task.dueDate : changes.dueDate;
    if (start && due && due.getTime() < start.getTime()) throw new ValidationError({ dueDate: dueBeforeStartMessage });
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
    const names = await this.#d.people.names(
      docs.flatMap((t) => [
        ...t.assignees.map(String),
        String(t.createdBy),
        ...(t.updatedBy ? [String(t.updatedBy)] : []),
      ]),
    );
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
    const {
      version: _v,
      force: _f,
      base: _b,
      assignees,
      watchers,
      startDate,
      dueDate,
      milestoneId,
      labels,
      ...plain
    } = patch;
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
