import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load = (async ({ parent }) => {
  const { user } = await parent();
  if (!user) redirect(307, '/login');
  return { forced: user.mustChangePassword };
}) satisfies PageLoad;
