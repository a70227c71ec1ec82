// The clients list's filters in the address (`/clients?status=lead&managerId=me`), so Back from
// a client and a shared link keep them. Only what differs from the defaults is written.
import { encodeQuery } from '@crewdeck/shared/endpoint';
import { defaultFilters, listFiltersSchema, type ListFilters } from './saved-views.ts';

const KEYS = ['q', 'kind', 'status', 'source', 'tag', 'managerId', 'sort', 'order'] as const;

export type ListPosition = { filters: ListFilters; offset: number };

export function positionFromUrl(params: Pick<URLSearchParams, 'has' | 'get'>): ListPosition {
  const raw = Object.fromEntries(KEYS.filter((key) => params.has(key)).map((key) => [key, params.get(key)]));
  const parsed = listFiltersSchema.safeParse(raw);
  const offset = Number(params.get('offset'));
  return {
    filters: parsed.success ? parsed.data : defaultFilters(),
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** `?…` for the address bar ('' when everything is the default). */
export function searchOf({ filters, offset }: ListPosition): string {
  const defaults = defaultFilters();
  const query: Record<string, string | number> = {};
  for (const key of KEYS) if (filters[key] !== defaults[key]) query[key] = filters[key];
  if (offset > 0) query.offset = offset;
  return encodeQuery(query);
}
