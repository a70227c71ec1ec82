import type { ClientSession, QueryFilter } from 'mongoose';
import type { Priority } from '@crewdeck/shared/tasks';
import { oid, oids } from '../db/ids.ts';
import type { TaskFacts } from './task-status.ts';
import { live, restoreSet, trashed, trashSet } from '../projects/trash.ts';
import { TaskModel, type TaskDoc } from './tasks.model.ts';

export interface NewTask {
  projectId: string;
  number: number;
  code: string;
  parentId: string | null;
  title: string;
  description: string;
  status: string;
  priority: Priority;
  assignees: string[];
  watchers: string[];
  estimate: number | null;
  startDate: Date | null;
  dueDate: Date | null;
  milestoneId: string | null;
  labels: string[];
  billable: boolean;
  hourlyRate: number | null;
  createdBy: string;
}

/** Fields an edit may set; ids as strings. */
export type TaskChanges = Partial<Omit<NewTask, 'projectId' | 'number' | 'code' | 'parentId' | 'createdBy'>>;

export interface TaskFilter {
  projectId: string;
  assignee?: string;
  milestoneId?: string;
  label?: string;
  status?: string;
  parentId?: string;
}

function toDb(changes: TaskChanges): Record<string, unknown> {
  const set: Record<string, unknown> = { ...changes };
  if (changes.assignees) set.assignees = oids(changes.assignees);
  if (changes.watchers) set.watchers = oids(changes.watchers);
  if (changes.milestoneId !== undefined)
    set.milestoneId = changes.milestoneId === null ? null : oid(changes.milestoneId);
  return set;
}

function facts(
  doc: Pick<TaskDoc, 'projectId' | 'milestoneId' | 'status' | 'estimate' | 'dueDate' | 'assignees'>,
): TaskFacts {
  return {
    projectId: String(doc.projectId),
    milestoneId: doc.milestoneId ? String(doc.milestoneId) : null,
    status: doc.status,
    estimate: doc.estimate,
    dueDate: doc.dueDate,
    assignees: doc.assignees.map(String),
  };
}

const factFields = { projectId: 1, milestoneId: 1, status: 1, estimate: 1, dueDate: 1, assignees: 1 };

/** The only code touching the tasks collection. Trashed tasks are invisible unless asked for. */
export class TasksRepository {
  async findById(id: string, session?: ClientSession): Promise<TaskDoc | null> {
    return TaskModel.findOne({ _id: oid(id), ...live }, null, { session }).lean<TaskDoc>();
  }

  async findTrashed(id: string, session?: ClientSession): Promise<TaskDoc | null> {
    return TaskModel.findOne({ _id: oid(id), ...trashed }, null, { session }).lean<TaskDoc>();
  }

  /** Tasks deleted on their own (not with their parent or project) in the given projects. */
  async listTrashed(projectIds: string[]): Promise<TaskDoc[]> {
    return TaskModel.find({ projectId: { $in: oids(projectIds) }, ...trashed, trashedWith: null }).lean<TaskDoc[]>();
  }

  /** Trashes a task; its subtasks `withIds` go along with it. */
  async trash(id: string, withIds: string[], by: string, at: Date, session: ClientSession): Promise<void> {
    await TaskModel.updateOne({ _id: oid(id), ...live }, trashSet(by, at), { session });
    if (withIds.length > 0)
      await TaskModel.updateMany({ _id: { $in: oids(withIds) }, ...live }, trashSet(by, at, id), { session });
  }

  /** Trashes the live tasks of a project being deleted, as taken along by it. */
  async trashOfProject(projectId: string, by: string, at: Date, session: ClientSession): Promise<void> {
    await TaskModel.updateMany({ projectId: oid(projectId), ...live }, trashSet(by, at, projectId), { session });
  }

  async restore(id: string, session: ClientSession): Promise<TaskDoc | null> {
    return TaskModel.findOneAndUpdate({ _id: oid(id), ...trashed }, restoreSet, {
      returnDocument: 'after',
      session,
    }).lean<TaskDoc>();
  }

  /** Restores what the deletion of `rootId` took along. */
  async restoreWith(rootId: string, session: ClientSession): Promise<void> {
    await TaskModel.updateMany({ trashedWith: oid(rootId) }, restoreSet, { session });
  }

  /** Sets the status of trashed-then-restored tasks whose status the project no longer has. */
  async resetStatus(ids: string[], status: string, session: ClientSession): Promise<void> {
    await TaskModel.updateMany({ _id: { $in: oids(ids) } }, { $set: { status } }, { session });
  }

