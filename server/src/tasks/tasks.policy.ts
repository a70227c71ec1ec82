import type { Action } from '@crewdeck/shared/permissions';
import type { Actor } from '../http/context.ts';
import {
  isWorkspaceAdmin,
  projectPolicy,
  projectResource,
  projectRoleOf,
  type ProjectResource,
} from '../projects/projects.policy.ts';

/** A task as `can()` sees it: its project plus who is assigned (and, for comment actions, the comment). */
export interface TaskResource {
  kind: 'task';
  project: ProjectResource;
  assignees: readonly string[];
  createdBy: string;
  /** The comment a `comment.*` action is about. */
  comment?: { authorId: string };
}

/** Task actions, the per-task abilities presenters attach (`billing.read`: the rate may be seen and set). */
export const taskActions = [
  'task.update',
  'task.delete',
  'task.comment',
  'task.logTime',
  'billing.read',
] as const satisfies readonly Action[];

/** Comment actions, the per-comment abilities presenters attach. */
export const commentActions = ['comment.update', 'comment.delete'] as const satisfies readonly Action[];

/** Authors edit their comments; authors, project leads and workspace admins delete them. */
function commentPolicy(actor: Actor, action: Action, task: TaskResource): boolean {
  if (!task.comment) return false;
  if (task.comment.authorId === actor.id) return true;
  if (action !== 'comment.delete') return false;
  return isWorkspaceAdmin(actor) || projectRoleOf(task.project, actor.id) === 'lead';
}

/** Task rules: the project's rules, and guests touch only tasks assigned to them. */
export function taskPolicy(actor: Actor, action: Action, task: TaskResource): boolean {
  if (!projectPolicy(actor, action, task.project)) return false;
  if (action === 'comment.update' || action === 'comment.delete') return commentPolicy(actor, action, task);
  if (isWorkspaceAdmin(actor)) return true;
  const guest = projectRoleOf(task.project, actor.id) === 'external';
  if (guest && (action === 'task.update' || action === 'task.logTime')) return task.assignees.includes(actor.id);
  return true;
}

/** The stored task (in its stored project) as `can()` sees it; `comment` for comment actions. */
export function taskResource(
  task: { assignees: readonly unknown[]; createdBy: unknown },
  project: Parameters<typeof projectResource>[0],
  comment?: { authorId: unknown },
): TaskResource {
  return {
    kind: 'task',
    project: projectResource(project),
    assignees: task.assignees.map(String),
    createdBy: String(task.createdBy),
    ...(comment ? { comment: { authorId: String(comment.authorId) } } : {}),
  };
}
