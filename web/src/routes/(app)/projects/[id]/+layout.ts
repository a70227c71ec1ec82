import type { LayoutLoad } from './$types';
import { loadProject } from '#lib/projects/project-state.svelte.ts';

export const load = (async ({ params, fetch }) => {
  return { projectData: await loadProject(params.id, fetch) };
}) satisfies LayoutLoad;
