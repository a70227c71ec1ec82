import { error } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';
import { adminSections } from '#lib/abilities.ts';

export const load = (async ({ parent }) => {
  const { me } = await parent();
  const sections = adminSections(me);
  if (sections.length === 0) error(403, 'You do not have access to administration.');
  return { sections };
}) satisfies LayoutLoad;
