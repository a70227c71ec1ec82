import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load = (async ({ parent }) => {
  const { sections } = await parent();
  redirect(307, sections[0].href);
}) satisfies PageLoad;
