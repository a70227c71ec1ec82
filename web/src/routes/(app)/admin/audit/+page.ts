import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { userEndpoints } from '@crewdeck/shared/users';
import { auditEndpoints } from '@crewdeck/shared/audit';
import { call } from '#lib/api.ts';
import { can } from '#lib/abilities.ts';
import { m } from '#lib/paraglide/messages.js';
import { formFromUrl, formToFilter } from '#lib/admin/audit.ts';

export const load = (async ({ parent, fetch, url }) => {
  const { me } = await parent();
  if (!can(me, 'audit.read')) error(403, m.load_no_audit());
  const form = formFromUrl(url.searchParams);
  const filter = formToFilter(form);
  const [page, users] = await Promise.all([
    call(auditEndpoints.list, { query: filter }, fetch),
    can(me, 'user.read') ? call(userEndpoints.list, {}, fetch).then((list) => list.items) : Promise.resolve([]),
  ]);
  return { form, filter, page, users };
}) satisfies PageLoad;
