// What every clients page loads first: the CRM settings its forms and labels draw from.
import type { CrmSettings } from '@crewdeck/shared/clients';
import { handleError } from '../errors.ts';
import { loadCrmSettings } from './settings.ts';

export type SettingsLoad = { settings: CrmSettings | null; loadError: string };

export async function loadSettingsForPage(): Promise<SettingsLoad> {
  try {
    return { settings: await loadCrmSettings(), loadError: '' };
  } catch (err) {
    return { settings: null, loadError: handleError(err).message };
  }
}
