// The CRM settings editor: a working copy of the settings, row operations for its lists, and
// the save (PUT /api/crm/settings) whose per-field errors (`statuses.2.key`) land by their rows.
import { clientEndpoints, type CrmSettings } from '@crewdeck/shared/clients';
import { call } from '../../api.ts';
import { handleError } from '../../errors.ts';
import { FormState } from '../../form.svelte.ts';
import { m } from '../../paraglide/messages.js';
import { rememberCrmSettings } from '../settings.ts';

export type ListName = 'statuses' | 'sources' | 'interactionResults' | 'dealStages' | 'customFields';

export class SettingsEditor {
  draft = $state<CrmSettings | null>(null);
  canEdit = $state(false);
  /** Bumped whenever the draft is replaced, so editors holding typed text start again. */
  version = $state(0);
  loadError = $state('');
  readonly form = new FormState();

  async load(): Promise<void> {
    try {
      const answer = await call(clientEndpoints.getSettings);
      this.draft = structuredClone(answer.settings);
      this.version++;
      this.canEdit = answer.abilities.update;
      this.loadError = '';
    } catch (err) {
      this.loadError = handleError(err).message;
    }
  }

  /** The server's error at a field path (`statuses.2.key`), '' when none. */
  errorAt(path: string): string {
    return this.form.fields[path] ?? '';
  }

  /** The errors of a whole list (`statuses`: "at least 1"), shown under it. */
  errorsUnder(list: string): string[] {
    return Object.entries(this.form.fields)
      .filter(([key]) => key === list)
      .map(([, message]) => message);
  }

  move(list: ListName, index: number, step: -1 | 1): void {
    if (!this.draft) return;
    const items = this.draft[list] as unknown[];
    const target = index + step;
    if (target < 0 || target >= items.length) return;
    [items[index], items[target]] = [items[target], items[index]];
  }

  remove(list: ListName, index: number): void {
    if (!this.draft) return;
    (this.draft[list] as unknown[]).splice(index, 1);
  }

  async save(): Promise<boolean> {
    const draft = this.draft;
    if (!draft) return false;
    return this.form.run(async () => {
      const answer = await call(clientEndpoints.putSettings, { body: $state.snapshot(draft) });
      this.draft = structuredClone(answer.settings);
      this.version++;
      rememberCrmSettings(answer.settings);
      return m.cli_set_saved();
    });
  }
}
