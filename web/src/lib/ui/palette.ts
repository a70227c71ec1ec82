// The create actions the search palette (web/src/lib/search) offers and the pages that answer
// them: the action the page on screen offers ("New task" on a project), "New task in <project>"
// where the project's abilities allow it, "New document", and the `?new=…` parameter that opens
// a page's create dialog once. Finding records is the server's search, not this module.
import { projectEndpoints, type Project } from '@crewdeck/shared/projects';
import { call } from '../api.ts';
import { compareText } from '../i18n/locale.ts';
import { m } from '../paraglide/messages.js';

/** A create action: where choosing it leads, or what it runs. */
export interface PaletteAction {
  id: string;
  label: string;
  /** Second line: the project's code. */
  detail?: string;
  href?: string;
  run?: () => void;
}

export const matches = (text: string, query: string): boolean =>
  text.toLocaleLowerCase().includes(query.trim().toLocaleLowerCase());

/** An action the page on screen offers while it is shown (the project's "New task"). */
export interface PageAction {
  id: string;
  label: () => string;
  run: () => void;
}

const pageActions = new Map<string, PageAction>();

/** Offers `action` in the palette; returns the function that withdraws it (an effect's cleanup). */
export function offerPageAction(action: PageAction): () => void {
  pageActions.set(action.id, action);
  return () => {
    if (pageActions.get(action.id) === action) pageActions.delete(action.id);
  };
}

/** The actions the page on screen offers now. */
export function pageActionItems(): PaletteAction[] {
  return [...pageActions.values()].map((action) => ({
    id: `page-${action.id}`,
    label: action.label(),
    run: action.run,
  }));
}

/** Whether the page on screen offers an action (the project page's own "New task"). */
export const offersPageAction = (id: string): boolean => pageActions.has(id);

/** The query parameter that opens a page's create dialog once (`?new=task`, `?new=document`). */
export const NEW_PARAM = 'new';

/** "New task in <project>" for each open project where the person may create tasks. */
export function newTaskItems(list: Project[]): PaletteAction[] {
  return list
    .filter((project) => project.abilities['task.create'] === true && !project.archived)
    .sort((a, b) => compareText(a.name, b.name))
    .map((project) => ({
      id: `new-task-${project.id}`,
      label: m.palette_new_task_in({ project: project.name }),
      detail: project.code,
      href: `/projects/${project.id}?${NEW_PARAM}=task`,
    }));
}

/** Where "New document" leads: the library folder being looked at, else the library itself. */
export function newDocumentHref(url: { pathname: string; searchParams: { get(name: string): string | null } }): string {
  const params = new URLSearchParams();
  const folder = url.pathname === '/library' ? url.searchParams.get('folder') : null;
  if (folder) params.set('folder', folder);
  params.set(NEW_PARAM, 'document');
  return `/library?${params.toString()}`;
}

/**
 * The URL without `?new=…` when it asks for `kind`'s create dialog, or null. Pages open the
 * dialog once and put this URL in place of the current history entry.
 */
export function consumeNewParam(url: URL, kind: 'task' | 'document'): URL | null {
  if (url.searchParams.get(NEW_PARAM) !== kind) return null;
  const next = new URL(url);
  next.searchParams.delete(NEW_PARAM);
  return next;
}

let projects: Promise<Project[]> | null = null;

/** The caller's projects, loaded once per palette opening (`refresh`) and reused while it is open. */
export function loadProjects(refresh = false): Promise<Project[]> {
  if (!projects || refresh)
    projects = call(projectEndpoints.list, { query: {} }).then(
      (list) => list.items,
      () => [],
    );
  return projects;
}
