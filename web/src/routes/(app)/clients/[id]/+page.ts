import type { PageLoad } from './$types';
import { loadSettingsForPage } from '#lib/clients/page-load.ts';

export const load = (async ({ params }) => ({ id: params.id, ...(await loadSettingsForPage()) })) satisfies PageLoad;
