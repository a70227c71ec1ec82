import type { PageLoad } from './$types';
import { libraryEndpoints } from '@crewdeck/shared/library';
import { call } from '#lib/api.ts';

export const load = (async ({ fetch, params }) => {
  const { document } = await call(libraryEndpoints.getDocument, { params: { id: params.id } }, fetch);
  return { document };
}) satisfies PageLoad;
