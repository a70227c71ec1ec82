import type { PageLoad } from './$types';
import { api } from '#lib/api.ts';
import { filtersFromUrl, toQuery } from '#lib/library/filters.ts';

export const load = (async ({ fetch, url, depends }) => {
  depends('app:library');
  const filters = filtersFromUrl(url);
  const library = await api.library.list(toQuery(filters), fetch);
  return { library, filters };
}) satisfies PageLoad;
