import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';
import { permissionEndpoints } from '@crewdeck/shared/permissions';
import { call } from '#lib/api.ts';
import { can } from '#lib/abilities.ts';
import { m } from '#lib/paraglide/messages.js';

export const load = (async ({ parent, fetch }) => {
  const { me } = await parent();
  if (!can(me, 'permission.read')) error(403, m.load_no_permissions());
  return { table: await call(permissionEndpoints.get, {}, fetch) };
}) satisfies PageLoad;
