import type { PageLoad } from './$types';
import { loadTrash } from '#lib/library/manage.ts';

export const load = (async ({ depends }) => {
  depends('app:library-trash');
  return { items: await loadTrash() };
}) satisfies PageLoad;
