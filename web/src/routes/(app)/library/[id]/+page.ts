import type { PageLoad } from './$types';
import { api } from '#lib/api.ts';

export const load = (async ({ fetch, params }) => {
  const { document } = await api.library.get(params.id, fetch);
  return { document };
}) satisfies PageLoad;
