import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load = (async ({ parent }) => {
  const { me } = await parent();
  if (!me) redirect(307, '/login');
  return { forced: me.mustChangePassword, login: me.login, name: me.name };
}) satisfies PageLoad;
