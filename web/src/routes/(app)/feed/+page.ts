import type { PageLoad } from './$types';
import { api } from '#lib/api.ts';

export const load = (async ({ fetch, url }) => {
  const projects = await api.projects.list(false, fetch).catch(() => null);
  return {
    mine: url.searchParams.get('mine') === 'true',
    projectId: url.searchParams.get('project') ?? '',
    projects: projects?.items ?? [],
  };
}) satisfies PageLoad;
