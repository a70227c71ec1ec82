// Correcting a project's things: delete with a confirmation and an Undo toast that restores,
// and the trash. Each helper asks, calls the API, announces; the caller refreshes its state.
import type { Comment, Task } from '@crewdeck/shared/tasks';
import type { Milestone, Project, TrashItem } from '@crewdeck/shared/projects';
import { milestoneEndpoints, projectEndpoints } from '@crewdeck/shared/projects';
import { taskEndpoints } from '@crewdeck/shared/tasks';
import { call } from '../api.ts';
import { handleError } from '../errors.ts';
import { confirmAction, notify } from '../ui/confirm.svelte.ts';
import { m } from '../paraglide/messages.js';

type Refresh = () => Promise<void> | void;

/** Runs `restore` for an Undo; a failure becomes an error toast. */
async function undoWith(restore: () => Promise<unknown>, refresh: Refresh): Promise<void> {
  try {
    await restore();
    await refresh();
  } catch {
    notify(m.undo_failed(), { tone: 'error' });
  }
}

/** Asks, deletes, then offers Undo. Returns true when deleted; a failure shows an error toast. */
async function deleteWithUndo(options: {
  title: string;
  message: string;
  done: string;
  remove: () => Promise<unknown>;
  restore: () => Promise<unknown>;
  refresh: Refresh;
  afterRestore?: Refresh;
}): Promise<boolean> {
  const ok = await confirmAction({
    title: options.title,
    message: options.message,
    confirmLabel: m.delete(),
    danger: true,
  });
  if (!ok) return false;
  try {
    await options.remove();
  } catch (err) {
    notify(handleError(err).message, { tone: 'error' });
    return false;
  }
  await options.refresh();
  notify(options.done, { undo: () => undoWith(options.restore, options.afterRestore ?? options.refresh) });
  return true;
}

export function deleteProject(project: Project, onDeleted: Refresh, onRestored: Refresh): Promise<boolean> {
  const params = { id: project.id };
  return deleteWithUndo({
    title: m.prj_delete(),
    message: m.prj_delete_message({ name: project.name }),
    done: m.prj_deleted_notice({ name: project.name }),
    remove: () => call(projectEndpoints.remove, { params }),
    restore: () => call(projectEndpoints.restore, { params }),
    refresh: onDeleted,
    afterRestore: onRestored,
  });
}

export function deleteMilestone(milestone: Milestone, refresh: Refresh): Promise<boolean> {
  const params = { id: milestone.id };
  return deleteWithUndo({
    title: m.prj_ms_delete(),
    message: m.prj_ms_delete_message({ title: milestone.title }),
    done: m.prj_ms_deleted_notice({ title: milestone.title }),
    remove: () => call(milestoneEndpoints.remove, { params }),
    restore: () => call(milestoneEndpoints.restore, { params }),
    refresh,
  });
}

export function deleteTask(task: Task, onDeleted: Refresh, onRestored: Refresh): Promise<boolean> {
  const params = { id: task.id };
  return deleteWithUndo({
    title: m.prj_task_delete(),
    message: m.prj_task_delete_message({ code: task.code }),
    done: m.prj_task_deleted_notice({ code: task.code }),
    remove: () => call(taskEndpoints.remove, { params }),
    restore: () => call(taskEndpoints.restore, { params }),
    refresh: onDeleted,
    afterRestore: onRestored,
  });
}

export function deleteComment(comment: Comment, refresh: Refresh): Promise<boolean> {
  const params = { id: comment.id };
  return deleteWithUndo({
    title: m.prj_comment_delete(),
    message: m.prj_comment_delete_message(),
    done: m.prj_comment_deleted_notice(),
    remove: () => call(taskEndpoints.removeComment, { params }),
    restore: () => call(taskEndpoints.restoreComment, { params }),
    refresh,
  });
}

/** The project's trash: deleted milestones, tasks and comments (and the project if deleted). */
export async function loadTrash(projectId: string): Promise<TrashItem[]> {
  return (await call(projectEndpoints.trash, { query: { projectId } })).items;
}

/** Restores one trash item with its kind's endpoint. */
export async function restoreItem(item: TrashItem): Promise<void> {
  const params = { id: item.id };
  if (item.kind === 'project') await call(projectEndpoints.restore, { params });
  else if (item.kind === 'milestone') await call(milestoneEndpoints.restore, { params });
  else if (item.kind === 'task') await call(taskEndpoints.restore, { params });
  else await call(taskEndpoints.restoreComment, { params });
}
