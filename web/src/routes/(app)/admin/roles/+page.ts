import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { permissionEndpoints } from '@crewdeck/shared/permissions';
import { call } from '#lib/api.ts';
import { can } from '#lib/abilities.ts';

export const load = (async ({ parent, fetch }) => {
  const { me } = await parent();
  if (!can(me, 'permission.read')) error(403, 'You do not have permission to see the permission table.');
  return { table: await call(permissionEndpoints.get, {}, fetch) };
}) satisfies PageLoad;
