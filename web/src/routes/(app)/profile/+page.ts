import type { PageLoad } from './$types';
import { profileEndpoints } from '@crewdeck/shared/users';
import { call } from '#lib/api.ts';

export const load = (async ({ fetch }) => {
  const { profile } = await call(profileEndpoints.get, {}, fetch);
  return { profile };
}) satisfies PageLoad;
