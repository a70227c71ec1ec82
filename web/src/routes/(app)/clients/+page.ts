import type { PageLoad } from './$types';
import { loadSettingsForPage } from '#lib/clients/page-load.ts';

export const load = (() => loadSettingsForPage()) satisfies PageLoad;
