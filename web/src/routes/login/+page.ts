import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { safeNext } from '#lib/auth/session.ts';

export const load = (async ({ parent, url }) => {
  const { me } = await parent();
  if (me?.mustChangePassword) redirect(307, '/change-password');
  if (me) redirect(307, safeNext(url.searchParams.get('next')));
  return { next: url.searchParams.get('next') };
}) satisfies PageLoad;
