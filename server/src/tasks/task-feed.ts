import type { FeedDraft } from '../feed/feed.drafts.ts';
import { dayString } from './task-dates.ts';
import type { TaskDoc } from './tasks.model.ts';

const ids = (list: readonly unknown[]) => list.map(String);
const idOrNull = (v: unknown) => (v ? String(v) : null);

/** Fields that get their own feed type; the rest are reported together as `task.updated`. */
const ownTypeFields = new Set(['status', 'assignees', 'dueDate', 'milestoneId', 'version', 'updatedAt', 'watchers']);
const plainFields = [
  'title',
  'description',
  'priority',
  'estimate',
  'startDate',
  'labels',
  'billable',
  'hourlyRate',
] as const;

function base(task: TaskDoc, actorId: string) {
  const id = String(task._id);
  const ref = { id, code: task.code, title: task.title };
  const others = (users: string[]) => users.filter((u) => u !== actorId);
  return {
    id,
    ref,
    others,
    projectId: String(task.projectId),
    resource: { kind: 'task' as const, id, code: task.code },
  };
}

function assignmentDrafts(before: TaskDoc | null, after: TaskDoc, actorId: string): FeedDraft[] {
  const { ref, others, projectId, resource } = base(after, actorId);
  const was = ids(before?.assignees ?? []);
  const now = ids(after.assignees);
  const added = now.filter((u) => !was.includes(u));
  const removed = was.filter((u) => !now.includes(u));
  const drafts: FeedDraft[] = [];
  if (added.length > 0) {
    drafts.push({
      type: 'task.assigned',
      projectId,
      resource,
      data: { title: after.title, userIds: added },
      audience: [...now, ...removed],
      notify: [{ kind: 'assigned', userIds: others(added), task: ref }],
    });
  }
  if (removed.length > 0)
    drafts.push({
      type: 'task.unassigned',
      projectId,
      resource,
      data: { title: after.title, userIds: removed },
      audience: [...now, ...removed],
    });
  return drafts;
}

/** Feed entries (and who to notify) for creating a task. */
export function createdDrafts(task: TaskDoc, actorId: string): FeedDraft[] {
  const { projectId, resource } = base(task, actorId);
  const created: FeedDraft = {
    type: 'task.created',
    projectId,
    resource,
    data: {
      title: task.title,
      status: task.status,
      parentId: idOrNull(task.parentId),
      dueDate: dayString(task.dueDate),
      milestoneId: idOrNull(task.milestoneId),
    },
    audience: ids(task.assignees),
  };
  return [created, ...assignmentDrafts(null, task, actorId)];
}

/** Feed entries for an edit: one per kind of change, in a stable order. */
export function updatedDrafts(before: TaskDoc, after: TaskDoc, actorId: string): FeedDraft[] {
  const { ref, others, projectId, resource } = base(after, actorId);
  const audience = ids(after.assignees);
  const drafts: FeedDraft[] = [];
  if (before.status !== after.status) {
    const data = { title: after.title, from: before.status, to: after.status };
    drafts.push({
      type: 'task.status',
      projectId,
      resource,
      data,
      audience,
      notify: [{ kind: 'statusChanged', userIds: others(ids(after.watchers)), task: ref, data }],
    });
  }
  drafts.push(...assignmentDrafts(before, after, actorId));
  if (dayString(before.dueDate) !== dayString(after.dueDate)) {
    drafts.push({
      type: 'task.dueDate',
      projectId,
      resource,
      data: { title: after.title, from: dayString(before.dueDate), to: dayString(after.dueDate) },
      audience,
    });
  }
  if (idOrNull(before.milestoneId) !== idOrNull(after.milestoneId)) {
    drafts.push({
      type: 'task.milestone',
      projectId,
      resource,
      data: { title: after.title, from: idOrNull(before.milestoneId), to: idOrNull(after.milestoneId) },
      audience,
    });
  }
  const changed = plainFields.filter(
    (f) => !ownTypeFields.has(f) && JSON.stringify(before[f]) !== JSON.stringify(after[f]),
  );
  if (changed.length > 0)
    drafts.push({ type: 'task.updated', projectId, resource, data: { title: after.title, fields: changed }, audience });
  return drafts;
}
