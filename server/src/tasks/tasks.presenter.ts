import type { Abilities } from '@crewdeck/shared/permissions';
import type { Task } from '@crewdeck/shared/tasks';
import type { Names } from '../users/people.ts';
import { dayString } from './task-dates.ts';
import type { TaskDoc } from './tasks.model.ts';

const person = (id: unknown, names: Names) => ({ id: String(id), name: names.get(String(id)) ?? '' });

/** Whitelist of public task fields. */
export function presentTask(
  doc: TaskDoc,
  names: Names,
  extra: { overdue: boolean; subtaskCount: number; abilities: Abilities },
): Task {
  return {
    id: String(doc._id),
    code: doc.code,
    projectId: String(doc.projectId),
    parentId: doc.parentId ? String(doc.parentId) : null,
    title: doc.title,
    description: doc.description,
    status: doc.status,
    priority: doc.priority,
    assignees: doc.assignees.map((id) => person(id, names)),
    watchers: doc.watchers.map(String),
    estimate: doc.estimate,
    startDate: dayString(doc.startDate),
    dueDate: dayString(doc.dueDate),
    milestoneId: doc.milestoneId ? String(doc.milestoneId) : null,
    labels: [...doc.labels],
    billable: doc.billable,
    // Rates follow the billing permission: absent for callers who may not see billing.
    ...(extra.abilities['billing.read'] ? { hourlyRate: doc.hourlyRate } : {}),
    overdue: extra.overdue,
    loggedHours: doc.loggedHours,
    behindBy: doc.behindBy ?? 0,
    subtaskCount: extra.subtaskCount,
    version: doc.version,
    createdBy: person(doc.createdBy, names),
    updatedBy: doc.updatedBy ? person(doc.updatedBy, names) : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    abilities: extra.abilities,
  };
}
