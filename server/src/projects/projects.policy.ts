import { contributorActions, type Action } from '@crewdeck/shared/permissions';
import type { ProjectRole } from '@crewdeck/shared/projects';
import type { Actor } from '../http/context.ts';

/** A project as `can()` sees it. `id` is null for a project being created. */
export interface ProjectResource {
  kind: 'project';
  id: string | null;
  archived: boolean;
  members: ReadonlyArray<{ userId: string; role: ProjectRole }>;
}

/** Project actions, the per-project abilities presenters attach. */
export const projectActions = [
  'project.read',
  'project.update',
  'project.manageMembers',
  'project.delete',
  'milestone.manage',
  'task.create',
  'task.update',
  'task.delete',
  'task.comment',
  'comment.update',
  'comment.delete',
  'task.logTime',
  'billing.read',
] as const satisfies readonly Action[];

/** What each project role allows (on top of the workspace role table). */
const byProjectRole: Record<ProjectRole, ReadonlySet<Action>> = {
  lead: new Set<Action>(projectActions),
  member: new Set(contributorActions),
  tester: new Set(contributorActions),
  // Guests read and discuss; they change or log time only on tasks assigned to them.
  external: new Set<Action>([
    'project.read',
    'task.comment',
    'comment.update',
    'comment.delete',
    'task.update',
    'task.logTime',
  ]),
};

/** Changes allowed in an archived project: restoring (or deleting) it and managing who sees it. */
const archivedAllows: ReadonlySet<Action> = new Set<Action>([
  'project.read',
  'project.update',
  'project.delete',
  'project.manageMembers',
  'billing.read',
]);

/** Workspace Owners and Admins act in every project without being members. */
export function isWorkspaceAdmin(actor: Actor): boolean {
  return actor.role === 'Owner' || actor.role === 'Admin';
}

export function projectRoleOf(project: ProjectResource, userId: string): ProjectRole | null {
  return project.members.find((m) => m.userId === userId)?.role ?? null;
}

/** Membership rules for projects: members only, by project role; archived projects are read-only. */
export function projectPolicy(actor: Actor, action: Action, project: ProjectResource): boolean {
  if (project.archived && !archivedAllows.has(action)) return false;
  if (isWorkspaceAdmin(actor)) return true;
  if (project.id === null) return true;
  const role = projectRoleOf(project, actor.id);
  return role !== null && byProjectRole[role].has(action);
}

/** The stored project as `can()` sees it. */
export function projectResource(doc: {
  _id: unknown;
  archived: boolean;
  members: ReadonlyArray<{ userId: unknown; role: ProjectRole }>;
}): ProjectResource {
  return {
    kind: 'project',
    id: String(doc._id),
    archived: doc.archived,
    members: doc.members.map((m) => ({ userId: String(m.userId), role: m.role })),
  };
}
