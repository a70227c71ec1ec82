import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { userEndpoints } from '@crewdeck/shared/users';
import { groupEndpoints } from '@crewdeck/shared/groups';
import { call } from '#lib/api.ts';
import { can } from '#lib/abilities.ts';
import { m } from '#lib/paraglide/messages.js';

export const load = (async ({ parent, fetch }) => {
  const { me } = await parent();
  if (!can(me, 'user.read')) error(403, m.load_no_users());
  const [users, groups] = await Promise.all([
    call(userEndpoints.list, {}, fetch),
    can(me, 'group.read') ? call(groupEndpoints.list, {}, fetch).then((list) => list.items) : Promise.resolve([]),
  ]);
  return { users, groups };
}) satisfies PageLoad;
