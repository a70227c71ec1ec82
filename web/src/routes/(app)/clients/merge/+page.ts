import type { PageLoad } from './$types';
import { loadSettingsForPage } from '#lib/clients/page-load.ts';

export const load = (async ({ url }) => ({
  keepId: url.searchParams.get('keep') ?? '',
  mergeId: url.searchParams.get('merge') ?? '',
  ...(await loadSettingsForPage()),
})) satisfies PageLoad;
