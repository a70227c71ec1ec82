// What the search palette lists besides the server's results: its actions (log a call, new
// client, the page's own create action, new task/document, theme, keyboard shortcuts) and the
// pages and projects the person may open. The server decides every ability (`me.abilities`,
// project abilities); this only reads them. Results are grouped by kind in `groupOrder`.
import type { Me } from '@crewdeck/shared/auth';
import type { SearchResult, SearchResultKind } from '@crewdeck/shared/search';
import type { Project } from '@crewdeck/shared/projects';
import { can } from '../abilities.ts';
import { compareText } from '../i18n/locale.ts';
import { changeTheme, readTheme } from '../i18n/theme.ts';
import { mainNav } from '../nav.ts';
import { m } from '../paraglide/messages.js';
import { matches, newDocumentHref, newTaskItems, offersPageAction, pageActionItems } from '../ui/palette.ts';

export type EntryGroup = 'action' | 'page' | 'project' | SearchResultKind;

export interface PaletteEntry {
  /** Unique within the list (keyed `each`, option ids). */
  key: string;
  group: EntryGroup;
  title: string;
  subtitle?: string;
  href?: string;
  run?: () => void;
}

/** Groups in the order the palette shows them. */
export const groupOrder: readonly EntryGroup[] = [
  'action',
  'client',
  'contact',
  'deal',
  'interaction',
  'task',
  'project',
  'document',
  'person',
  'page',
];

export const groupLabels: Record<EntryGroup, () => string> = {
  action: () => m.search_group_action(),
  page: () => m.search_group_page(),
  project: () => m.search_group_project(),
  client: () => m.search_group_client(),
  contact: () => m.search_group_contact(),
  deal: () => m.search_group_deal(),
  interaction: () => m.search_group_interaction(),
  task: () => m.search_group_task(),
  document: () => m.search_group_document(),
  person: () => m.search_group_person(),
};

export interface ActionHooks {
  /** Opens the "log a call" dialog, for one client or choosing one there. */
  logCall(clientId?: string): void;
  /** Opens the keyboard-shortcut help. */
  shortcuts(): void;
}

type Url = { pathname: string; searchParams: { get(name: string): string | null } };

/** The palette's own actions, filtered by the query (all of them while it is empty). */
export function actionEntries(me: Me | null | undefined, url: Url, query: string, hooks: ActionHooks): PaletteEntry[] {
  const q = query.trim();
  const theme = readTheme();
  const all: PaletteEntry[] = [
    ...(can(me, 'interaction.log')
      ? [{ key: 'log-call', group: 'action' as const, title: m.search_log_call(), run: () => hooks.logCall() }]
      : []),
    ...(can(me, 'client.write')
      ? [{ key: 'new-client', group: 'action' as const, title: m.search_new_client(), href: '/clients/new' }]
      : []),
    ...pageActionItems().map((item) => ({ key: item.id, group: 'action' as const, title: item.label, run: item.run })),
    ...(can(me, 'doc.create')
      ? [{ key: 'new-document', group: 'action' as const, title: m.palette_new_document(), href: newDocumentHref(url) }]
      : []),
    {
      key: 'theme',
      group: 'action',
      title: theme === 'dark' ? m.pal_theme_light() : m.pal_theme_dark(),
      run: () => changeTheme(theme === 'dark' ? 'light' : 'dark'),
    },
    { key: 'shortcuts', group: 'action', title: m.pal_shortcuts(), run: () => hooks.shortcuts() },
  ];
  return all.filter((entry) => !q || matches(entry.title, q));
}

/** "Log a call with <client>" for the best client found, so a call is logged in two keys. */
export function logCallWith(me: Me | null | undefined, results: SearchResult[], hooks: ActionHooks): PaletteEntry[] {
  const client = results.find((r) => r.kind === 'client');
  if (!client || !can(me, 'interaction.log')) return [];
  return [
    {
      key: `log-call-${client.id}`,
      group: 'action',
      title: m.search_log_call_with({ client: client.title }),
      run: () => hooks.logCall(client.id),
    },
  ];
}

/**
 * "New task in <project>" (only once the query names it, and not on a project page, whose own
 * "New task" opens the dialog there) and projects by name or code.
 */
export function projectEntries(projects: Project[], query: string): PaletteEntry[] {
  const q = query.trim();
  if (!q) return [];
  const create = (offersPageAction('new-task') ? [] : newTaskItems(projects))
    .filter((item) => matches(item.label, q))
    .slice(0, 6)
    .map((item) => ({
      key: item.id,
      group: 'action' as const,
      title: item.label,
      subtitle: item.detail,
      href: item.href,
    }));
  const found = projects
    .filter((p) => matches(p.name, q) || matches(p.code, q))
    .sort((a, b) => compareText(a.name, b.name))
    .slice(0, 6)
    .map((p) => ({
      key: `project-${p.id}`,
      group: 'project' as const,
      title: p.name,
      subtitle: p.code,
      href: `/projects/${p.id}`,
    }));
  return [...create, ...found];
}

/** The pages the navigation shows this person, plus their profile. */
export function pageEntries(me: Me | null | undefined, query: string): PaletteEntry[] {
  const q = query.trim();
  const pages = [
    ...mainNav(me).map((item) => ({ href: item.href, title: item.label() })),
    { href: '/profile', title: m.pal_profile() },
  ];
  return pages
    .filter((p) => !q || matches(p.title, q))
    .map((p) => ({ key: `page-${p.href}`, group: 'page' as const, title: p.title, href: p.href }));
}

export function resultEntries(results: SearchResult[]): PaletteEntry[] {
  return results.map((r) => ({
    key: `${r.kind}-${r.id}`,
    group: r.kind,
    title: r.title,
    subtitle: r.subtitle || undefined,
    href: r.href,
  }));
}

export interface EntryGroupView {
  group: EntryGroup;
  entries: { entry: PaletteEntry; index: number }[];
}

/** Entries grouped in `groupOrder`, each with its position in the flat list the arrow keys walk. */
export function grouped(entries: PaletteEntry[]): { groups: EntryGroupView[]; flat: PaletteEntry[] } {
  const flat: PaletteEntry[] = [];
  const groups: EntryGroupView[] = [];
  const seen = new Set<string>();
  for (const group of groupOrder) {
    const items = entries.filter((e) => e.group === group && !seen.has(e.key));
    if (!items.length) continue;
    const view: EntryGroupView = { group, entries: [] };
    for (const entry of items) {
      seen.add(entry.key);
      view.entries.push({ entry, index: flat.length });
      flat.push(entry);
    }
    groups.push(view);
  }
  return { groups, flat };
}
