// Saved views of the clients list: named filter sets kept in this browser's localStorage, one
// list per user (not synced between devices; the API has no place for them yet).
import { z } from 'zod';

export const listFiltersSchema = z.object({
  q: z.string().default(''),
  kind: z.string().default(''),
  status: z.string().default(''),
  source: z.string().default(''),
  tag: z.string().default(''),
  managerId: z.string().default(''),
  sort: z.enum(['name', 'createdAt', 'updatedAt', 'lastInteractionAt']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListFilters = z.infer<typeof listFiltersSchema>;

export const defaultFilters = (): ListFilters => listFiltersSchema.parse({});

const savedViewSchema = z.object({ name: z.string().min(1).max(80), filters: listFiltersSchema });
export type SavedView = z.infer<typeof savedViewSchema>;

const storageKey = (userId: string) => `crewdeck.clients.views.${userId}`;

export function loadViews(userId: string): SavedView[] {
  try {
    const parsed = z.array(savedViewSchema).safeParse(JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Saves (or replaces, by name) a view; returns the new list. */
export function saveView(userId: string, name: string, filters: ListFilters): SavedView[] {
  const views = [...loadViews(userId).filter((v) => v.name !== name), { name, filters: { ...filters } }];
  views.sort((a, b) => a.name.localeCompare(b.name));
  localStorage.setItem(storageKey(userId), JSON.stringify(views));
  return views;
}

export function deleteView(userId: string, name: string): SavedView[] {
  const views = loadViews(userId).filter((v) => v.name !== name);
  localStorage.setItem(storageKey(userId), JSON.stringify(views));
  return views;
}
