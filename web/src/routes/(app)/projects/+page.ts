import type { PageLoad } from './$types';
import { projectEndpoints } from '@crewdeck/shared/projects';
import { call } from '#lib/api.ts';

export const load = (async ({ fetch, url, depends }) => {
  depends('app:projects');
  const archived = url.searchParams.get('archived') === 'true';
  const [projects, overdue] = await Promise.all([
    call(projectEndpoints.list, { query: { archived: archived ? 'true' : undefined } }, fetch),
    call(projectEndpoints.overdue, {}, fetch).catch(() => null),
  ]);
  return { projects, overdue, archived };
}) satisfies PageLoad;
