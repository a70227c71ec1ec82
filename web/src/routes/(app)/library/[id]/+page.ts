import type { PageLoad } from './$types';
import { libraryEndpoints } from '@crewdeck/shared/library';
import { call } from '#lib/api.ts';

export const load = (async ({ fetch, params }) => {
  // The folders are for the breadcrumb and the Move dialog (limit 1: the documents are not needed).
  const [{ document }, { folders }] = await Promise.all([
    call(libraryEndpoints.getDocument, { params: { id: params.id } }, fetch),
    call(libraryEndpoints.list, { query: { limit: 1 } }, fetch),
  ]);
  return { document, folders };
}) satisfies PageLoad;
