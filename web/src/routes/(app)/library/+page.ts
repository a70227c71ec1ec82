import type { PageLoad } from './$types';
import { libraryEndpoints } from '@crewdeck/shared/library';
import { call } from '#lib/api.ts';
import { filtersFromUrl, toQuery } from '#lib/library/filters.ts';

export const load = (async ({ fetch, url, depends }) => {
  depends('app:library');
  const filters = filtersFromUrl(url);
  const library = await call(libraryEndpoints.list, { query: toQuery(filters) }, fetch);
  return { library, filters };
}) satisfies PageLoad;
