import type { PageLoad } from './$types';
import { api } from '#lib/api.ts';

export const load = (async ({ fetch, url, depends }) => {
  depends('app:projects');
  const archived = url.searchParams.get('archived') === 'true';
  const [projects, overdue] = await Promise.all([api.projects.list(archived, fetch), api.overdue(fetch).catch(() => null)]);
  return { projects, overdue, archived };
}) satisfies PageLoad;
