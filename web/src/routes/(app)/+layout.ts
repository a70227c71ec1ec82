import { redirect } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';

// Everything inside the shell needs a signed-in user who has set their own password.
export const load = (async ({ parent, url }) => {
  const { me } = await parent();
  if (!me) redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (me.mustChangePassword) redirect(307, '/change-password');
  return { me };
}) satisfies LayoutLoad;
