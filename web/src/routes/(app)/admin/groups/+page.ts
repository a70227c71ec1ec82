import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { groupEndpoints } from '@crewdeck/shared/groups';
import { call } from '#lib/api.ts';
import { can } from '#lib/abilities.ts';
import { m } from '#lib/paraglide/messages.js';

export const load = (async ({ parent, fetch }) => {
  const { me } = await parent();
  if (!can(me, 'group.read')) error(403, m.load_no_groups());
  return { groups: await call(groupEndpoints.list, {}, fetch) };
}) satisfies PageLoad;
