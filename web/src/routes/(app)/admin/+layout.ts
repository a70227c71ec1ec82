import { error } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';
import { adminSections } from '#lib/abilities.ts';
import { m } from '#lib/paraglide/messages.js';

export const load = (async ({ parent }) => {
  const { me } = await parent();
  const sections = adminSections(me);
  if (sections.length === 0) error(403, m.load_no_admin());
  return { sections };
}) satisfies LayoutLoad;
