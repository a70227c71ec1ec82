import type { PageLoad } from './$types';
import { projectEndpoints } from '@crewdeck/shared/projects';
import { call } from '#lib/api.ts';

export const load = (async ({ fetch, url }) => {
  const projects = await call(projectEndpoints.list, {}, fetch).catch(() => null);
  return {
    mine: url.searchParams.get('mine') === 'true',
    projectId: url.searchParams.get('project') ?? '',
    projects: projects?.items ?? [],
  };
}) satisfies PageLoad;