  async list(filter: TaskFilter): Promise<TaskDoc[]> {
    const query: QueryFilter<TaskDoc> = { projectId: oid(filter.projectId), ...live };
    if (filter.assignee) query.assignees = oid(filter.assignee);
    if (filter.milestoneId) query.milestoneId = oid(filter.milestoneId);
    if (filter.label) query.labels = filter.label;
    if (filter.status) query.status = filter.status;
    if (filter.parentId) query.parentId = oid(filter.parentId);
    return TaskModel.find(query).sort({ number: 1 }).lean<TaskDoc[]>();
  }

  async create(data: NewTask, session: ClientSession): Promise<TaskDoc> {
    const { projectId, parentId, assignees, watchers, milestoneId, createdBy, ...rest } = data;
    const doc = {
      ...rest,
      projectId: oid(projectId),
      parentId: parentId ? oid(parentId) : null,
      assignees: oids(assignees),
      watchers: oids(watchers),
      milestoneId: milestoneId ? oid(milestoneId) : null,
      createdBy: oid(createdBy),
      version: 1,
    };
    const [created] = await TaskModel.create([doc], { session });
    return created.toObject<TaskDoc>();
  }

  /** Applies `changes` only if the task is still at `version`; null when it moved on (or vanished). */
  async updateVersioned(
    id: string,
    version: number,
    changes: TaskChanges,
    by: string,
    session: ClientSession,
  ): Promise<TaskDoc | null> {
    return TaskModel.findOneAndUpdate(
      { _id: oid(id), version },
      { $set: { ...toDb(changes), updatedBy: oid(by) }, $inc: { version: 1 } },
      { returnDocument: 'after', session },
    ).lean<TaskDoc>();
  }

  async addLoggedHours(id: string, hours: number, session: ClientSession): Promise<void> {
    await TaskModel.updateOne({ _id: oid(id) }, { $inc: { loggedHours: hours } }, { session });
  }

  async subtasksOf(parentId: string, session?: ClientSession): Promise<TaskDoc[]> {
    return TaskModel.find({ parentId: oid(parentId), ...live }, null, { session }).lean<TaskDoc[]>();
  }

  /** Tasks the deletion of `rootId` took along. */
  async trashedWith(rootId: string, session?: ClientSession): Promise<TaskDoc[]> {
    return TaskModel.find({ trashedWith: oid(rootId) }, null, { session }).lean<TaskDoc[]>();
  }

  /** Subtask count per parent id, for the given parents. */
  async subtaskCounts(parentIds: string[]): Promise<Map<string, number>> {
    if (parentIds.length === 0) return new Map();
    const rows = await TaskModel.find({ parentId: { $in: oids(parentIds) }, ...live }, { parentId: 1 }).lean<
      Pick<TaskDoc, 'parentId'>[]
    >();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.parentId), (counts.get(String(row.parentId)) ?? 0) + 1);
    return counts;
  }

  /** Progress facts of every task of the given projects. */
  async factsOfProjects(projectIds: string[]): Promise<TaskFacts[]> {
    if (projectIds.length === 0) return [];
    const rows = await TaskModel.find({ projectId: { $in: oids(projectIds) }, ...live }, factFields).lean<TaskDoc[]>();
    return rows.map(facts);
  }

  async countWithStatus(projectId: string, statuses: string[]): Promise<number> {
    return TaskModel.countDocuments({ projectId: oid(projectId), status: { $in: statuses }, ...live });
  }

  /** Open work of one person that has an estimate and a due date (the input of workload). */
  async plannedFor(userId: string): Promise<TaskDoc[]> {
    return TaskModel.find({ assignees: oid(userId), dueDate: { $ne: null }, estimate: { $gt: 0 }, ...live }).lean<
      TaskDoc[]
    >();
  }

  /** Open-ended candidates of the behind-schedule sweep: estimated, dated and assigned. */
  async scheduled(): Promise<TaskDoc[]> {
    return TaskModel.find({
      dueDate: { $ne: null },
      estimate: { $gt: 0 },
      'assignees.0': { $exists: true },
      ...live,
    }).lean<TaskDoc[]>();
  }

  /** Records the sweep's finding; not an edit, so the version stays (nobody's draft goes stale). */
  async setBehindBy(id: string, hours: number, session: ClientSession): Promise<void> {
    await TaskModel.updateOne({ _id: oid(id) }, { $set: { behindBy: hours } }, { session });
  }

  /** Tasks whose due day is before `until`, whatever their status (the due-date sweep skips done ones). */
  async dueBefore(until: Date): Promise<TaskDoc[]> {
    return TaskModel.find({ dueDate: { $ne: null, $lt: until }, ...live }).lean<TaskDoc[]>();
  }

  async findByIds(ids: string[]): Promise<TaskDoc[]> {
    if (ids.length === 0) return [];
    return TaskModel.find({ _id: { $in: oids(ids) }, ...live }).lean<TaskDoc[]>();
  }
}
