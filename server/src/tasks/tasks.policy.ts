import type { Action } from '@crewdeck/shared/permissions';
import type { Actor } from '../http/context.ts';
import {
  isWorkspaceAdmin,
  projectPolicy,
  projectResource,
  projectRoleOf,
  type ProjectResource,
} from '../projects/projects.policy.ts';

/** A task as `can()` sees it: its project plus who is assigned. */
export interface TaskResource {
  kind: 'task';
  project: ProjectResource;
  assignees: readonly string[];
  createdBy: string;
}

/** Task actions, the per-task abilities presenters attach. */
export const taskActions = [
  'task.update',
  'task.delete',
  'task.comment',
  'task.logTime',
] as const satisfies readonly Action[];

/** Task rules: the project's rules, and guests touch only tasks assigned to them. */
export function taskPolicy(actor: Actor, action: Action, task: TaskResource): boolean {
  if (!projectPolicy(actor, action, task.project)) return false;
  if (isWorkspaceAdmin(actor)) return true;
  const guest = projectRoleOf(task.project, actor.id) === 'external';
  if (guest && (action === 'task.update' || action === 'task.logTime')) return task.assignees.includes(actor.id);
  return true;
}

/** The stored task (in its stored project) as `can()` sees it. */
export function taskResource(
  task: { assignees: readonly unknown[]; createdBy: unknown },
  project: Parameters<typeof projectResource>[0],
): TaskResource {
  return {
    kind: 'task',
    project: projectResource(project),
    assignees: task.assignees.map(String),
    createdBy: String(task.createdBy),
  };
}
