// The CRM settings a client form draws from (statuses, sources, custom fields, required fields),
// fetched once per page load and shared by every form on the page; saving them refreshes it.
import { clientEndpoints, type CrmSettings } from '@crewdeck/shared/clients';
import { call } from '../api.ts';

let cached: Promise<CrmSettings> | null = null;

export function loadCrmSettings(): Promise<CrmSettings> {
  cached ??= call(clientEndpoints.getSettings)
    .then((answer) => answer.settings)
    .catch((err: unknown) => {
      cached = null;
      throw err;
    });
  return cached;
}

/** After the settings were saved: the next form reads the new ones. */
export function rememberCrmSettings(settings: CrmSettings): void {
  cached = Promise.resolve(settings);
}

/** Whether `path` (`phones`, `custom.inn`) is required for clients of `kind`. */
export function isRequired(settings: CrmSettings, kind: 'company' | 'person', path: string): boolean {
  return settings.required[kind].includes(path);
}
