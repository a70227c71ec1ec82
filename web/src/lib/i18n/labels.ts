// Names of the fixed vocabularies (workspace roles, project roles) in the active language.
import type { Role } from '@crewdeck/shared/permissions';
import type { z } from 'zod';
import {
  defaultStatuses,
  type milestoneStatusSchema,
  type ProjectRole,
  type StatusDef,
} from '@crewdeck/shared/projects';
import type { Priority } from '@crewdeck/shared/tasks';
import { m } from '../paraglide/messages.js';

const ROLE_LABELS: Record<Role, () => string> = {
  Owner: () => m.role_Owner(),
  Admin: () => m.role_Admin(),
  Lead: () => m.role_Lead(),
  Member: () => m.role_Member(),
  Tester: () => m.role_Tester(),
  External: () => m.role_External(),
};

const PROJECT_ROLE_LABELS: Record<ProjectRole, () => string> = {
  lead: () => m.project_role_lead(),
  member: () => m.project_role_member(),
  tester: () => m.project_role_tester(),
  external: () => m.project_role_external(),
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role]();
}

export function projectRoleLabel(role: ProjectRole): string {
  return PROJECT_ROLE_LABELS[role]();
}

const STATUS_LABELS: Partial<Record<string, () => string>> = {
  backlog: () => m.status_backlog(),
  todo: () => m.status_todo(),
  in_progress: () => m.status_in_progress(),
  review: () => m.status_review(),
  done: () => m.status_done(),
};

/** A status name: the default statuses in the active language unless a project renamed them. */
export function statusLabel(status: StatusDef): string {
  const standard = defaultStatuses.find((entry) => entry.key === status.key);
  const translated = STATUS_LABELS[status.key];
  return standard && translated && standard.name === status.name ? translated() : status.name;
}

const PRIORITY_LABELS: Record<Priority, () => string> = {
  low: () => m.priority_low(),
  normal: () => m.priority_normal(),
  high: () => m.priority_high(),
  urgent: () => m.priority_urgent(),
};

/** The priority inside a sentence or on a badge ("urgent"). */
export function priorityLabel(priority: Priority): string {
  return PRIORITY_LABELS[priority]();
}

const PRIORITY_TITLES: Record<Priority, () => string> = {
  low: () => m.priority_Low(),
  normal: () => m.priority_Normal(),
  high: () => m.priority_High(),
  urgent: () => m.priority_Urgent(),
};

/** The priority standing alone, as a table cell or a field value ("Urgent"). */
export function priorityTitle(priority: Priority): string {
  return PRIORITY_TITLES[priority]();
}

type MilestoneStatus = z.infer<typeof milestoneStatusSchema>;

const MILESTONE_STATUS_LABELS: Record<MilestoneStatus, () => string> = {
  planned: () => m.ms_status_planned(),
  active: () => m.ms_status_active(),
  completed: () => m.ms_status_completed(),
  canceled: () => m.ms_status_canceled(),
};

export function milestoneStatusLabel(status: MilestoneStatus): string {
  return MILESTONE_STATUS_LABELS[status]();
}
