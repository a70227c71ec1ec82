import type { PageLoad } from './$types';
import { loadSettingsForPage } from '#lib/clients/page-load.ts';

export const load = (async ({ url }) => ({
  issue: url.searchParams.get('issue') ?? '',
  managerId: url.searchParams.get('managerId') ?? '',
  ...(await loadSettingsForPage()),
})) satisfies PageLoad;
