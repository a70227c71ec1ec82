import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { groupEndpoints } from '@crewdeck/shared/groups';
import { projectEndpoints } from '@crewdeck/shared/projects';
import { profileEndpoints } from '@crewdeck/shared/users';
import { call } from '#lib/api.ts';
import { can } from '#lib/abilities.ts';
import { peopleFormFromUrl, peopleFormToQuery } from '#lib/admin/people.ts';
import { m } from '#lib/paraglide/messages.js';

export const load = (async ({ parent, fetch, url }) => {
  const { me } = await parent();
  if (!can(me, 'people.read')) error(403, m.adm_people_no_access());
  const filters = peopleFormFromUrl(url.searchParams);
  const [people, groups, projects] = await Promise.all([
    call(profileEndpoints.people, { query: peopleFormToQuery(filters) }, fetch),
    can(me, 'group.read') ? call(groupEndpoints.list, {}, fetch).then((list) => list.items) : Promise.resolve([]),
    call(projectEndpoints.list, {}, fetch).then(
      (list) => list.items,
      () => [],
    ),
  ]);
  return { people: people.items, filters, groups, projects };
}) satisfies PageLoad;
