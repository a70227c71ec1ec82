// What the command palette finds for a query: actions and pages by name, projects by name or
// code, a task by its code (`WEB-42`), documents (the library's own search) and people (the
// directory). Every source is the API the pages use, so the server's permissions apply; a
// source the person may not read (403) simply contributes nothing. Actions that create things
// are offered only where the server's abilities allow them.
import { libraryEndpoints } from '@crewdeck/shared/library';
import { projectEndpoints } from '@crewdeck/shared/projects';
import { taskEndpoints } from '@crewdeck/shared/tasks';
import { profileEndpoints } from '@crewdeck/shared/users';
import type { Project } from '@crewdeck/shared/projects';
import { call } from '../api.ts';
import { compareText } from '../i18n/locale.ts';
import { m } from '../paraglide/messages.js';

export type PaletteKind = 'action' | 'page' | 'project' | 'task' | 'document' | 'person';

export interface PaletteItem {
  kind: PaletteKind;
  id: string;
  label: string;
  /** Second line: a code, a project name, a role. */
  detail?: string;
  /** Where choosing it leads, or what it runs. */
  href?: string;
  run?: () => void;
}

const TASK_CODE = /^([a-z][a-z0-9]{1,9})-(\d{1,7})$/i;

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
export function pageActionItems(): PaletteItem[] {
  return [...pageActions.values()].map((action) => ({
    kind: 'action',
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
export function newTaskItems(list: Project[]): PaletteItem[] {
  return list
    .filter((project) => project.abilities['task.create'] === true && !project.archived)
    .sort((a, b) => compareText(a.name, b.name))
    .map((project) => ({
      kind: 'action',
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

/** The caller's projects, loaded once per palette session. */
export function loadProjects(refresh = false): Promise<Project[]> {
  if (!projects || refresh)
    projects = call(projectEndpoints.list, { query: {} }).then(
      (list) => list.items,
      () => [],
    );
  return projects;
}

async function projectItems(query: string): Promise<PaletteItem[]> {
  const list = await loadProjects();
  return list
    .filter((project) => matches(project.name, query) || matches(project.code, query))
    .sort((a, b) => compareText(a.name, b.name))
    .slice(0, 6)
    .map((project) => ({
      kind: 'project',
      id: project.id,
      label: project.name,
      detail: project.code,
      href: `/projects/${project.id}`,
    }));
}

async function taskItems(query: string): Promise<PaletteItem[]> {
  const code = TASK_CODE.exec(query.trim());
  if (!code) return [];
  const project = (await loadProjects()).find((item) => item.code.toUpperCase() === code[1].toUpperCase());
  if (!project) return [];
  const wanted = `${project.code}-${Number(code[2])}`.toUpperCase();
  const tasks = await call(taskEndpoints.list, { params: { id: project.id }, query: {} }).then(
    (list) => list.items,
    () => [],
  );
  return tasks
    .filter((task) => task.code.toUpperCase() === wanted)
    .map((task) => ({
      kind: 'task',
      id: task.id,
      label: task.title,
      detail: `${task.code} · ${project.name}`,
      href: `/projects/${project.id}/tasks/${task.id}`,
    }));
}

async function documentItems(query: string): Promise<PaletteItem[]> {
  const list = await call(libraryEndpoints.list, { query: { q: query } }).catch(() => null);
  return (list?.items ?? []).slice(0, 6).map((doc) => ({
    kind: 'document',
    id: doc.id,
    label: doc.title,
    detail: doc.code,
    href: `/library/${doc.id}`,
  }));
}

async function personItems(query: string): Promise<PaletteItem[]> {
  const list = await call(profileEndpoints.people, { query: { q: query } }).catch(() => null);
  return (list?.items ?? []).slice(0, 6).map((person) => ({
    kind: 'person',
    id: person.id,
    label: person.name,
    detail: person.login,
    href: `/people?q=${encodeURIComponent(person.login)}`,
  }));
}

/** Everything the API finds for `query` (2 or more characters), in a stable order. */
export async function searchAll(query: string): Promise<PaletteItem[]> {
  const text = query.trim();
  if (text.length < 2) return [];
  const found = await Promise.all([taskItems(text), projectItems(text), documentItems(text), personItems(text)]);
  return found.flat();
}
